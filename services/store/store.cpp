#include "store/store.hpp"

#include "store/fleet_schema.hpp"
#include "store/migrations.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>

namespace chiso::store {
using namespace chiso::domain;

namespace {

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE revisions (
  revision INTEGER PRIMARY KEY, kind TEXT NOT NULL, file TEXT NOT NULL, rows INTEGER NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
CREATE TABLE levels (position INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, label_vi TEXT NOT NULL,
  label_en TEXT NOT NULL, base INTEGER NOT NULL);
CREATE TABLE org_types (position INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, label_vi TEXT NOT NULL,
  label_en TEXT NOT NULL);
CREATE TABLE indicators (position INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, label_vi TEXT NOT NULL,
  label_en TEXT NOT NULL, grp TEXT NOT NULL, unit TEXT NOT NULL, kind TEXT NOT NULL, flow_over_time INTEGER NOT NULL,
  higher_is_better INTEGER NOT NULL, decimals INTEGER NOT NULL, part_of TEXT NOT NULL, numerator TEXT NOT NULL,
  denominator TEXT NOT NULL);
CREATE TABLE categories (indicator TEXT NOT NULL, position INTEGER NOT NULL, code TEXT NOT NULL,
  label_vi TEXT NOT NULL, label_en TEXT NOT NULL, PRIMARY KEY (indicator, position));
CREATE TABLE terms (code TEXT PRIMARY KEY);
CREATE TABLE organisations (position INTEGER NOT NULL, code TEXT NOT NULL, valid_from TEXT NOT NULL,
  valid_to TEXT, name TEXT NOT NULL, parent TEXT NOT NULL, level TEXT NOT NULL, type TEXT NOT NULL,
  PRIMARY KEY (code, valid_from));
CREATE TABLE figures (org TEXT NOT NULL, indicator TEXT NOT NULL, category TEXT NOT NULL, period TEXT NOT NULL,
  value INTEGER NOT NULL, revision INTEGER NOT NULL, PRIMARY KEY (org, indicator, category, period)) WITHOUT ROWID;
CREATE TABLE targets (org TEXT NOT NULL, indicator TEXT NOT NULL, period TEXT NOT NULL,
  value INTEGER NOT NULL, revision INTEGER NOT NULL, PRIMARY KEY (org, indicator, period)) WITHOUT ROWID;
CREATE TABLE tokens (name TEXT PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, scope_org TEXT NOT NULL,
  admin INTEGER NOT NULL, created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')), revoked_at TEXT);
CREATE TABLE heartbeats (device TEXT PRIMARY KEY, received_at TEXT NOT NULL, version TEXT NOT NULL,
  revision INTEGER NOT NULL, data_age_s INTEGER NOT NULL, page TEXT NOT NULL, screen_on INTEGER NOT NULL,
  address TEXT NOT NULL);
)sql";

// Schema 2: figures keyed by period first. Keyed by organisation first, each month's import put a row into every
// organisation's stretch of the table, rewriting nearly every page of it: an import's cost grew with everything
// stored. Now a month's rows fill pages of their own.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE figures_by_period (period TEXT NOT NULL, indicator TEXT NOT NULL, category TEXT NOT NULL,
  org TEXT NOT NULL, value INTEGER NOT NULL, revision INTEGER NOT NULL,
  PRIMARY KEY (period, indicator, category, org)) WITHOUT ROWID;
INSERT INTO figures_by_period SELECT period, indicator, category, org, value, revision FROM figures
  ORDER BY period, indicator, category, org;
DROP TABLE figures;
ALTER TABLE figures_by_period RENAME TO figures;
)sql";

// Schema 4: terms with their first and last day, and an organisation's own where its congress fell elsewhere; the
// indicators a level is counted in (each code followed by a line break).
constexpr const char* kSchemaV4 = R"sql(
ALTER TABLE terms ADD COLUMN first_day TEXT;
ALTER TABLE terms ADD COLUMN last_day TEXT;
ALTER TABLE levels ADD COLUMN counted_in TEXT NOT NULL DEFAULT '';
CREATE TABLE term_organisations (term TEXT NOT NULL, org TEXT NOT NULL, first_day TEXT NOT NULL,
  last_day TEXT NOT NULL, PRIMARY KEY (term, org)) WITHOUT ROWID;
)sql";

