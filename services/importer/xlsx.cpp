#include "importer/xlsx.hpp"

#include "importer/archive.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

namespace chiso::importer {

namespace {

constexpr int kMaxRows = 1'048'576;  // Excel's own limits: a reference past them is damage, not data
constexpr int kMaxColumns = 16'384;
constexpr std::size_t kProblemsKept = 1000;  // as many as an import lists
constexpr std::size_t kMaxCellBytes = 32'767 * 4;  // a spreadsheet cell's 32,767 characters, in UTF-8
constexpr std::size_t kMaxSheets = 1000;

// Text that lives as long as the workbook, in large blocks: a million cells are not a million allocations.
class TextArena {
public:
    std::string_view keep(std::string_view text) {
        if (text.empty()) return {};
        if (text.size() > kBlock / 4) return own(text.size(), text);
        if (blocks_.empty() || used_ + text.size() > kBlock) {
            blocks_.push_back(std::make_unique<char[]>(kBlock));
            used_ = 0;
        }
        char* at = blocks_.back().get() + used_;
        text.copy(at, text.size());
        used_ += text.size();
        return {at, text.size()};
    }

private:
    static constexpr std::size_t kBlock = 1 << 20;
    std::string_view own(std::size_t size, std::string_view text) {
        // Before the block being filled, so that it stays the one with room.
        auto block = std::make_unique<char[]>(size);
        text.copy(block.get(), size);
        std::string_view kept(block.get(), size);
        blocks_.insert(blocks_.empty() ? blocks_.end() : blocks_.end() - 1, std::move(block));
        return kept;
    }
    std::vector<std::unique_ptr<char[]>> blocks_;
    std::size_t used_ = 0;
};

std::optional<long long> whole(std::string_view text) {
    long long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// A stored number as the importer reads it: a whole one without ".0" or an exponent; any other as stored.
std::string number_text(std::string_view stored) {
    if (whole(stored)) return std::string(stored);
    double value = 0;
    auto [end, error] = std::from_chars(stored.data(), stored.data() + stored.size(), value);
    if (error != std::errc{} || end != stored.data() + stored.size() || !std::isfinite(value) ||
        value != std::trunc(value) || std::fabs(value) >= 9007199254740992.0)  // past 2^53 a double is not exact
        return std::string(stored);
    return std::to_string(static_cast<long long>(value));
}

// A date's serial number as its day; nullopt for a number that is no day (a time alone, Excel's 29/2/1900).
std::optional<std::string> serial_day(std::string_view stored, bool from_1904) {
    double value = 0;
    auto [end, error] = std::from_chars(stored.data(), stored.data() + stored.size(), value);
    if (error != std::errc{} || end != stored.data() + stored.size() || !(value >= (from_1904 ? 0 : 1) && value < 2958466))
        return {};
    auto days = static_cast<int>(std::floor(value));
    using namespace std::chrono;
    sys_days base = from_1904 ? sys_days(year(1904) / 1 / 1)
                              : sys_days(year(1899) / 12 / (days < 60 ? 31 : 30));  // 1900 was no leap year
    if (!from_1904 && days == 60) return {};
    const year_month_day day(base + std::chrono::days(days));
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                  static_cast<unsigned>(day.day()));
    return text;
}

// Whether a number format shows a day: the built-in date formats, or a code with a day or a year in it.
bool is_date_format(int id, std::string_view code) {
    if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return true;
    bool quoted = false, bracketed = false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (c == '"') quoted = !quoted;
        else if (quoted) continue;
        else if (c == '[') bracketed = true;
        else if (c == ']') bracketed = false;
        else if (bracketed) continue;
        else if (c == '\\' || c == '_' || c == '*') ++i;  // the next character is shown, not a code
        else if (c == 'd' || c == 'D' || c == 'y' || c == 'Y') return true;
    }
    return false;
}

// Column letters to a number: "D" → 4; 0 when there are none or too many.
int column_number(std::string_view reference) {
    int column = 0;
    std::size_t i = 0;
    for (; i < reference.size() && reference[i] >= 'A' && reference[i] <= 'Z'; ++i) {
        column = column * 26 + (reference[i] - 'A' + 1);
        if (column > kMaxColumns) return 0;
    }
    return column;
}

struct WorkbookPart : XmlHandler {
    struct Entry {
        std::string name, relationship;
        bool hidden = false;
    };
    std::vector<Entry> sheets;
    bool from_1904 = false;
    bool recalculate = false;  // its formulas' saved values are not to be trusted: nothing calculated them
    void open(std::string_view name, const char** attributes) override {
        auto yes = [&](std::string_view key) {
            return attribute(attributes, key) == "1" || attribute(attributes, key) == "true";
        };
        if (name == "sheet") {
            if (sheets.size() == kMaxSheets) error = "the workbook has more than " + std::to_string(kMaxSheets) + " sheets";
            sheets.push_back({std::string(attribute(attributes, "name")), std::string(attribute(attributes, "id")),
                              !attribute(attributes, "state").empty() && attribute(attributes, "state") != "visible"});
        }
        else if (name == "workbookPr")
            from_1904 = yes("date1904");
        else if (name == "calcPr")
            recalculate = yes("fullCalcOnLoad");
    }
};

struct Relationships : XmlHandler {
    std::map<std::string, std::string, std::less<>> worksheets;  // id → part name
    void open(std::string_view name, const char** attributes) override {
        if (name != "Relationship" || !attribute(attributes, "Type").ends_with("/worksheet")) return;
        std::string_view target = attribute(attributes, "Target");
        worksheets[std::string(attribute(attributes, "Id"))] =
            target.starts_with('/') ? std::string(target.substr(1)) : "xl/" + std::string(target);
    }
};

struct SharedStrings : XmlHandler {
    std::vector<std::string>& strings;
    std::uint64_t& cells_left;
    std::string current;
    bool in_text = false, in_phonetic = false;
    SharedStrings(std::vector<std::string>& into, std::uint64_t& budget) : strings(into), cells_left(budget) {}
    void open(std::string_view name, const char**) override {
        if (name == "si") {
            if (cells_left-- == 0) error = "the workbook's shared strings are more than a workbook may hold";
            current.clear();
        } else if (name == "rPh") {
            in_phonetic = true;  // a pronunciation guide, not the text
        } else if (name == "t") {
            in_text = !in_phonetic;
        }
    }
    void text(std::string_view text) override {
        if (!in_text) return;
        current += text;
        if (current.size() > kMaxCellBytes)
            error = "a shared string holds more than the 32,767 characters a spreadsheet cell may";
    }
    void close(std::string_view name) override {
        if (name == "t") in_text = false;
        else if (name == "rPh") in_phonetic = false;
        else if (name == "si") strings.push_back(std::move(current));
    }
};

struct Styles : XmlHandler {
    std::map<int, std::string> codes;  // custom number formats
    std::vector<int> formats;          // each cell style's number format
    bool in_cell_styles = false;
    void open(std::string_view name, const char** attributes) override {
        const int id = static_cast<int>(whole(attribute(attributes, "numFmtId")).value_or(0));
        if (name == "numFmt") codes[id] = std::string(attribute(attributes, "formatCode"));
        else if (name == "cellXfs") in_cell_styles = true;
        else if (name == "xf" && in_cell_styles) formats.push_back(id);
    }
    void close(std::string_view name) override {
        if (name == "cellXfs") in_cell_styles = false;
    }
    std::vector<bool> dates() const {
        std::vector<bool> date(formats.size());
        for (std::size_t i = 0; i < formats.size(); ++i) {
            auto code = codes.find(formats[i]);
            date[i] = is_date_format(formats[i], code == codes.end() ? std::string_view() : code->second);
        }
        return date;
    }
};

}  // namespace

