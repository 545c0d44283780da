// The membership page: the members and their parts, over the years and by type of organisation.
#include "dashboard/pages/context.hpp"
#include "dashboard/pages/pages.hpp"

#include "domain/percent.hpp"

#include <algorithm>

namespace chiso::dashboard::pages {
namespace {

// A part of the members (women, youth, ...) with its share of all members on the same day: the share syncd
// computed when the catalogue has the ratio, else composed exactly from the two counts.
Tile member_part_tile(const PageContext& ctx, const std::string& code) {
    Tile t = ctx.stock_tile(code);
    auto snapshot = ctx.latest_stock(code);
    if (!snapshot) return t;
    std::optional<std::int64_t> tenths;
    for (const domain::Indicator& ratio : ctx.doc.catalogue().indicators)
        if (ratio.kind == domain::Kind::ratio && ratio.numerator == code && ratio.denominator == "members_total")
            tenths = ctx.tenths_of(ratio.code, snapshot->period);
    if (!tenths)
        if (auto total = ctx.value("members_total", snapshot->period))
            tenths = domain::percent_tenths(snapshot->value, *total);
    if (tenths) t.detail = ctx.format.percent_tenths(*tenths) + ctx.format.tr(" tổng số đảng viên", " of all members");
    return t;
}

// The breakdown by organisation type on the members' snapshot day.
std::pair<Period, std::vector<std::string>> type_breakdown(const PageContext& ctx) {
    std::vector<Period> candidates;
    if (auto snapshot = ctx.latest_stock("members_total")) {
        candidates.push_back(month_of(snapshot->day) <= 6 ? half_period(year_of(snapshot->day), 1)
                                                          : half_period(year_of(snapshot->day), 2));
        candidates.push_back(year_period(year_of(snapshot->day)));
    }
    for (const Period& period : ctx.doc.member_periods()) candidates.push_back(period);
    for (const Period& period : candidates) {
        std::vector<std::string> present = ctx.doc.types(period);
        if (present.empty()) continue;
        std::vector<std::string> ordered;
        for (const domain::Label& type : ctx.doc.catalogue().org_types)
            if (std::find(present.begin(), present.end(), type.code) != present.end()) ordered.push_back(type.code);
        for (const std::string& type : present)
            if (std::find(ordered.begin(), ordered.end(), type) == ordered.end()) ordered.push_back(type);
        return {period, ordered};
    }
    return {year_period(ctx.as_of_year), {}};
}
Chart type_chart(const PageContext& ctx, std::string key, std::string chart_title, const std::string& code) {
    auto [period, types] = type_breakdown(ctx);
    Chart chart;
    if (!code.empty() && !ctx.known(code)) return chart;
    chart.key = std::move(key);
    chart.title = std::move(chart_title);
    chart.kind = Chart::Kind::horizontal_bar;
    chart.unit = code.empty() ? ctx.unit("org_base_total") : ctx.unit(code);
    std::vector<std::optional<std::int64_t>> counts;
    for (const std::string& type : types) {
        chart.categories.push_back(ctx.type_label(type));
        if (code.empty()) {
            counts.push_back(ctx.doc.type_orgs(period, type));
        } else {
            auto figure = ctx.doc.type_figure(period, type, code);
            counts.push_back(figure ? std::optional<std::int64_t>(figure->value) : std::nullopt);
        }
    }
    chart.series.push_back(
        ctx.count_series(code.empty() ? ctx.label("org_base_total") : ctx.label(code), "value", counts));
    chart.note = ctx.as_at(std::min(period.last_day(), ctx.as_of));
    return chart;
}
std::string trend_note(const PageContext& ctx) {
    if (!ctx.doc.to_date(year_period(ctx.as_of_year))) return {};
    auto snapshot = ctx.latest_stock("members_total");
    return std::to_string(ctx.as_of_year) + ": " + ctx.as_at(snapshot ? snapshot->day : ctx.as_of);
}

}  // namespace

Page membership(const PageContext& ctx) {
    Page page;
    if (ctx.known("members_total")) page.tiles.push_back(ctx.members_tile());
    for (const char* code :
         {"members_full", "members_probationary", "members_female", "members_youth", "members_ethnic_minority"})
        if (ctx.known(code)) page.tiles.push_back(member_part_tile(ctx, code));

    Chart trend = ctx.year_chart("membership_trend", ctx.label("members_total"), Chart::Kind::line, {"members_total"});
    trend.note = trend_note(ctx);  // a stock's year to date is its latest snapshot
    page.charts.push_back(std::move(trend));
    Chart composition =
        ctx.year_chart("composition", ctx.format.tr("Đảng viên chính thức và dự bị", "Full and probationary members"),
                       Chart::Kind::stacked_bar, {"members_full", "members_probationary"});
    composition.note = trend_note(ctx);
    page.charts.push_back(std::move(composition));
    Chart groups =
        ctx.year_chart("member_groups",
                       ctx.format.tr("Đảng viên nữ, trẻ, dân tộc thiểu số", "Women, young and ethnic minority members"),
                       Chart::Kind::bar, {"members_female", "members_youth", "members_ethnic_minority"});
    groups.note = trend_note(ctx);
    page.charts.push_back(std::move(groups));
    page.charts.push_back(type_chart(
        ctx, "members_by_type",
        ctx.format.tr("Đảng viên theo loại hình tổ chức cơ sở đảng", "Members by type of grassroots organisation"),
        "members_total"));
    page.charts.push_back(
        type_chart(ctx, "orgs_by_type",
                   ctx.format.tr("Tổ chức cơ sở đảng theo loại hình", "Grassroots organisations by type"), ""));
    return page;
}

}  // namespace chiso::dashboard::pages