// Schema 5: the import history. Who applied each revision and the file's SHA-256, the revision an undo takes back,
// and every figure a revision set with its value before and after (NULL: none), from which it is undone.
constexpr const char* kSchemaV5 = R"sql(
ALTER TABLE revisions ADD COLUMN who TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN checksum TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN undoes INTEGER;
CREATE TABLE replaced (revision INTEGER NOT NULL, target INTEGER NOT NULL, period TEXT NOT NULL,
  indicator TEXT NOT NULL, category TEXT NOT NULL, org TEXT NOT NULL, before INTEGER, after INTEGER,
  PRIMARY KEY (revision, target, period, indicator, category, org)) WITHOUT ROWID;
)sql";

void migrate_to_1(SQLite::Database& db) {
    db.exec(kSchemaV1);
}

void migrate_to_2(SQLite::Database& db) {
    db.exec(kSchemaV2);
}

void migrate_to_4(SQLite::Database& db) {
    db.exec(kSchemaV4);
}

void migrate_to_5(SQLite::Database& db) {
    db.exec(kSchemaV5);
}

constexpr std::array<MigrationStep, 5> kMigrations{migrate_to_1, migrate_to_2, migrate_fleet_to_3, migrate_to_4,
                                                   migrate_to_5};
static_assert(kMigrations.size() == Store::kSchemaVersion);