struct Workbook::Storage {
    std::vector<std::string> shared;
    TextArena text;
    std::vector<std::string_view> fields;  // every sheet's rows' cells, one after another
};

namespace {

struct RowSpan {
    std::size_t sheet;
    int row;
    std::size_t first, count;
};

// One worksheet's rows into the workbook's fields.
struct SheetPart : XmlHandler {
    const std::string& sheet_name;
    std::size_t sheet;
    Workbook::Storage& storage;
    std::vector<RowSpan>& rows;
    std::vector<CellProblem>& problems;
    std::size_t& unlisted;
    const std::vector<bool>& date_styles;
    bool from_1904, recalculate;
    std::uint64_t cell_limit;
    std::uint64_t& cells_left;

    int row = 0, column = 0;
    std::size_t row_first = 0;
    bool row_has_text = false;
    // the cell being read
    std::string type, value, formula;
    int style = 0;
    bool has_formula = false, has_value = false;
    bool in_value = false, in_formula = false, in_inline = false, in_text = false, in_phonetic = false;

    SheetPart(const std::string& name, std::size_t index, Workbook::Storage& into, std::vector<RowSpan>& spans,
              Workbook& book, const std::vector<bool>& dates, const WorkbookPart& workbook, std::uint64_t limit,
              std::uint64_t& budget)
        : sheet_name(name), sheet(index), storage(into), rows(spans), problems(book.problems),
          unlisted(book.problems_not_listed), date_styles(dates),
          from_1904(workbook.from_1904), recalculate(workbook.recalculate), cell_limit(limit), cells_left(budget) {}

