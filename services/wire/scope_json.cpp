#include "wire/scope_json.hpp"

#include "domain/percent.hpp"

#include <boost/json/serialize.hpp>

namespace chiso::wire {
namespace json = boost::json;
using namespace chiso::domain;

namespace {

json::object label_json(const Label& label) {
    return {{"code", label.code}, {"label_vi", label.label_vi}, {"label_en", label.label_en}};
}

json::object indicator_json(const Indicator& indicator) {
    json::object out = label_json(indicator);
    out["group"] = indicator.group;
    out["unit"] = indicator.unit;
    out["kind"] = kind_name(indicator.kind);
    out["higher_is_better"] = indicator.higher_is_better;
    out["decimals"] = indicator.decimals;
    if (indicator.kind == Kind::distribution) out["over_time"] = indicator.flow_over_time ? "flow" : "stock";
    if (!indicator.part_of.empty()) out["part_of"] = indicator.part_of;
    if (indicator.kind == Kind::ratio) {
        out["numerator"] = indicator.numerator;
        out["denominator"] = indicator.denominator;
    }
    if (!indicator.categories.empty()) {
        json::array categories;
        for (const Label& category : indicator.categories) categories.push_back(label_json(category));
        out["categories"] = std::move(categories);
    }
    return out;
}

json::value figure_value(std::int64_t value, const std::optional<std::int64_t>& denominator) {
    if (!denominator) return value;
    json::array ratio{value, *denominator};
    if (auto tenths = percent_tenths(value, *denominator))
        ratio.push_back(*tenths);
    else
        ratio.push_back(nullptr);
    return ratio;
}

// Puts a figure at slot[period] — or slot[period][category] for a distribution.
void place(json::object& slot, const Catalogue& catalogue, int indicator, int category, const Period& period,
           json::value value) {
    if (category < 0) {
        slot[period.code()] = std::move(value);
        return;
    }
    json::value& by_category = slot[period.code()];
    if (!by_category.is_object()) by_category = json::object{};
    by_category.as_object()[catalogue.indicators[indicator].categories[category].code] = std::move(value);
}

json::object figures_json(const Dataset& data, const std::vector<ScopeFigure>& figures) {
    json::object out;
    for (const ScopeFigure& figure : figures) {
        json::value& org = out[data.tree->at(figure.org).code];
        if (!org.is_object()) org = json::object{};
        json::value& indicator = org.as_object()[data.catalogue->indicators[figure.indicator].code];
        if (!indicator.is_object()) indicator = json::object{};
        place(indicator.as_object(), *data.catalogue, figure.indicator, figure.category, figure.period,
              figure_value(figure.value, figure.denominator));
    }
    return out;
}

json::object by_type_json(const Dataset& data, const std::vector<TypeFigure>& figures) {
    json::object out;
    for (const TypeFigure& figure : figures) {
        json::value& period = out[figure.period.code()];
        if (!period.is_object()) period = json::object{};
        json::value& type = period.as_object()[figure.type];
        if (!type.is_object()) type = json::object{};
        json::object& slot = type.as_object();
        if (figure.indicator < 0) {
            slot["orgs"] = figure.value;
            continue;
        }
        const std::string& code = data.catalogue->indicators[figure.indicator].code;
        json::value value = figure_value(figure.value, figure.denominator);
        if (figure.category < 0) {
            slot[code] = std::move(value);
            continue;
        }
        json::value& by_category = slot[code];
        if (!by_category.is_object()) by_category = json::object{};
        by_category.as_object()[data.catalogue->indicators[figure.indicator].categories[figure.category].code] =
            std::move(value);
    }
    return out;
}

json::array organisations_json(const Dataset& data, const std::vector<ScopeOrg>& orgs) {
    json::array out;
    for (const ScopeOrg& scope_org : orgs) {
        const Organisation& org = data.tree->at(scope_org.org);
        json::array versions;
        for (const OrgVersion& version : org.versions) {
            json::object v{{"name", version.name},
                           {"parent", version.parent},
                           {"level", version.level},
                           {"type", version.type},
                           {"valid_from", format_day(version.valid_from)}};
            v["valid_to"] =
                version.valid_to == kForever ? json::value(nullptr) : json::value(format_day(version.valid_to));
            versions.push_back(std::move(v));
        }
        const OrgVersion& latest = org.latest();
        out.push_back(json::object{{"code", org.code},
                                   {"name", latest.name},
                                   {"level", latest.level},
                                   {"type", latest.type},
                                   {"depth", scope_org.depth},
                                   {"versions", std::move(versions)}});
    }
    return out;
}

json::array codes(const std::vector<Period>& periods) {
    json::array out;
    for (const Period& period : periods) out.push_back(json::string(period.code()));
    return out;
}

json::array term_codes(const std::vector<Term>& terms) {
    json::array out;
    for (const Term& term : terms) out.push_back(json::string(term.period.code()));
    return out;
}

// The terms as they run for the scope's organisation: a kiosk needs no other organisation's days.
json::array terms_json(const std::vector<TermSpan>& spans) {
    json::array out;
    for (const TermSpan& span : spans)
        out.push_back(json::object{{"term", span.term.code()},
                                   {"first", format_day(span.days.first)},
                                   {"last", format_day(span.days.last)},
                                   {"dated", span.dated}});
    return out;
}

}  // namespace

json::object catalogue_json(const Catalogue& catalogue) {
    json::array levels, types, indicators;
    for (const Level& level : catalogue.levels) {
        json::object out = label_json(level);
        out["base"] = level.base;
        levels.push_back(std::move(out));
    }
    for (const Label& type : catalogue.org_types) types.push_back(label_json(type));
    for (const Indicator& indicator : catalogue.indicators) indicators.push_back(indicator_json(indicator));
    return {{"levels", std::move(levels)},
            {"org_types", std::move(types)},
            {"indicators", std::move(indicators)},
            {"terms", term_codes(catalogue.terms)}};
}

std::string scope_json(const Dataset& data, const ScopeView& view, const ScopeHeader& header) {
    json::object out;
    out["format"] = kFormat;
    out["kind"] = header.since ? "delta" : "snapshot";
    out["revision"] = header.revision;
    out["scope_revision"] = header.scope_revision;
    if (header.since) out["since"] = *header.since;
    json::array to_date;
    for (const auto* periods : {&view.root_periods, &view.member_periods})
        for (const Period& period : *periods)
            if (view.months_of(period).last_day() > view.as_of &&
                !std::count(to_date.begin(), to_date.end(), json::value(period.code())))
                to_date.push_back(json::string(period.code()));
    out["scope"] = json::object{{"org", data.tree->at(view.request.root).code},
                                {"depth", view.request.depth},
                                {"as_of", view.as_of > 0 ? json::value(format_day(view.as_of)) : json::value(nullptr)},
                                {"periods", json::object{{"scope", codes(view.root_periods)},
                                                         {"members", codes(view.member_periods)},
                                                         {"to_date", std::move(to_date)}}},
                                {"terms", terms_json(view.terms)}};
    if (view.request.review) {
        json::object review{{"period", view.request.review->code()}};
        if (view.review_previous) review["previous"] = view.review_previous->code();
        out["scope"].as_object()["review"] = std::move(review);
    }
    if (!header.since) {
        out["catalogue"] = catalogue_json(*data.catalogue);
        out["organisations"] = organisations_json(data, view.orgs);
    }
    out["values"] = figures_json(data, view.figures);
    out["targets"] = figures_json(data, view.targets);
    out["by_type"] = by_type_json(data, view.by_type);
    return json::serialize(out);
}

}  // namespace chiso::wire