void write_catalogue(SQLite::Database& db, const Catalogue& catalogue) {
    db.exec(
        "DELETE FROM levels; DELETE FROM org_types; DELETE FROM indicators; DELETE FROM categories;"
        "DELETE FROM terms; DELETE FROM term_organisations;");
    SQLite::Statement level(db, "INSERT INTO levels VALUES (?,?,?,?,?,?)");
    for (int i = 0; i < static_cast<int>(catalogue.levels.size()); ++i) {
        const Level& l = catalogue.levels[i];
        std::string counted_in;
        for (const std::string& code : l.counted_in) counted_in += code + "\n";
        level.bind(1, i), level.bind(2, l.code), level.bind(3, l.label_vi), level.bind(4, l.label_en),
            level.bind(5, l.base), level.bind(6, counted_in);
        level.exec(), level.reset();
    }
    SQLite::Statement type(db, "INSERT INTO org_types VALUES (?,?,?,?)");
    for (int i = 0; i < static_cast<int>(catalogue.org_types.size()); ++i) {
        const Label& t = catalogue.org_types[i];
        type.bind(1, i), type.bind(2, t.code), type.bind(3, t.label_vi), type.bind(4, t.label_en);
        type.exec(), type.reset();
    }
    SQLite::Statement indicator(db, "INSERT INTO indicators VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    SQLite::Statement category(db, "INSERT INTO categories VALUES (?,?,?,?,?)");
    for (int i = 0; i < static_cast<int>(catalogue.indicators.size()); ++i) {
        const Indicator& d = catalogue.indicators[i];
        indicator.bind(1, i), indicator.bind(2, d.code), indicator.bind(3, d.label_vi), indicator.bind(4, d.label_en),
            indicator.bind(5, d.group), indicator.bind(6, d.unit), indicator.bind(7, kind_name(d.kind)),
            indicator.bind(8, d.flow_over_time), indicator.bind(9, d.higher_is_better), indicator.bind(10, d.decimals),
            indicator.bind(11, d.part_of), indicator.bind(12, d.numerator), indicator.bind(13, d.denominator);
        indicator.exec(), indicator.reset();
        for (int c = 0; c < static_cast<int>(d.categories.size()); ++c) {
            category.bind(1, d.code), category.bind(2, c), category.bind(3, d.categories[c].code),
                category.bind(4, d.categories[c].label_vi), category.bind(5, d.categories[c].label_en);
            category.exec(), category.reset();
        }
    }
    SQLite::Statement term(db, "INSERT INTO terms (code, first_day, last_day) VALUES (?,?,?)");
    SQLite::Statement term_org(db, "INSERT INTO term_organisations VALUES (?,?,?,?)");
    for (const Term& t : catalogue.terms) {
        term.bind(1, t.period.code());
        if (t.days)
            term.bind(2, format_day(t.days->first)), term.bind(3, format_day(t.days->last));
        else
            term.bind(2), term.bind(3);
        term.exec(), term.reset();
        for (const auto& [org, days] : t.by_organisation) {
            term_org.bind(1, t.period.code()), term_org.bind(2, org), term_org.bind(3, format_day(days.first)),
                term_org.bind(4, format_day(days.last));
            term_org.exec(), term_org.reset();
        }
    }
}

void write_organisations(SQLite::Database& db, const ChangeSet& changes, const OrgTree& before) {
    SQLite::Statement remove(db, "DELETE FROM organisations WHERE code = ?");
    SQLite::Statement insert(db, "INSERT INTO organisations VALUES (?,?,?,?,?,?,?,?)");
    int appended = before.size();
    for (const Organisation& org : changes.organisations) {
        int position = before.find(org.code);
        if (position < 0) position = appended++;
        remove.bind(1, org.code), remove.exec(), remove.reset();
        for (const OrgVersion& v : org.versions) {
            insert.bind(1, position), insert.bind(2, org.code), insert.bind(3, format_day(v.valid_from));
            if (v.valid_to == kForever)
                insert.bind(4);
            else
                insert.bind(4, format_day(v.valid_to));
            insert.bind(5, v.name), insert.bind(6, v.parent), insert.bind(7, v.level), insert.bind(8, v.type);
            insert.exec(), insert.reset();
        }
    }
}

// Organisation codes in figure changes are positions in the tree after the change.
std::vector<std::string> codes_after(const ChangeSet& changes, const OrgTree& before) {
    std::vector<std::string> codes;
    for (const Organisation& org : before.all()) codes.push_back(org.code);
    for (const Organisation& org : changes.organisations)
        if (before.find(org.code) < 0) codes.push_back(org.code);
    return codes;
}

// Every text bound here outlives the statement's step (codes, the catalogue, the period codes below), so none is
// copied: a month of a country is a million rows. Each figure's value before is kept beside it (`replaced`), so
// that the revision can be undone; a value kMissing removes the figure (an undo of a figure that was new).
void write_figures(SQLite::Database& db, const ChangeSet& changes, const Dataset& before, std::int64_t revision) {
    if (changes.values.empty() && changes.targets.empty()) return;
    const auto codes = codes_after(changes, *before.tree);
    const Catalogue& catalogue = changes.catalogue ? *changes.catalogue : *before.catalogue;
    std::map<Period, std::string> period_codes;
    auto period_code = [&](const Period& period) -> const std::string& {
        auto [at, added] = period_codes.try_emplace(period);
        if (added) at->second = period.code();
        return at->second;
    };
    static const std::string no_category;
    auto bind_value = [](SQLite::Statement& statement, int index, std::int64_t value) {
        if (value == kMissing)
            statement.bind(index);  // NULL
        else
            statement.bind(index, value);
    };
    SQLite::Statement value(db,
                            "INSERT OR REPLACE INTO figures (org, indicator, category, period, value, revision)"
                            " VALUES (?,?,?,?,?,?)");
    SQLite::Statement target(db, "INSERT OR REPLACE INTO targets VALUES (?,?,?,?,?)");
    SQLite::Statement remove_value(db, "DELETE FROM figures WHERE org=? AND indicator=? AND category=? AND period=?");
    SQLite::Statement remove_target(db, "DELETE FROM targets WHERE org=? AND indicator=? AND period=?");
    SQLite::Statement replaced(db,
                               "INSERT INTO replaced (revision, target, period, indicator, category, org, before, after)"
                               " VALUES (?,?,?,?,?,?,?,?)");
    value.bind(6, revision);
    target.bind(5, revision);
    replaced.bind(1, revision);
    for (const bool is_target : {false, true}) {
        const Figures& held = is_target ? before.targets : before.values;
        for (const FigureChange& change : is_target ? changes.targets : changes.values) {
            const Indicator& indicator = catalogue.indicators[change.key.indicator];
            const std::string& org = codes[change.org];
            const std::string& category =
                change.key.category < 0 ? no_category : indicator.categories[change.key.category].code;
            const std::string& period = period_code(change.key.period);
            SQLite::Statement& write = change.value == kMissing ? (is_target ? remove_target : remove_value)
                                                                : (is_target ? target : value);
            write.bindNoCopy(1, org);
            write.bindNoCopy(2, indicator.code);
            if (is_target) {
                write.bindNoCopy(3, period);
                if (change.value != kMissing) write.bind(4, change.value);
            } else {
                write.bindNoCopy(3, category);
                write.bindNoCopy(4, period);
                if (change.value != kMissing) write.bind(5, change.value);
            }
            write.exec(), write.reset();
            replaced.bind(2, is_target ? 1 : 0);
            replaced.bindNoCopy(3, period);
            replaced.bindNoCopy(4, indicator.code);
            replaced.bindNoCopy(5, category);
            replaced.bindNoCopy(6, org);
            bind_value(replaced, 7, held.get(change.key, change.org));
            bind_value(replaced, 8, change.value);
            replaced.exec(), replaced.reset();
        }
    }
}

Catalogue read_catalogue(SQLite::Database& db) {
    Catalogue catalogue;
    SQLite::Statement levels(db, "SELECT code, label_vi, label_en, base, counted_in FROM levels ORDER BY position");
    while (levels.executeStep()) {
        Level level;
        level.code = text(levels, 0), level.label_vi = text(levels, 1), level.label_en = text(levels, 2);
        level.base = levels.getColumn(3).getInt() != 0;
        const std::string counted_in = text(levels, 4);
        for (std::size_t at = 0, end; (end = counted_in.find('\n', at)) != std::string::npos; at = end + 1)
            level.counted_in.push_back(counted_in.substr(at, end - at));
        catalogue.levels.push_back(std::move(level));
    }
    SQLite::Statement types(db, "SELECT code, label_vi, label_en FROM org_types ORDER BY position");
    while (types.executeStep()) catalogue.org_types.push_back({text(types, 0), text(types, 1), text(types, 2)});
    SQLite::Statement indicators(
        db,
        "SELECT code, label_vi, label_en, grp, unit, kind, flow_over_time, higher_is_better, decimals, part_of,"
        " numerator, denominator FROM indicators ORDER BY position");
    while (indicators.executeStep()) {
        Indicator d;
        d.code = text(indicators, 0), d.label_vi = text(indicators, 1), d.label_en = text(indicators, 2);
        d.group = text(indicators, 3), d.unit = text(indicators, 4);
        d.kind = parse_kind(text(indicators, 5)).value_or(Kind::stock);
        d.flow_over_time = indicators.getColumn(6).getInt() != 0;
        d.higher_is_better = indicators.getColumn(7).getInt() != 0;
        d.decimals = indicators.getColumn(8).getInt();
        d.part_of = text(indicators, 9), d.numerator = text(indicators, 10), d.denominator = text(indicators, 11);
        catalogue.indicators.push_back(std::move(d));
    }
    catalogue.reindex();
    SQLite::Statement categories(
        db, "SELECT indicator, code, label_vi, label_en FROM categories ORDER BY indicator, position");
    while (categories.executeStep()) {
        int indicator = catalogue.indicator(text(categories, 0));
        if (indicator >= 0)
            catalogue.indicators[indicator].categories.push_back(
                {text(categories, 1), text(categories, 2), text(categories, 3)});
    }
    SQLite::Statement terms(db, "SELECT code, first_day, last_day FROM terms ORDER BY code");
    while (terms.executeStep())
        if (auto term = Period::parse(text(terms, 0))) {
            catalogue.terms.push_back(Term{*term, std::nullopt, {}});
            auto first = parse_day(text(terms, 1)), last = parse_day(text(terms, 2));
            if (first && last) catalogue.terms.back().days = TermDays{*first, *last};
        }
    SQLite::Statement term_orgs(db, "SELECT term, org, first_day, last_day FROM term_organisations");
    while (term_orgs.executeStep()) {
        auto first = parse_day(text(term_orgs, 2)), last = parse_day(text(term_orgs, 3));
        for (Term& term : catalogue.terms)
            if (term.period.code() == text(term_orgs, 0) && first && last)
                term.by_organisation.emplace(text(term_orgs, 1), TermDays{*first, *last});
    }
    return catalogue;
}

OrgTree read_tree(SQLite::Database& db) {
    std::vector<Organisation> orgs;
    SQLite::Statement rows(db,
                           "SELECT position, code, valid_from, valid_to, name, parent, level, type FROM organisations"
                           " ORDER BY position, valid_from");
    while (rows.executeStep()) {
        int position = rows.getColumn(0).getInt();
        if (position >= static_cast<int>(orgs.size())) orgs.resize(position + 1);
        Organisation& org = orgs[position];
        org.code = text(rows, 1);
        OrgVersion version;
        version.valid_from = parse_day(text(rows, 2)).value_or(0);
        version.valid_to = rows.getColumn(3).isNull() ? kForever : parse_day(text(rows, 3)).value_or(kForever);
        version.name = text(rows, 4), version.parent = text(rows, 5), version.level = text(rows, 6);
        version.type = text(rows, 7);
        org.versions.push_back(std::move(version));
    }
    return OrgTree(std::move(orgs));
}

// Streams a table of figures into series, one row at a time; returns the last day of the latest period read.
// Rows of one series come together (the key starts with the period), so each row costs one organisation lookup.
Day read_figures(SQLite::Database& db, const Dataset& data, Figures& into, bool targets) {
    SQLite::Statement rows(db, targets ? "SELECT org, indicator, '', period, value FROM targets"
                                       : "SELECT org, indicator, category, period, value FROM figures");
    std::map<SeriesKey, std::shared_ptr<Series>> series;
    std::string indicator_code, category_code, period_code;
    Series* current = nullptr;  // the series of the codes above; null when they do not resolve
    Day latest = 0;
    const auto orgs = static_cast<std::size_t>(data.tree->size());
    while (rows.executeStep()) {
        const std::string_view indicator_text = rows.getColumn(1).getText();
        const std::string_view category_text = rows.getColumn(2).getText();
        const std::string_view period_text = rows.getColumn(3).getText();
        if (indicator_text != indicator_code || category_text != category_code || period_text != period_code) {
            indicator_code = indicator_text, category_code = category_text, period_code = period_text;
            current = nullptr;
            const int indicator = data.catalogue->indicator(indicator_code);
            const auto period = Period::parse(period_code);
            const int category = category_code.empty() || indicator < 0
                                     ? -1
                                     : data.catalogue->category(indicator, category_code);
            // cannot fail: imports validate every code
            if (indicator < 0 || !period || (!category_code.empty() && category < 0)) continue;
            auto& slot = series[SeriesKey{indicator, category, *period}];
            if (!slot) slot = std::make_shared<Series>(orgs, kMissing);
            current = slot.get();
            latest = std::max(latest, period->last_day());
        }
        const int org = current ? data.tree->find(rows.getColumn(0).getText()) : -1;
        if (org >= 0) (*current)[org] = rows.getColumn(4).getInt64();
    }
    for (auto& [key, values] : series) into.series.emplace(key, std::move(values));
    return latest;
}

}  // namespace

