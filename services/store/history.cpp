// The import history: each revision's row (who, when, which file, its checksum, the revision an undo takes back),
// the figures a revision set with their values before, and whether anything later changed them.
#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>

namespace chiso::store {

namespace {

constexpr const char* kRevisionColumns = "revision, kind, file, rows, applied_at, who, checksum, undoes";

RevisionRow revision_of(SQLite::Statement& query) {
    RevisionRow row{query.getColumn(0).getInt64(), query.getColumn(1).getString(), query.getColumn(2).getString(),
                    query.getColumn(3).getInt64(), query.getColumn(4).getString(), query.getColumn(5).getString(),
                    query.getColumn(6).getString(), std::nullopt};
    if (!query.getColumn(7).isNull()) row.undoes = query.getColumn(7).getInt64();
    return row;
}

std::int64_t value_or_missing(const SQLite::Column& column) {
    return column.isNull() ? domain::kMissing : column.getInt64();
}

}  // namespace

std::vector<RevisionRow> Store::revisions(int limit) {
    std::vector<RevisionRow> rows;
    SQLite::Statement query(db_, std::string("SELECT ") + kRevisionColumns +
                                     " FROM revisions ORDER BY revision DESC LIMIT ?");
    query.bind(1, limit);
    while (query.executeStep()) rows.push_back(revision_of(query));
    return rows;
}

std::optional<RevisionRow> Store::revision_row(std::int64_t revision) {
    SQLite::Statement query(db_, std::string("SELECT ") + kRevisionColumns + " FROM revisions WHERE revision = ?");
    query.bind(1, revision);
    if (!query.executeStep()) return std::nullopt;
    return revision_of(query);
}

std::vector<ReplacedFigure> Store::replaced(std::int64_t revision) {
    std::vector<ReplacedFigure> figures;
    SQLite::Statement query(db_,
                            "SELECT target, org, indicator, category, period, before, after FROM replaced"
                            " WHERE revision = ?");
    query.bind(1, revision);
    while (query.executeStep())
        figures.push_back({query.getColumn(0).getInt() != 0, query.getColumn(1).getString(),
                           query.getColumn(2).getString(), query.getColumn(3).getString(),
                           query.getColumn(4).getString(), value_or_missing(query.getColumn(5)),
                           value_or_missing(query.getColumn(6))});
    return figures;
}

std::int64_t Store::changed_since(std::int64_t revision) {
    // A figure the revision set is unchanged while its row still carries the revision; one it removed, while no
    // row has come back. Each is one lookup by primary key.
    SQLite::Statement query(db_, R"sql(
        SELECT count(*) FROM replaced r
        LEFT JOIN figures f ON r.target = 0 AND f.period = r.period AND f.indicator = r.indicator
                           AND f.category = r.category AND f.org = r.org
        LEFT JOIN targets t ON r.target = 1 AND t.org = r.org AND t.indicator = r.indicator AND t.period = r.period
        WHERE r.revision = ?1
          AND NOT (CASE WHEN r.after IS NULL THEN coalesce(f.revision, t.revision) IS NULL
                        ELSE coalesce(f.revision, t.revision) IS ?1 END))sql");
    query.bind(1, revision);
    query.executeStep();
    return query.getColumn(0).getInt64();
}

}  // namespace chiso::store
