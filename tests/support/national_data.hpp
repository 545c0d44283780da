// A country (or one province) of generated party organisations and their monthly reports, for the benchmark and
// the tests that run chiso-syncd at national scale: one national root, 34 provinces × 100 committees × 15 base
// organisations (54,435 organisations), twenty values a base organisation a month (1,020,000 a month); or one
// province of 40 committees × 25 base organisations. The same seed always makes the same figures.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace chiso::test::national {

struct Tree {
    std::string root;
    std::string middle_level;          // the level just below the root: provinces, or a province's committees
    std::vector<std::string> middles;  // its organisations
    std::vector<std::string> bases;
    std::string csv;                   // the organisations import
    std::int64_t rows = 0;
};
Tree make_tree(bool national);

// Twenty indicators: stocks and flows, some parts of others; a flow and a stock distribution; two ratios.
extern const char* const kCatalogue;

// The twenty values a base organisation reports each month, in the order make_month draws them.
struct Column {
    const char *indicator, *category;
};
extern const std::array<Column, 20> kColumns;

struct Month {
    std::string period;
    std::string csv;                   // long CSV, as a statistician's tool would send it
    std::vector<std::int32_t> values;  // by base organisation, then column
};
std::string period_of(int month);  // 0 → 2026-01
Month make_month(const Tree& tree, const std::string& period, std::mt19937_64& random);

}  // namespace chiso::test::national
