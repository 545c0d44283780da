// Imports and their history: a file checked and applied (or only previewed: what it would change, for the root of
// the tree and each organisation it touches), the history of what was applied, and an undo that puts back, as a
// new revision, the exact figures an import replaced.
#include "syncd/service_impl.hpp"

#include "importer/importer.hpp"

#include <boost/json.hpp>
#include <malloc.h>

#include <algorithm>
#include <set>

namespace chiso::syncd {
namespace json = boost::json;

namespace {

constexpr std::size_t kPreviewOrganisations = 50;  // listed one by one; the rest are counted
constexpr std::size_t kPreviewFigures = 200;       // per organisation listed

json::value figure_value(std::int64_t value) {
    return value == kMissing ? json::value(nullptr) : json::value(value);
}

// One figure a change touches, as a preview names it: target or value, indicator, category, period.
struct PreviewKey {
    bool target;
    int indicator, category;
    Period period;
    auto operator<=>(const PreviewKey&) const = default;
};

// A figure's before and after as the preview lists it.
json::object figure_json(const Catalogue& catalogue, const PreviewKey& key, std::int64_t before, std::int64_t after) {
    const Indicator& indicator = catalogue.indicators[key.indicator];
    json::object figure{{"indicator", indicator.code},
                        {"label_vi", indicator.label_vi},
                        {"label_en", indicator.label_en},
                        {"period", key.period.code()},
                        {"target", key.target},
                        {"before", figure_value(before)},
                        {"after", figure_value(after)}};
    if (key.category >= 0) {
        const Label& category = indicator.categories[key.category];
        figure["category"] = category.code;
        figure["category_vi"] = category.label_vi;
        figure["category_en"] = category.label_en;
    }
    return figure;
}

// What applying `changes` to `before` would change: how many figures are new, changed or the same; and for the
// root of every organisation touched, and the first organisations touched, each figure before and after, rolled
// up over its subtree as kiosks would show it. It costs the file's rows once, then a rollup per figure key of the
// organisations listed: each key's columns are forgotten before the next, so memory stays one key's.
json::object preview(const std::shared_ptr<const Dataset>& before, const ChangeSet& changes) {
    std::size_t added = 0, changed = 0, same = 0;
    std::vector<bool> seen(static_cast<std::size_t>(before->tree->size()), false);
    std::size_t touched = 0;
    std::vector<int> listed;                   // the first organisations touched, in the file's order
    std::map<int, std::set<PreviewKey>> keys;  // of the organisations listed only
    std::set<int> roots;
    for (const bool target : {false, true})
        for (const FigureChange& change : target ? changes.targets : changes.values) {
            const std::int64_t held = (target ? before->targets : before->values).get(change.key, change.org);
            (held == kMissing ? added : held == change.value ? same : changed) += 1;
            const PreviewKey key{target, change.key.indicator, change.key.category, change.key.period};
            if (!seen[change.org]) {  // figures name organisations the tree has: a file of them adds none
                seen[change.org] = true;
                ++touched;
                if (listed.size() < kPreviewOrganisations) listed.push_back(change.org);
            }
            if (std::find(listed.begin(), listed.end(), change.org) != listed.end()) keys[change.org].insert(key);
            int root = change.org;
            while (before->tree->at(root).latest().parent_index >= 0) root = before->tree->at(root).latest().parent_index;
            roots.insert(root);
            keys[root].insert(key);  // the root shows every key below it
        }
    auto after = std::make_shared<const Dataset>(before->apply(changes, before->revision + 1));
    Rollup rolled_before(before), rolled_after(after);
    std::set<PreviewKey> all;
    for (const auto& [org, its] : keys) all.insert(its.begin(), its.end());
    std::map<int, json::array> figures;
    for (const PreviewKey& key : all) {
        for (const auto& [listed_org, its] : keys) {
            const int org = listed_org;  // clang 14 (the fuzz build) cannot capture a structured binding
            if (!its.contains(key) || figures[org].size() == kPreviewFigures) continue;
            auto value = [&](Rollup& rollup) {
                return key.target ? rollup.target(org, key.indicator, key.period)
                                  : rollup.figure(org, key.indicator, key.category, key.period);
            };
            figures[org].push_back(figure_json(*after->catalogue, key, value(rolled_before), value(rolled_after)));
        }
        rolled_before.forget();
        rolled_after.forget();
    }
    json::array organisations;
    auto add = [&](int org, bool root) {
        const Organisation& organisation = after->tree->at(org);
        json::object item{{"org", organisation.code}, {"name", organisation.latest().name}, {"root", root}};
        item["figures_not_listed"] = keys[org].size() - figures[org].size();
        item["figures"] = std::move(figures[org]);
        organisations.push_back(std::move(item));
    };
    for (int root : roots) add(root, true);
    for (int org : listed)
        if (!roots.contains(org)) add(org, false);
    json::object out{{"new", added}, {"changed", changed}, {"unchanged", same}};
    out["organisations_touched"] = touched;
    out["organisations_not_listed"] = touched - std::min(touched, listed.size());
    out["organisations"] = std::move(organisations);
    return out;
}

}  // namespace

std::int64_t Service::Impl::apply(const ChangeSet& changes, const store::CommitInfo& info, double checked_s) {
    const auto started = std::chrono::steady_clock::now();
    auto seconds = [last = started]() mutable {
        const auto now = std::chrono::steady_clock::now();
        return std::chrono::duration<double>(now - std::exchange(last, now)).count();
    };
    auto before = current();
    std::int64_t revision = 0;
    {
        std::lock_guard write_lock(write_mutex);
        revision = store.commit(changes, *before->data, info);
        // From here to publishing nothing may throw: memory must follow what the database holds.
        store_pending_heartbeats();
    }
    const double committed = seconds();
    auto next = make_state(before->data->apply(changes, revision));
    log_changes(changes, revision, next->data->latest_day);
    const double in_memory = seconds();
    prepare(next, before->data->revision);
    state.store(next);
    replies.drop_before(revision);  // every reply names the revision it was made at
    spdlog::info("revision {}: {} rows of {} from '{}' by {} (checked in {:.2f} s, written in {:.2f} s, in memory in "
                 "{:.2f} s, the scopes asked lately prepared in {:.2f} s)",
                 revision, changes.rows, changes.kind, changes.file, info.who, checked_s, committed, in_memory,
                 seconds());
    return revision;
}

void Service::Impl::tell_listeners(std::int64_t revision) {
    std::lock_guard lock(listeners_mutex);
    for (const auto& listener : listeners) listener(revision);
}

ImportReply Service::import(const ImportRequest& request) {
    ImportReply reply;
    json::object body;
    auto kind = importer::parse_file_kind(request.kind);
    auto format = importer::parse_format(request.format, request.file_name);
    if (!kind) throw ServiceError(400, "kind must be catalogue, organisations, values or targets");
    if (!format) throw ServiceError(400, "format must be long, wide, json or xlsx");

    std::int64_t revision = 0;
    {
        std::lock_guard import_lock(impl_->import_mutex);
        const auto started = std::chrono::steady_clock::now();
        auto before = impl_->current();
        importer::Outcome outcome =
            importer::import_file(*before->data, *kind, *format, request.file_name, request.body);
        revision = before->data->revision;
        const double checked = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (outcome.changes) {
            reply.rows = outcome.changes->rows;
            if (request.dry_run) {
                body["preview"] = preview(before->data, *outcome.changes);
                spdlog::info("dry run: {} rows of {} from '{}' by {} checked in {:.2f} s, previewed in {:.2f} s",
                             reply.rows, request.kind, request.file_name, request.who, checked,
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() -
                                 checked);
            } else {
                revision = impl_->apply(*outcome.changes, {request.who, store::sha256_hex(request.body), std::nullopt},
                                        checked);
                reply.applied = true;
            }
        }
        json::array errors;
        for (const auto& problem : outcome.problems) {
            json::object error{{"file", problem.file},
                               {"line", problem.line},
                               {"column", problem.column},
                               {"reason", problem.reason}};
            if (!problem.sheet.empty()) {
                error["sheet"] = problem.sheet;
                error["cell"] = problem.place();  // "Biểu 1!D17"
            }
            if (!problem.content.empty()) error["content"] = problem.content;
            errors.push_back(std::move(error));
        }
        body["errors"] = std::move(errors);
        if (outcome.problems_not_listed > 0) body["errors_not_listed"] = outcome.problems_not_listed;
        if (!outcome.notes.empty()) body["notes"] = json::value_from(outcome.notes);
        reply.checked = outcome.changes.has_value();
    }
    reply.revision = revision;
    body["applied"] = reply.applied;
    if (request.dry_run) body["dry_run"] = true;
    body["revision"] = revision;
    body["rows"] = reply.rows;
    reply.body = json::serialize(body);
    if (reply.applied) impl_->tell_listeners(revision);
    malloc_trim(0);  // a large import's rows are freed by now: give their pages back rather than keep the peak
    return reply;
}

std::string Service::imports_json(int limit) const {
    std::vector<store::RevisionRow> rows;
    {
        std::lock_guard lock(impl_->read_mutex);
        rows = impl_->reader.revisions(limit);
    }
    json::array imports;
    for (const auto& row : rows) {
        json::object item{{"revision", row.revision}, {"kind", row.kind},         {"file", row.file},
                          {"rows", row.rows},         {"applied_at", row.applied_at}, {"who", row.who},
                          {"checksum", row.checksum}};
        if (row.undoes) item["undoes"] = *row.undoes;
        imports.push_back(std::move(item));
    }
    return json::serialize(json::object{{"revision", revision()}, {"imports", std::move(imports)}});
}

ImportReply Service::undo(std::int64_t undone, const std::string& who) {
    ImportReply reply;
    {
        std::lock_guard import_lock(impl_->import_mutex);
        std::optional<store::RevisionRow> row;
        std::vector<store::ReplacedFigure> figures;
        std::int64_t changed_later = 0;
        {
            std::lock_guard lock(impl_->write_mutex);
            row = impl_->store.revision_row(undone);
            if (row && (row->kind == "values" || row->kind == "targets" || row->kind == "undo")) {
                changed_later = impl_->store.changed_since(undone);
                if (changed_later == 0) figures = impl_->store.replaced(undone);
            }
        }
        if (!row) throw ServiceError(404, "there is no revision " + std::to_string(undone));
        if (row->kind != "values" && row->kind != "targets" && row->kind != "undo")
            throw ServiceError(409, "revision " + std::to_string(undone) + " changed the " + row->kind +
                                        ", which is not undone: import the earlier file again");
        if (changed_later > 0)
            throw ServiceError(409, std::to_string(changed_later) + " of the figures revision " +
                                        std::to_string(undone) + " set were changed by a later import: undo that first");
        if (figures.empty() && row->rows > 0)
            throw ServiceError(409, "revision " + std::to_string(undone) + " was applied before imports kept the "
                                    "figures they replaced, so it cannot be undone: import the earlier file again");
        const auto before = impl_->current();
        const Dataset& data = *before->data;
        ChangeSet changes;
        changes.kind = "undo";
        changes.file = row->file;
        changes.rows = figures.size();
        for (const auto& figure : figures) {
            const int org = data.tree->find(figure.org);
            const int indicator = data.catalogue->indicator(figure.indicator);
            const auto period = Period::parse(figure.period);
            const int category = figure.category.empty() || indicator < 0
                                     ? -1
                                     : data.catalogue->category(indicator, figure.category);
            if (org < 0 || indicator < 0 || !period || (!figure.category.empty() && category < 0))
                throw ServiceError(409, "revision " + std::to_string(undone) + " set a figure the tree or the "
                                        "catalogue no longer has (" + figure.org + ", " + figure.indicator + ")");
            (figure.target ? changes.targets : changes.values)
                .push_back({org, SeriesKey{indicator, category, *period}, figure.before});
        }
        reply.revision = impl_->apply(changes, {who, row->checksum, undone});
        reply.applied = true;
        reply.rows = changes.rows;
    }
    reply.body = json::serialize(json::object{
        {"applied", true}, {"revision", reply.revision}, {"rows", reply.rows}, {"undoes", undone}});
    impl_->tell_listeners(reply.revision);
    return reply;
}

}  // namespace chiso::syncd
