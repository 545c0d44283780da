// Excel workbooks (.xlsx, Office Open XML): every worksheet's cells as text, row by row, for the importer to read
// as it reads a CSV file's records. A cell is what the file stores, not what a spreadsheet displays: a number as
// stored (8408, never "8.408"; a whole number without ".0"), a formula's saved value, a shared or inline string,
// TRUE or FALSE, an error's code (#DIV/0!), and a number formatted as a date as its day (2026-06-30). A merged
// range keeps its value in its first cell, as the file does. Unpacked with libzip and read with expat, streamed
// (archive.hpp); bounded by the bytes the parts may unpack to and by the cells the sheets may hold.
#pragma once

#include "importer/csv.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::importer {

struct XlsxLimits {
    std::uint64_t unpacked_bytes = std::uint64_t{512} << 20;  // every XML part read, together
    std::uint64_t cells = 8'000'000;                         // cells and shared strings, an empty cell within a row too
};

struct Sheet {
    std::string name;
    // The rows that have a cell, in order: `line` is the row's number, fields[0] its column A. A row is as wide
    // as its last cell.
    std::vector<CsvRecord> records;
    bool hidden = false;  // hidden in the workbook: a lookup list, say, not a table to import
};

// A cell whose value the file does not hold (a formula never calculated): the importer reports it.
struct CellProblem {
    std::string sheet;
    int row = 0, column = 0;
    std::string reason;
};

class Workbook {
public:
    std::vector<Sheet> sheets;  // worksheets in the workbook's order; chart sheets are not among them
    std::vector<CellProblem> problems;   // the first thousand
    std::size_t problems_not_listed = 0;  // past them
    std::string error;  // set when the bytes are not a workbook this can read; nothing else is then

    Workbook();
    ~Workbook();
    Workbook(Workbook&&) noexcept;
    Workbook& operator=(Workbook&&) noexcept;

    struct Storage;  // the cells' text, which records view (xlsx.cpp)

private:
    friend Workbook read_xlsx(std::string_view bytes, const XlsxLimits& limits);
    std::unique_ptr<Storage> storage_;
};

Workbook read_xlsx(std::string_view bytes, const XlsxLimits& limits = {});

// "D17" for row 17, column 4; "D" for column 4 of no row.
std::string cell_name(int row, int column);

// Whether the bytes begin as a zip archive does (an .xlsx among them).
bool looks_like_zip(std::string_view bytes);

}  // namespace chiso::importer
