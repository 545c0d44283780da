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

}  // namespace chiso::store
