// Import and rollup of one month's report, for a province (~1,000 base organisations) and for the whole
// country (~52,000 base organisations under ~3,300 committees and 34 provinces), 20 indicators each.
// Each import is measured in its steps, beside a baseline: the same rows bulk-inserted into SQLite with no
// checking at all, the least any import could cost.
#include "domain/rollup.hpp"
#include "domain/scope.hpp"
#include "importer/importer.hpp"
#include "store/store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <random>

namespace {
using namespace chiso;
using Clock = std::chrono::steady_clock;

constexpr int kIndicators = 20;  // half stocks, half flows

struct Country {
    int provinces;
    int committees_per_province;
    int bases_per_committee;
    int bases() const { return provinces * committees_per_province * bases_per_committee; }
};

std::string catalogue() {
    std::string json =
        R"({"levels": [{"code": "province", "label_vi": "Tỉnh"}, {"code": "committee", "label_vi": "Đảng ủy"},
        {"code": "base", "label_vi": "Cơ sở", "base": true}], "org_types": [{"code": "t", "label_vi": "Loại"}],
        "indicators": [)";
    for (int i = 0; i < kIndicators; ++i)
        json += (i ? "," : "") + std::string(R"({"code": "i)") + std::to_string(i) + R"(", "label_vi": "Chỉ số )" +
                std::to_string(i) + R"(", "kind": ")" + (i % 2 ? "flow" : "stock") + "\"}";
    return json + "]}";
}

std::string tree(const Country& country) {
    std::string csv = "code,name,parent,level,type,valid_from,valid_to\n";
    for (int p = 0; p < country.provinces; ++p) {
        std::string province = "P" + std::to_string(p);
        csv += province + ",Tỉnh ủy " + province + ",,province,,2020-01-01,\n";
        for (int c = 0; c < country.committees_per_province; ++c) {
            std::string committee = province + "-" + std::to_string(c);
            csv += committee + ",Đảng ủy " + committee + "," + province + ",committee,,2020-01-01,\n";
            for (int b = 0; b < country.bases_per_committee; ++b) {
                std::string base = committee + "-" + std::to_string(b);
                csv += base + ",Chi bộ " + base + "," + committee + ",base,t,2020-01-01,\n";
            }
        }
    }
    return csv;
}

std::string month_report(const Country& country) {
    std::mt19937 random(2026);
    std::string csv = "org,indicator,period,value\n";
    for (int p = 0; p < country.provinces; ++p)
        for (int c = 0; c < country.committees_per_province; ++c)
            for (int b = 0; b < country.bases_per_committee; ++b) {
                std::string base = "P" + std::to_string(p) + "-" + std::to_string(c) + "-" + std::to_string(b);
                for (int i = 0; i < kIndicators; ++i)
                    csv += base + ",i" + std::to_string(i) + ",2026-03," + std::to_string(random() % 200) + "\n";
            }
    return csv;
}

struct Prepared {
    std::filesystem::path folder;
    std::unique_ptr<store::Store> store;
    domain::Dataset data;
    std::string report;
};