Store::Store(const std::filesystem::path& file) : db_(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    db_.setBusyTimeout(10000);
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=FULL");
    db_.exec("PRAGMA foreign_keys=ON");
    migrate();
}

void Store::migrate() {
    if (const int found = store::migrate(db_, kMigrations); found > static_cast<int>(kMigrations.size()))
        throw std::runtime_error("the database was written by a newer chiso-syncd (schema " + std::to_string(found) +
                                 ")");
}

std::int64_t Store::revision() {
    return db_.execAndGet("SELECT coalesce(max(revision), 0) FROM revisions").getInt64();
}

Dataset Store::load() {
    Dataset data;
    data.revision = revision();
    data.structure_revision = data.revision;
    data.catalogue = std::make_shared<Catalogue>(read_catalogue(db_));
    data.tree = std::make_shared<OrgTree>(read_tree(db_));
    data.latest_day = read_figures(db_, data, data.values, false);
    read_figures(db_, data, data.targets, true);
    data.touched = std::make_shared<std::vector<std::int64_t>>(data.tree->size(), data.revision);
    return data;
}

std::set<std::string> Store::organisation_codes() {
    std::set<std::string> codes;
    SQLite::Statement query(db_, "SELECT DISTINCT code FROM organisations");
    while (query.executeStep()) codes.insert(text(query, 0));
    return codes;
}

std::int64_t Store::commit(const ChangeSet& changes, const Dataset& before, const CommitInfo& info) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    std::int64_t next = revision() + 1;
    SQLite::Statement log(db_,
                          "INSERT INTO revisions (revision, kind, file, rows, who, checksum, undoes)"
                          " VALUES (?,?,?,?,?,?,?)");
    log.bind(1, next), log.bind(2, changes.kind), log.bind(3, changes.file),
        log.bind(4, static_cast<std::int64_t>(changes.rows)), log.bind(5, info.who), log.bind(6, info.checksum);
    if (info.undoes) log.bind(7, *info.undoes);
    log.exec();
    if (changes.catalogue) write_catalogue(db_, *changes.catalogue);
    write_organisations(db_, changes, *before.tree);
    write_figures(db_, changes, before, next);
    transaction.commit();
    return next;
}

}  // namespace chiso::store
