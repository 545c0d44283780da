// syncd's store across its schema versions: a database written by an earlier chiso-syncd opens with every figure
// it held. tests/data/schema1.db is the test data (catalogue, tree, values, targets) as schema 1 stored it.
#include "importer/importer.hpp"
#include "store/store.hpp"
#include "support/syncd_process.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace chiso::store {
using namespace chiso::domain;

TEST(StoreMigration, a_database_of_schema_1_opens_as_schema_2_with_every_figure_it_held) {
    const auto folder = std::filesystem::temp_directory_path() / ("chiso-store-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    const auto file = folder / "chiso.db";
    std::filesystem::copy_file(std::string(CHISO_TEST_DATA) + "/schema1.db", file,
                               std::filesystem::copy_options::overwrite_existing);
    ASSERT_EQ(SQLite::Database(file.string()).execAndGet("PRAGMA user_version").getInt(), 1);

    Dataset stored = Store(file).load();
    EXPECT_EQ(SQLite::Database(file.string()).execAndGet("PRAGMA user_version").getInt(), Store::kSchemaVersion);

    Dataset imported;
    for (auto [kind, format, name] :
         {std::tuple{importer::FileKind::catalogue, importer::Format::json, "catalogue.json"},
          {importer::FileKind::organisations, importer::Format::long_csv, "tree.csv"},
          {importer::FileKind::values, importer::Format::long_csv, "values.csv"},
          {importer::FileKind::targets, importer::Format::long_csv, "targets.csv"}}) {
        auto outcome = importer::import_file(imported, kind, format, name, test::test_data(name));
        ASSERT_TRUE(outcome.changes) << name;
        imported = imported.apply(*outcome.changes, imported.revision + 1);
    }
    EXPECT_EQ(stored.revision, imported.revision);
    EXPECT_EQ(stored.latest_day, imported.latest_day);
    auto same = [](const Figures& a, const Figures& b) {
        if (a.series.size() != b.series.size()) return false;
        for (const auto& [key, series] : a.series) {
            auto other = b.series.find(key);
            if (other == b.series.end() || *other->second != *series) return false;
        }
        return true;
    };
    EXPECT_GT(imported.values.series.size(), 0u);
    EXPECT_TRUE(same(stored.values, imported.values));
    EXPECT_TRUE(same(stored.targets, imported.targets));
    std::filesystem::remove_all(folder);
}

TEST(Store, a_terms_days_and_an_organisations_own_are_kept) {
    const auto folder = std::filesystem::temp_directory_path() / ("chiso-store-terms-" + std::to_string(::getpid()));
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    Dataset empty;
    auto outcome = importer::import_file(
        empty, importer::FileKind::catalogue, importer::Format::json, "c.json",
        R"({"terms": ["2025-2030", {"code": "2015-2020", "first": "2015-09-01", "last": "2020-08-31",
            "organisations": [{"org": "U2", "first": "2015-11-15", "last": "2020-10-31"}]}]})");
    ASSERT_TRUE(outcome.changes);
    {
        Store store(folder / "chiso.db");
        store.commit(*outcome.changes, empty);
    }
    Dataset loaded = Store(folder / "chiso.db").load();
    const auto& terms = loaded.catalogue->terms;
    ASSERT_EQ(terms.size(), 2u);
    EXPECT_EQ(terms[0].period.code(), "2015-2020");
    ASSERT_TRUE(terms[0].days);
    EXPECT_EQ(terms[0].days->first, 20150901);
    EXPECT_EQ(terms[0].days->last, 20200831);
    ASSERT_EQ(terms[0].by_organisation.count("U2"), 1u);
    EXPECT_EQ(terms[0].by_organisation.at("U2").first, 20151115);
    EXPECT_EQ(terms[1].period.code(), "2025-2030");
    EXPECT_FALSE(terms[1].days);
    std::filesystem::remove_all(folder);
}

}  // namespace chiso::store
