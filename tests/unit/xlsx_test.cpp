// Excel workbooks written by a real spreadsheet writer (tests/data/workbooks.py, XlsxWriter): report forms, long
// and wide, with a title block over merged cells, a Vietnamese sheet name, formulas and display formats, import to
// exactly the figures of the same data as CSV; a bad cell is named by its sheet and cell; formulas nothing
// calculated are refused; hostile archives (truncated, zip bombs, a declared 1 GiB, entity expansion) get a clear
// error with memory bounded.
#include "importer/importer.hpp"
#include "importer/xlsx.hpp"
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

namespace chiso::importer {
namespace fs = std::filesystem;

class Workbooks : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        folder = fs::temp_directory_path() / ("chiso-workbooks-" + std::to_string(::getpid()));
        fs::remove_all(folder);
        // Debian's Python, where python3-xlsxwriter is (deploy/dev/setup), whatever python3 is first on the PATH.
        const std::string command =
            "/usr/bin/python3 " CHISO_TEST_DATA "/workbooks.py '" + folder.string() + "' --hostile";
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }
    static void TearDownTestSuite() { fs::remove_all(folder); }

    void SetUp() override {
        tree = with(domain::Dataset{}, FileKind::catalogue, Format::json, "catalogue.json",
                    test::test_data("catalogue.json"));
        tree = with(tree, FileKind::organisations, Format::long_csv, "tree.csv", test::test_data("tree.csv"));
    }
    static domain::Dataset with(const domain::Dataset& before, FileKind kind, Format format, const std::string& name,
                                const std::string& body) {
        auto outcome = import_file(before, kind, format, name, body);
        if (!outcome.changes) throw std::runtime_error(name + " does not import");
        return before.apply(*outcome.changes, before.revision + 1);
    }
    static std::string file(const std::string& name) {
        std::ifstream in(folder / name, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        return bytes.str();
    }
    Outcome import(FileKind kind, Format format, const std::string& name) const {
        return import_file(tree, kind, format, name, file(name));
    }
    // The figures an import sets, by the codes a reader would compare, in one order.
    std::vector<std::tuple<std::string, std::string, int, std::string, std::int64_t>> figures(const Outcome& outcome) const {
        std::vector<std::tuple<std::string, std::string, int, std::string, std::int64_t>> out;
        for (const auto& f : outcome.changes->values)
            out.emplace_back(tree.tree->at(f.org).code, tree.catalogue->indicators[f.key.indicator].code,
                             f.key.category, f.key.period.code(), f.value);
        std::sort(out.begin(), out.end());
        return out;
    }
    static std::string problems(const Outcome& outcome) {
        std::string all;
        for (const auto& p : outcome.problems) all += p.to_string() + "\n";
        return all;
    }

    static inline fs::path folder;
    domain::Dataset tree;
};

TEST_F(Workbooks, a_long_report_form_imports_the_figures_of_its_csv) {
    const Outcome csv = import(FileKind::values, Format::long_csv, "values-long.csv");
    const Outcome xlsx = import(FileKind::values, Format::xlsx, "values-long.xlsx");
    ASSERT_TRUE(csv.changes) << problems(csv);
    ASSERT_TRUE(xlsx.changes) << problems(xlsx);
    EXPECT_EQ(xlsx.changes->rows, 24u);
    EXPECT_EQ(figures(xlsx), figures(csv));
    EXPECT_EQ(figures(xlsx).size(), 24u);
    ASSERT_EQ(xlsx.notes.size(), 2u);  // the instructions' sheet and a hidden list, named and not read
    EXPECT_EQ(xlsx.notes[0], "the sheet 'Hướng dẫn' has no table (no row names the column 'org'): not read");
    EXPECT_EQ(xlsx.notes[1], "the sheet 'Danh sách' is hidden: not read");
}

TEST_F(Workbooks, a_wide_report_form_imports_the_figures_of_its_csv) {
    const Outcome csv = import(FileKind::values, Format::wide_csv, "values-wide.csv");
    const Outcome xlsx = import(FileKind::values, Format::xlsx, "values-wide.xlsx");
    ASSERT_TRUE(csv.changes) << problems(csv);
    ASSERT_TRUE(xlsx.changes) << problems(xlsx);
    EXPECT_EQ(figures(xlsx), figures(csv));
    EXPECT_EQ(figures(xlsx).size(), 24u);
    EXPECT_TRUE(xlsx.notes.empty());
}

TEST_F(Workbooks, the_tree_with_its_days_as_date_cells_imports_as_its_csv) {
    const Outcome csv = import_file(tree, FileKind::organisations, Format::long_csv, "tree.csv", test::test_data("tree.csv"));
    const Outcome xlsx = import(FileKind::organisations, Format::xlsx, "tree.xlsx");
    ASSERT_TRUE(csv.changes) << problems(csv);
    ASSERT_TRUE(xlsx.changes) << problems(xlsx);
    auto versions = [](const Outcome& outcome) {
        std::vector<std::tuple<std::string, std::string, std::string, std::string, std::string, int, int>> out;
        for (const auto& org : outcome.changes->organisations)
            for (const auto& v : org.versions)
                out.emplace_back(org.code, v.name, v.parent, v.level, v.type, v.valid_from, v.valid_to);
        return out;
    };
    EXPECT_EQ(versions(xlsx), versions(csv));
    EXPECT_EQ(versions(xlsx).size(), 10u);
}

