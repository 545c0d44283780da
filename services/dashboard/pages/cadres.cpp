// The cadres page (Cấp ủy – cán bộ): secretaries who also head their unit, the members of party committees, and
// the women and young members among them, with their shares, as of the latest snapshot and over the years.
#include "dashboard/pages/context.hpp"
#include "dashboard/pages/pages.hpp"

#include "domain/percent.hpp"

namespace chiso::dashboard::pages {
namespace {

// A share syncd computed (a ratio of the catalogue) at its latest snapshot: "76,2 %", "80/105 tổ chức", and its
// change since the half year before (or since the review began).
Tile share_tile(const PageContext& ctx, const std::string& ratio, const std::string& counted) {
    Tile t = tile(ratio, ctx.label(ratio), "");  // the value carries its "%"
    auto snapshot = ctx.latest_stock(ratio);
    auto figure = snapshot ? ctx.doc.figure(ctx.scope_org, ratio, snapshot->period) : std::nullopt;
    if (!figure || !figure->denominator || !figure->tenths) {
        set_missing(t, ctx.format.day(ctx.as_of));
        return t;
    }
    t.value = ctx.format.percent_tenths(*figure->tenths);
    t.period = ctx.format.day(snapshot->day);
    t.detail = ctx.format.number(figure->value) + "/" + ctx.format.number(*figure->denominator) + " " + counted;
    const Period before = ctx.stock_compared_with(snapshot->day);
    if (auto then = ctx.doc.figure(ctx.scope_org, ratio, before); then && then->denominator && *then->denominator > 0) {
        if (auto delta = domain::share_change_tenths(figure->value, *figure->denominator, then->value,
                                                     *then->denominator))
            ctx.set_change(t, *delta, ctx.format.day(before.last_day()), ctx.higher_is_better(ratio),
                           ctx.format.percent_points(*delta));
    }
    return t;
}

// The shares over the scope's years, one series each, leading years without any left out.
Chart share_chart(const PageContext& ctx, std::string key, std::string chart_title,
                  const std::vector<std::string>& ratios) {
    Chart chart;
    chart.key = std::move(key);
    chart.title = std::move(chart_title);
    chart.kind = Chart::Kind::bar;
    chart.unit = "%";
    std::size_t first = ctx.years.size();
    std::vector<std::vector<std::optional<std::int64_t>>> columns;  // tenths of a percent, as syncd rounded them
    for (const std::string& ratio : ratios) {
        std::vector<std::optional<std::int64_t>> column;
        for (std::size_t i = 0; i < ctx.years.size(); ++i) {
            column.push_back(ctx.tenths_of(ratio, year_period(ctx.years[i])));
            if (column.back()) first = std::min(first, i);
        }
        columns.push_back(std::move(column));
    }
    if (first == ctx.years.size()) first = ctx.years.empty() ? 0 : ctx.years.size() - 1;
    for (std::size_t i = first; i < ctx.years.size(); ++i) chart.categories.push_back(std::to_string(ctx.years[i]));
    for (std::size_t r = 0; r < ratios.size(); ++r) {
        std::vector<std::optional<double>> values;
        std::vector<std::string> labels;
        for (std::size_t i = first; i < columns[r].size(); ++i) {
            const auto& tenths = columns[r][i];
            values.push_back(tenths ? std::optional<double>(static_cast<double>(*tenths) / 10.0) : std::nullopt);
            labels.push_back(tenths ? ctx.format.percent_tenths(*tenths) : std::string());
        }
        Series s = ctx.series(ctx.label(ratios[r]), "value", std::move(values), [](double) { return std::string(); });
        s.labels = std::move(labels);
        chart.series.push_back(std::move(s));
    }
    if (ctx.doc.to_date(year_period(ctx.as_of_year))) chart.note = std::to_string(ctx.as_of_year) + ": " + ctx.as_at(ctx.as_of);
    return chart;
}

}  // namespace

Page cadres(const PageContext& ctx) {
    Page page;
    const std::string organisations = ctx.format.tr("tổ chức cơ sở đảng", "grassroots organisations");
    const std::string people = ctx.format.tr("người", "people");
    if (ctx.known("secretary_is_head")) page.tiles.push_back(ctx.stock_tile("secretary_is_head"));
    if (ctx.known("secretary_is_head_share"))
        page.tiles.push_back(share_tile(ctx, "secretary_is_head_share", organisations));
    if (ctx.known("committee_members")) page.tiles.push_back(ctx.stock_tile("committee_members"));
    for (const char* ratio : {"committee_female_pct", "committee_young_pct"})
        if (ctx.known(ratio)) page.tiles.push_back(share_tile(ctx, ratio, people));

    if (ctx.known("secretary_is_head_share"))
        page.charts.push_back(share_chart(
            ctx, "secretary_share_by_year",
            ctx.format.tr("Bí thư đồng thời là thủ trưởng theo năm", "Secretaries heading their unit by year"),
            {"secretary_is_head_share"}));
    page.charts.push_back(ctx.year_chart(
        "committee_members_by_year", ctx.format.tr("Cấp ủy viên theo năm", "Committee members by year"),
        Chart::Kind::bar, {"committee_members", "committee_female", "committee_young"}));
    std::vector<std::string> shares;
    for (const char* ratio : {"committee_female_pct", "committee_young_pct"})
        if (ctx.known(ratio)) shares.push_back(ratio);
    if (!shares.empty())
        page.charts.push_back(share_chart(ctx, "committee_shares_by_year",
                                          ctx.format.tr("Tỷ lệ nữ, trẻ trong cấp ủy", "Women and young in committees"),
                                          shares));
    return page;
}

}  // namespace chiso::dashboard::pages
