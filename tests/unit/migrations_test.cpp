// The chain of schema migrations the store and the kiosk's cache share: a file takes exactly the steps it lacks,
// a file of a newer program is left alone, and a step that fails leaves the file at the version it had.
#include "store/migrations.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <array>
#include <stdexcept>

namespace chiso::store {
namespace {

int version_of(SQLite::Database& db) {
    return db.execAndGet("PRAGMA user_version").getInt();
}

void to_1(SQLite::Database& db) {
    db.exec("CREATE TABLE one (x INTEGER)");
}
void to_2(SQLite::Database& db) {
    db.exec("CREATE TABLE two (x INTEGER)");
}
void to_3_fails(SQLite::Database& db) {
    db.exec("CREATE TABLE three (x INTEGER)");
    throw std::runtime_error("step 3 failed");
}

TEST(Migrations, a_new_file_takes_every_step_and_an_old_one_only_those_it_lacks) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    constexpr std::array<MigrationStep, 1> first{to_1};
    EXPECT_EQ(migrate(db, first), 0);
    EXPECT_EQ(version_of(db), 1);
    db.exec("INSERT INTO one VALUES (7)");

    constexpr std::array<MigrationStep, 2> both{to_1, to_2};
    EXPECT_EQ(migrate(db, both), 1);  // step 1 is not taken again: its table would already exist
    EXPECT_EQ(version_of(db), 2);
    EXPECT_TRUE(db.tableExists("two"));
    EXPECT_EQ(db.execAndGet("SELECT x FROM one").getInt(), 7);
    EXPECT_EQ(migrate(db, both), 2);  // nothing left to do
}

TEST(Migrations, a_file_written_by_a_newer_program_is_reported_and_left_alone) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version=5");
    constexpr std::array<MigrationStep, 2> both{to_1, to_2};
    EXPECT_EQ(migrate(db, both), 5);
    EXPECT_EQ(version_of(db), 5);
    EXPECT_FALSE(db.tableExists("one"));
}

TEST(Migrations, a_failing_step_leaves_the_file_at_the_version_it_had) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    constexpr std::array<MigrationStep, 1> first{to_1};
    migrate(db, first);
    constexpr std::array<MigrationStep, 3> three{to_1, to_2, to_3_fails};
    EXPECT_THROW(migrate(db, three), std::runtime_error);
    EXPECT_EQ(version_of(db), 1);
    EXPECT_FALSE(db.tableExists("two"));  // step 2 went with the failed step 3
    EXPECT_FALSE(db.tableExists("three"));
}

}  // namespace
}  // namespace chiso::store