    std::string at(int r, int c) const { return sheet_name + "!" + cell_name(r, c); }

    void open(std::string_view name, const char** attributes) override {
        if (!error.empty()) return;  // expat may still call back for the element that failed
        if (name == "row") {
            const auto number = whole(attribute(attributes, "r"));
            const int next = number ? static_cast<int>(std::clamp<long long>(*number, 0, kMaxRows + 1)) : row + 1;
            if (next <= row || next > kMaxRows)
                error = sheet_name + "!" + std::to_string(next) + ": rows are out of order or past row " +
                        std::to_string(kMaxRows);
            row = next, column = 0;
            row_first = storage.fields.size();
            row_has_text = false;
        } else if (name == "c") {
            const std::string_view reference = attribute(attributes, "r");
            const int next = reference.empty() ? column + 1 : column_number(reference);
            if (next <= column || next == 0) {
                error = at(row, column + 1) + ": the cells of a row are out of order or past column XFD";
                return;
            }
            column = next;
            type = attribute(attributes, "t");
            style = static_cast<int>(whole(attribute(attributes, "s")).value_or(0));
            value.clear(), formula.clear();
            has_formula = has_value = false;
        } else if (name == "v") {
            in_value = has_value = true;
        } else if (name == "f") {
            in_formula = has_formula = true;
        } else if (name == "is") {
            in_inline = true;
        } else if (name == "rPh") {
            in_phonetic = true;
        } else if (name == "t") {
            in_text = in_inline && !in_phonetic;
        }
    }

    void text(std::string_view text) override {
        if (in_value || in_text) {
            value += text;
            if (value.size() > kMaxCellBytes)
                error = at(row, column) + ": a cell holds more than the 32,767 characters a spreadsheet cell may";
        } else if (in_formula && formula.size() < 200) {
            formula += text;
        }
    }

    void close(std::string_view name) override {
        if (!error.empty()) return;
        if (name == "v") in_value = false;
        else if (name == "f") in_formula = false;
        else if (name == "is") in_inline = false;
        else if (name == "rPh") in_phonetic = false;
        else if (name == "t") in_text = false;
        else if (name == "c") end_cell();
        else if (name == "row") end_row();
    }

    void report(std::string reason) {
        if (problems.size() < kProblemsKept)
            problems.push_back({sheet_name, row, column, std::move(reason)});
        else
            ++unlisted;
    }

