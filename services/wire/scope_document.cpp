#include "wire/scope_document.hpp"

#include "wire/scope_json.hpp"

#include <boost/json.hpp>

namespace chiso::wire {
namespace json = boost::json;
using namespace chiso::domain;

namespace {

std::string text(const json::object& object, std::string_view key) {
    const json::value* value = object.if_contains(key);
    return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

Label label_of(const json::object& object) {
    return {text(object, "code"), text(object, "label_vi"), text(object, "label_en")};
}

const json::array& array_at(const json::object& object, std::string_view key) {
    static const json::array empty;
    const json::value* value = object.if_contains(key);
    return value && value->is_array() ? value->as_array() : empty;
}

std::vector<Period> periods_of(const json::array& codes) {
    std::vector<Period> periods;
    for (const json::value& code : codes)
        if (code.is_string())
            if (auto period = Period::parse(code.as_string())) periods.push_back(*period);
    return periods;
}

}  // namespace

Catalogue catalogue_from_json(const json::object& object) {
    Catalogue catalogue;
    for (const json::value& item : array_at(object, "levels")) {
        if (!item.is_object()) continue;
        Level level;
        static_cast<Label&>(level) = label_of(item.as_object());
        const json::value* base = item.as_object().if_contains("base");
        level.base = base && base->is_bool() && base->as_bool();
        catalogue.levels.push_back(std::move(level));
    }
    for (const json::value& item : array_at(object, "org_types"))
        if (item.is_object()) catalogue.org_types.push_back(label_of(item.as_object()));
    for (const json::value& item : array_at(object, "indicators")) {
        if (!item.is_object()) continue;
        const json::object& o = item.as_object();
        Indicator d;
        static_cast<Label&>(d) = label_of(o);
        d.group = text(o, "group");
        d.unit = text(o, "unit");
        d.kind = parse_kind(text(o, "kind")).value_or(Kind::stock);
        d.flow_over_time = text(o, "over_time") == "flow";
        if (const json::value* better = o.if_contains("higher_is_better"); better && better->is_bool())
            d.higher_is_better = better->as_bool();
        if (const json::value* decimals = o.if_contains("decimals"); decimals && decimals->is_int64())
            d.decimals = static_cast<int>(decimals->as_int64());
        d.part_of = text(o, "part_of");
        d.numerator = text(o, "numerator");
        d.denominator = text(o, "denominator");
        for (const json::value& category : array_at(o, "categories"))
            if (category.is_object()) d.categories.push_back(label_of(category.as_object()));
        catalogue.indicators.push_back(std::move(d));
    }
    for (const Period& period : periods_of(array_at(object, "terms")))
        if (period.kind == PeriodKind::term) catalogue.terms.push_back(Term{period, std::nullopt, {}});
    catalogue.reindex();
    return catalogue;
}

std::optional<ScopeDocument> ScopeDocument::parse(std::string_view text_json, std::string* error) {
    boost::system::error_code parse_error;
    json::value document = json::parse(text_json, parse_error);
    if (parse_error) {
        if (error) *error = "not JSON: " + parse_error.message();
        return std::nullopt;
    }
    ScopeDocument result;
    if (!result.load(std::move(document), error)) return std::nullopt;
    return result;
}

bool ScopeDocument::load(json::value document, std::string* error) {
    auto fail = [&](const std::string& reason) {
        if (error) *error = reason;
        return false;
    };
    if (!document.is_object()) return fail("a scope document is a JSON object");
    const json::object& root = document.as_object();
    const json::value* format = root.if_contains("format");
    if (!format || !format->is_int64() || format->as_int64() != kFormat)
        return fail("unknown scope document format (this kiosk reads format " + std::to_string(kFormat) + ")");
    if (text(root, "kind") != "snapshot") return fail("expected a snapshot");
    for (const char* key : {"scope", "catalogue", "values", "targets", "by_type"})
        if (!root.if_contains(key) || !root.at(key).is_object()) return fail(std::string("missing '") + key + "'");
    if (!root.if_contains("organisations") || !root.at("organisations").is_array())
        return fail("missing 'organisations'");
    if (!root.if_contains("revision") || !root.at("revision").is_int64()) return fail("missing 'revision'");

    Catalogue catalogue = catalogue_from_json(root.at("catalogue").as_object());
    std::vector<DocumentOrg> orgs;
    for (const json::value& item : root.at("organisations").as_array()) {
        if (!item.is_object()) return fail("an organisation is not an object");
        const json::object& o = item.as_object();
        DocumentOrg org{text(o, "code"), text(o, "name"), text(o, "level"), text(o, "type")};
        if (const json::value* depth = o.if_contains("depth"); depth && depth->is_int64())
            org.depth = static_cast<int>(depth->as_int64());
        const Level* level = catalogue.level(org.level);
        org.base = level && level->base;
        const json::array& versions = array_at(o, "versions");
        if (!versions.empty() && versions.back().is_object())
            org.valid_to = parse_day(text(versions.back().as_object(), "valid_to")).value_or(kForever);
        orgs.push_back(std::move(org));
    }
    json_ = std::move(document);
    catalogue_ = std::move(catalogue);
    orgs_ = std::move(orgs);
    const json::object& scope = json_.as_object().at("scope").as_object();
    const json::value* periods = scope.if_contains("periods");
    const json::object empty;
    const json::object& lists = periods && periods->is_object() ? periods->as_object() : empty;
    scope_periods_ = periods_of(array_at(lists, "scope"));
    member_periods_ = periods_of(array_at(lists, "members"));
    to_date_ = periods_of(array_at(lists, "to_date"));
    // The terms with their days for this scope; a document without them (from an older syncd) has the
    // catalogue's terms over whole years.
    terms_.clear();
    for (const json::value& item : array_at(scope, "terms")) {
        if (!item.is_object()) continue;
        const json::object& o = item.as_object();
        auto term = Period::parse(text(o, "term"));
        auto first = parse_day(text(o, "first")), last = parse_day(text(o, "last"));
        if (!term || term->kind != PeriodKind::term || !first || !last || *last < *first) continue;
        const json::value* dated = o.if_contains("dated");
        terms_.push_back(span_of(Term{*term, TermDays{*first, *last}, {}}, nullptr));
        terms_.back().dated = dated && dated->is_bool() && dated->as_bool();
    }
    if (terms_.empty())
        for (const Term& term : catalogue_.terms) terms_.push_back(span_of(term, nullptr));
    review_ = review_previous_ = std::nullopt;
    if (const json::value* review = scope.if_contains("review"); review && review->is_object()) {
        review_ = Period::parse(text(review->as_object(), "period"));
        review_previous_ = Period::parse(text(review->as_object(), "previous"));
    }
    return true;
}

bool ScopeDocument::apply(std::string_view text_json, std::string* error) {
    boost::system::error_code parse_error;
    json::value reply = json::parse(text_json, parse_error);
    auto fail = [&](const std::string& reason) {
        if (error) *error = reason;
        return false;
    };
    if (parse_error) return fail("not JSON: " + parse_error.message());
    if (!reply.is_object()) return fail("a scope document is a JSON object");
    const json::object& delta = reply.as_object();
    if (text(delta, "kind") == "snapshot") {
        ScopeDocument fresh;
        if (!fresh.load(std::move(reply), error)) return false;
        *this = std::move(fresh);
        return true;
    }
    if (text(delta, "kind") != "delta") return fail("neither a snapshot nor a delta");
    const json::value* since = delta.if_contains("since");
    if (!since || !since->is_int64() || since->as_int64() != revision())
        return fail("a delta since another revision than the one held (" + std::to_string(revision()) + ")");
    for (const char* key : {"scope", "values", "targets", "by_type"})
        if (!delta.if_contains(key) || !delta.at(key).is_object()) return fail(std::string("missing '") + key + "'");
    for (const char* key : {"revision", "scope_revision"})
        if (!delta.if_contains(key) || !delta.at(key).is_int64()) return fail(std::string("missing '") + key + "'");

    json::value next = json_;
    json::object& root = next.as_object();
    for (const char* key : {"values", "targets"})
        for (const auto& [org, indicators] : delta.at(key).as_object()) {
            if (!indicators.is_object()) return fail("a delta's figures are not objects");
            json::value& org_slot = root[key].as_object()[org];
            if (!org_slot.is_object()) org_slot = json::object{};
            for (const auto& [indicator, periods] : indicators.as_object()) {
                if (!periods.is_object()) return fail("a delta's figures are not objects");
                json::value& slot = org_slot.as_object()[indicator];
                if (!slot.is_object()) slot = json::object{};
                for (const auto& [period, value] : periods.as_object()) slot.as_object()[period] = value;
            }
        }
    if (!delta.at("by_type").as_object().empty()) root["by_type"] = delta.at("by_type");
    root["scope"] = delta.at("scope");
    root["revision"] = delta.at("revision");
    root["scope_revision"] = delta.at("scope_revision");
    return load(std::move(next), error);
}

std::string ScopeDocument::to_json() const { return json::serialize(json_); }

std::int64_t ScopeDocument::revision() const { return json_.as_object().at("revision").as_int64(); }

std::int64_t ScopeDocument::scope_revision() const {
    const json::value* value = json_.as_object().if_contains("scope_revision");
    return value && value->is_int64() ? value->as_int64() : revision();
}

std::string ScopeDocument::org() const { return text(json_.as_object().at("scope").as_object(), "org"); }

int ScopeDocument::depth() const {
    const json::value* depth = json_.as_object().at("scope").as_object().if_contains("depth");
    return depth && depth->is_int64() ? static_cast<int>(depth->as_int64()) : 0;
}

Day ScopeDocument::as_of() const {
    return parse_day(text(json_.as_object().at("scope").as_object(), "as_of")).value_or(0);
}

const DocumentOrg* ScopeDocument::organisation(std::string_view code) const {
    for (const DocumentOrg& org : orgs_)
        if (org.code == code) return &org;
    return nullptr;
}

const TermSpan* ScopeDocument::term(const Period& period) const {
    for (const TermSpan& span : terms_)
        if (span.term == period) return &span;
    return nullptr;
}

Period ScopeDocument::months_of(const Period& period) const {
    const TermSpan* span = term(period);
    return span ? span->months : period;
}

bool ScopeDocument::to_date(const Period& period) const {
    return std::find(to_date_.begin(), to_date_.end(), period) != to_date_.end();
}

namespace {

// values[org][indicator][period], or nullptr.
const json::value* find(const json::value& root, std::string_view list, std::string_view org,
                        std::string_view indicator, const std::string& period) {
    const json::value* figures = root.as_object().if_contains(list);
    const json::value* by_org = figures && figures->is_object() ? figures->as_object().if_contains(org) : nullptr;
    const json::value* series =
        by_org && by_org->is_object() ? by_org->as_object().if_contains(indicator) : nullptr;
    return series && series->is_object() ? series->as_object().if_contains(period) : nullptr;
}

std::optional<DocumentFigure> figure_of(const json::value* value) {
    if (!value) return std::nullopt;
    if (value->is_int64()) return DocumentFigure{value->as_int64(), std::nullopt, std::nullopt};
    if (!value->is_array()) return std::nullopt;  // a distribution: see categories()
    const json::array& ratio = value->as_array();
    if (ratio.size() != 3 || !ratio[0].is_int64() || !ratio[1].is_int64()) return std::nullopt;
    DocumentFigure figure{ratio[0].as_int64(), ratio[1].as_int64(), std::nullopt};
    if (ratio[2].is_int64()) figure.tenths = ratio[2].as_int64();
    return figure;
}

const json::object* type_slot(const json::value& root, const Period& period, std::string_view type) {
    const json::value* by_type = root.as_object().if_contains("by_type");
    const json::value* at_period =
        by_type && by_type->is_object() ? by_type->as_object().if_contains(period.code()) : nullptr;
    const json::value* slot =
        at_period && at_period->is_object() ? at_period->as_object().if_contains(type) : nullptr;
    return slot && slot->is_object() ? &slot->as_object() : nullptr;
}

}  // namespace

std::optional<DocumentFigure> ScopeDocument::figure(std::string_view org, std::string_view indicator,
                                                    const Period& period) const {
    return figure_of(find(json_, "values", org, indicator, period.code()));
}

std::map<std::string, std::int64_t> ScopeDocument::categories(std::string_view org, std::string_view indicator,
                                                              const Period& period) const {
    std::map<std::string, std::int64_t> result;
    const json::value* value = find(json_, "values", org, indicator, period.code());
    if (value && value->is_object())
        for (const auto& [category, count] : value->as_object())
            if (count.is_int64()) result[std::string(category)] = count.as_int64();
    return result;
}

std::optional<std::int64_t> ScopeDocument::target(std::string_view org, std::string_view indicator,
                                                  const Period& period) const {
    const json::value* value = find(json_, "targets", org, indicator, period.code());
    if (value && value->is_int64()) return value->as_int64();
    return std::nullopt;
}

std::vector<std::string> ScopeDocument::types(const Period& period) const {
    std::vector<std::string> result;
    const json::value* by_type = json_.as_object().if_contains("by_type");
    const json::value* at_period =
        by_type && by_type->is_object() ? by_type->as_object().if_contains(period.code()) : nullptr;
    if (at_period && at_period->is_object())
        for (const auto& [type, slot] : at_period->as_object()) result.emplace_back(type);
    return result;
}

std::optional<std::int64_t> ScopeDocument::type_orgs(const Period& period, std::string_view type) const {
    const json::object* slot = type_slot(json_, period, type);
    const json::value* orgs = slot ? slot->if_contains("orgs") : nullptr;
    if (orgs && orgs->is_int64()) return orgs->as_int64();
    return std::nullopt;
}

std::optional<DocumentFigure> ScopeDocument::type_figure(const Period& period, std::string_view type,
                                                         std::string_view indicator) const {
    const json::object* slot = type_slot(json_, period, type);
    return figure_of(slot ? slot->if_contains(indicator) : nullptr);
}

}  // namespace chiso::wire