Prepared prepare(const Country& country, const std::string& name) {
    Prepared prepared;
    prepared.folder = std::filesystem::temp_directory_path() / ("chiso-bench-" + name);
    std::filesystem::remove_all(prepared.folder);
    std::filesystem::create_directories(prepared.folder);
    prepared.store = std::make_unique<store::Store>(prepared.folder / "chiso.db");
    for (auto [kind, format, body] : {std::tuple{importer::FileKind::catalogue, importer::Format::json, catalogue()},
                                      {importer::FileKind::organisations, importer::Format::long_csv, tree(country)}}) {
        auto outcome = importer::import_file(prepared.data, kind, format, "setup", body);
        if (!outcome.changes) throw std::runtime_error(outcome.problems.front().to_string());
        auto revision = prepared.store->commit(*outcome.changes, prepared.data);
        prepared.data = prepared.data.apply(*outcome.changes, revision);
    }
    prepared.report = month_report(country);
    return prepared;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The whole import path, timed step by step: check the file, commit it, build the next dataset, roll up.
void import_and_rollup(benchmark::State& state, const Country& country, const char* name) {
    Prepared prepared = prepare(country, name);
    double check = 0, commit = 0, apply = 0, rollup = 0;
    for (auto _ : state) {
        auto start = Clock::now();
        auto outcome = importer::import_file(prepared.data, importer::FileKind::values, importer::Format::long_csv,
                                             "month.csv", prepared.report);
        if (!outcome.changes) state.SkipWithError(outcome.problems.front().to_string().c_str());
        check += seconds_since(start);
        start = Clock::now();
        auto revision = prepared.store->commit(*outcome.changes, prepared.data);
        commit += seconds_since(start);
        start = Clock::now();
        auto next = std::make_shared<const domain::Dataset>(prepared.data.apply(*outcome.changes, revision));
        apply += seconds_since(start);
        start = Clock::now();
        domain::Rollup up(next);
        std::int64_t total = 0;
        for (int i = 0; i < kIndicators; ++i)  // every organisation's month, quarter, half, nine months and year
            for (const char* period : {"2026-03", "2026-Q1", "2026-H1", "2026-9M", "2026"})
                total += up.figure(0, i, -1, *domain::Period::parse(period));
        benchmark::DoNotOptimize(total);
        rollup += seconds_since(start);
    }
    const double n = static_cast<double>(state.iterations());
    state.counters["rows"] = static_cast<double>(country.bases() * kIndicators);
    state.counters["check_s"] = check / n;
    state.counters["commit_s"] = commit / n;
    state.counters["apply_s"] = apply / n;
    state.counters["rollup_s"] = rollup / n;
    std::filesystem::remove_all(prepared.folder);
}

// Baseline: the same rows into the same kind of table, one prepared statement, one transaction, no checks.
void bare_sqlite_insert(benchmark::State& state, const Country& country, const char* name) {
    auto folder = std::filesystem::temp_directory_path() / ("chiso-bench-bare-" + std::string(name));
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    SQLite::Database db((folder / "bare.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        "CREATE TABLE figures (org TEXT, indicator TEXT, category TEXT, period TEXT, value INTEGER,"
        " revision INTEGER, PRIMARY KEY (period, indicator, category, org)) WITHOUT ROWID");
    std::vector<std::string> orgs;
    for (int p = 0; p < country.provinces; ++p)
        for (int c = 0; c < country.committees_per_province; ++c)
            for (int b = 0; b < country.bases_per_committee; ++b)
                orgs.push_back("P" + std::to_string(p) + "-" + std::to_string(c) + "-" + std::to_string(b));
    for (auto _ : state) {
        SQLite::Transaction transaction(db);
        SQLite::Statement insert(db, "INSERT OR REPLACE INTO figures VALUES (?,?,'','2026-03',?,1)");
        for (const auto& org : orgs)
            for (int i = 0; i < kIndicators; ++i) {
                insert.bind(1, org), insert.bind(2, "i" + std::to_string(i)), insert.bind(3, i);
                insert.exec(), insert.reset();
            }
        transaction.commit();
    }
    state.counters["rows"] = static_cast<double>(orgs.size() * kIndicators);
    std::filesystem::remove_all(folder);
}

const Country kProvince{1, 33, 30};  // 990 base organisations
const Country kCountry{34, 97, 16};  // 52,768 base organisations under 3,298 committees

}  // namespace

BENCHMARK_CAPTURE(import_and_rollup, province, kProvince, "province")->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK_CAPTURE(bare_sqlite_insert, province, kProvince, "province")->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK_CAPTURE(import_and_rollup, country, kCountry, "country")->Unit(benchmark::kSecond)->Iterations(2);
BENCHMARK_CAPTURE(bare_sqlite_insert, country, kCountry, "country")->Unit(benchmark::kSecond)->Iterations(2);

BENCHMARK_MAIN();