    void end_cell() {
        if (has_formula && (recalculate || !has_value)) {
            const std::string shown = formula.empty() ? "" : " =" + formula;  // a shared formula's copies show none
            report(recalculate ? "the formula" + shown + " was saved without being calculated (the workbook asks to be "
                                                       "recalculated when opened), so its value is unknown: open the "
                                                       "file in a spreadsheet program and save it again"
                             : "the formula" + shown + " has no saved value: open the file in a spreadsheet program "
                                                       "and save it again");
            return;
        }
        std::string_view cell;
        std::string made;
        if (type == "s") {
            const auto index = whole(value);
            if (!index || *index < 0 || static_cast<std::size_t>(*index) >= storage.shared.size()) {
                error = at(row, column) + ": refers to a shared string the workbook does not have";
                return;
            }
            cell = storage.shared[static_cast<std::size_t>(*index)];  // viewed, never copied: it may be used often
        } else if (type == "b") {
            cell = value == "1" ? "TRUE" : "FALSE";
        } else if (type == "inlineStr" || type == "str" || type == "e" || type == "d") {
            cell = value;
        } else if (value.empty()) {
            return;
        } else {
            const bool date = style >= 0 && static_cast<std::size_t>(style) < date_styles.size() && date_styles[style];
            auto day = date ? serial_day(value, from_1904) : std::nullopt;
            made = day ? *day : number_text(value);
            cell = made;
        }
        if (cell.find_first_not_of(" \t\r\n") == std::string_view::npos) return;  // blank: as if not there
        const std::size_t width = static_cast<std::size_t>(column);
        const std::size_t had = storage.fields.size() - row_first;
        if (cells_left < width - had) {
            error = at(row, column) + ": the workbook has more than the " + std::to_string(cell_limit) +
                    " cells an import may hold";
            return;
        }
        cells_left -= width - had;
        storage.fields.resize(row_first + width - 1);  // the empty cells before it
        storage.fields.push_back(type == "s" ? cell : storage.text.keep(cell));
        row_has_text = true;
    }

    void end_row() {
        if (row_has_text) rows.push_back({sheet, row, row_first, storage.fields.size() - row_first});
    }
};

}  // namespace

Workbook::Workbook() : storage_(std::make_unique<Storage>()) {}
Workbook::~Workbook() = default;
Workbook::Workbook(Workbook&&) noexcept = default;
Workbook& Workbook::operator=(Workbook&&) noexcept = default;

std::string cell_name(int row, int column) {
    std::string letters;
    for (int c = column; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
    return row > 0 ? letters + std::to_string(row) : letters;
}

bool looks_like_zip(std::string_view bytes) {
    return bytes.starts_with(std::string_view("PK\x03\x04", 4));
}

Workbook read_xlsx(std::string_view bytes, const XlsxLimits& limits) {
    Workbook book;
    Workbook::Storage& storage = *book.storage_;
    Archive archive(bytes, limits.unpacked_bytes);
    auto failed = [&] {
        Workbook empty;
        empty.error = archive.error();
        return empty;
    };
    if (!archive.error().empty()) return failed();
    if (!archive.has("xl/workbook.xml")) {
        book.error = "not an Excel workbook (.xlsx): it has no xl/workbook.xml";
        return book;
    }
    WorkbookPart workbook;
    Relationships relationships;
    if (!archive.parse("xl/workbook.xml", workbook) || !archive.parse("xl/_rels/workbook.xml.rels", relationships))
        return failed();
    std::uint64_t cells_left = limits.cells;
    if (archive.has("xl/sharedStrings.xml")) {
        SharedStrings shared(storage.shared, cells_left);
        if (!archive.parse("xl/sharedStrings.xml", shared)) return failed();
    }
    std::vector<bool> date_styles;
    if (archive.has("xl/styles.xml")) {
        Styles styles;
        if (!archive.parse("xl/styles.xml", styles)) return failed();
        date_styles = styles.dates();
    }
    std::vector<RowSpan> rows;
    for (const auto& entry : workbook.sheets) {
        auto part = relationships.worksheets.find(entry.relationship);
        if (part == relationships.worksheets.end()) continue;  // a chart sheet, or a dialog sheet: no cells
        book.sheets.push_back(Sheet{entry.name, {}, entry.hidden});
        SheetPart sheet(book.sheets.back().name, book.sheets.size() - 1, storage, rows, book, date_styles, workbook,
                        limits.cells, cells_left);
        if (!archive.parse(part->second, sheet)) return failed();
    }
    // Only now, with every field in place, can records view them.
    const std::span<const std::string_view> fields(storage.fields);
    for (const RowSpan& span : rows)
        book.sheets[span.sheet].records.push_back({span.row, fields.subspan(span.first, span.count)});
    return book;
}

}  // namespace chiso::importer