TEST_F(Workbooks, two_bad_cells_are_named_by_sheet_and_cell_and_nothing_is_applied) {
    const Outcome outcome = import(FileKind::values, Format::xlsx, "values-wide-bad.xlsx");
    EXPECT_FALSE(outcome.changes);
    ASSERT_EQ(outcome.problems.size(), 2u) << problems(outcome);
    EXPECT_EQ(outcome.problems[0].place(), "Biểu 1!D7");
    EXPECT_EQ(outcome.problems[0].content, "mười");
    EXPECT_EQ(outcome.problems[0].reason, "not a whole number: 'mười'");
    EXPECT_EQ(outcome.problems[1].place(), "Biểu 1!A9");
    EXPECT_EQ(outcome.problems[1].content, "B9");
    EXPECT_EQ(outcome.problems[1].to_string(), "values-wide-bad.xlsx:Biểu 1!A9: unknown organisation 'B9'");
}

TEST_F(Workbooks, formulas_nothing_calculated_are_refused_each_by_its_cell) {
    const Outcome outcome = import(FileKind::values, Format::xlsx, "recalculate.xlsx");
    EXPECT_FALSE(outcome.changes);
    // Every third figure of 24 is a formula, and one empty category cell is =IF(1=2,"x","").
    ASSERT_EQ(outcome.problems.size(), 9u) << problems(outcome);
    EXPECT_EQ(outcome.problems[0].place(), "Số liệu – Biểu 1!E5");
    EXPECT_NE(outcome.problems[0].reason.find("the formula =15+15 was saved without being calculated"),
              std::string::npos)
        << outcome.problems[0].reason;
}

TEST_F(Workbooks, a_workbook_named_as_csv_is_told_to_be_named_xlsx) {
    const Outcome outcome = import_file(tree, FileKind::values, Format::long_csv, "values.csv", file("values-long.xlsx"));
    ASSERT_EQ(outcome.problems.size(), 1u);
    EXPECT_NE(outcome.problems[0].reason.find("name the file .xlsx"), std::string::npos);
    EXPECT_EQ(parse_format("", "Biểu 1.XLSX"), Format::xlsx);
    EXPECT_EQ(parse_format("wide", "values.xlsx"), Format::xlsx);
}

// Peak memory of this process so far, in MiB.
long peak_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

TEST_F(Workbooks, hostile_archives_get_a_clear_error_with_memory_bounded) {
    const long before = peak_mib();
    ASSERT_LT(before, 200) << "a peak this high already would hide the bound checked below";
    auto error = [&](const std::string& name) {
        const Outcome outcome = import(FileKind::values, Format::xlsx, name);
        EXPECT_FALSE(outcome.changes) << name;
        return outcome.problems.empty() ? std::string() : outcome.problems[0].reason;
    };
    EXPECT_NE(error("truncated.xlsx").find("not a zip archive, as an .xlsx workbook is"), std::string::npos);
    EXPECT_EQ(error("declares-1gib.xlsx"),
              "xl/worksheets/sheet1.xml unpacks to 1024 MiB, more than the 512 MiB left of what a workbook may "
              "unpack to");
    EXPECT_EQ(error("unpacks-600mib.xlsx"),
              "xl/worksheets/sheet1.xml unpacks to 601 MiB, more than the 512 MiB left of what a workbook may "
              "unpack to");
    EXPECT_EQ(error("unpacks-64mib-declares-1kib.xlsx"),
              "xl/worksheets/sheet1.xml unpacks to more than the 1024 bytes it declares");
    EXPECT_EQ(error("bad-reference.xlsx"),
              "Số liệu – Biểu 1!A5: the cells of a row are out of order or past column XFD");
    {
        const Outcome unheaded = import(FileKind::values, Format::xlsx, "unheaded.xlsx");
        ASSERT_EQ(unheaded.problems.size(), 1u);
        EXPECT_EQ(unheaded.problems[0].place(), "Số liệu – Biểu 1!G5");
        EXPECT_EQ(unheaded.problems[0].reason, "this cell is right of the table's last header: give its column a "
                                               "header, or clear it");
    }
    EXPECT_EQ(error("entities.xlsx"),
              "xl/sharedStrings.xml has a document type declaration (DTD), which a workbook's XML never has");
    // Within the bound, a 200 MiB sheet is read a piece at a time: its figures, and a few MiB more at the peak.
    const Outcome padded = import(FileKind::values, Format::xlsx, "unpacks-200mib.xlsx");
    ASSERT_TRUE(padded.changes) << problems(padded);
    EXPECT_EQ(figures(padded), figures(import(FileKind::values, Format::long_csv, "values-long.csv")));
    // A 1 MiB shared string in every text cell is held once: the sheet's 70 text cells do not make 70 MiB.
    const Outcome shared = import(FileKind::values, Format::xlsx, "shared-1mib.xlsx");
    EXPECT_FALSE(shared.changes);  // its first text is the title's; 1 MiB is more than a cell may hold
    EXPECT_LT(peak_mib() - before, 32) << "peak " << peak_mib() << " MiB, was " << before;
}

TEST(Xlsx, a_cell_is_named_by_its_column_letters_and_row) {
    EXPECT_EQ(cell_name(17, 4), "D17");
    EXPECT_EQ(cell_name(1, 26), "Z1");
    EXPECT_EQ(cell_name(1, 27), "AA1");
    EXPECT_EQ(cell_name(1048576, 16384), "XFD1048576");
    EXPECT_EQ(cell_name(0, 3), "C");
}

TEST_F(Workbooks, the_bound_on_cells_is_kept) {
    XlsxLimits limits;
    limits.cells = 60;  // the shared strings take 38 of them
    const Workbook book = read_xlsx(file("values-long.xlsx"), limits);
    EXPECT_EQ(book.error, "Số liệu – Biểu 1!E7: the workbook has more than the 60 cells an import may hold");
    EXPECT_TRUE(book.sheets.empty());
}

}  // namespace chiso::importer
