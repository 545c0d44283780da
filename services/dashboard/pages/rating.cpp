// The rating page: the quality ratings of organisations and members, year by year, and those rated failing.
#include "dashboard/pages/context.hpp"
#include "dashboard/pages/pages.hpp"

#include "domain/percent.hpp"

#include <algorithm>

namespace chiso::dashboard::pages {
namespace {

// The count of one rating (the best, or the failing one) in the latest rated year, with its share.
std::optional<Tile> rating_category_tile(const PageContext& ctx, const std::string& code, bool best) {
    auto year = ctx.latest_rated_year(code, ctx.as_of_year + 1);
    if (!year) return std::nullopt;
    auto categories = ctx.doc.categories(ctx.scope_org, code, year_period(*year));
    std::optional<std::string> chosen;
    for (const auto& [category, count] : categories) {
        if (!best && !rated_failing(category)) continue;
        if (!chosen ||
            (best ? rating_rank(category) < rating_rank(*chosen) : rating_rank(category) > rating_rank(*chosen)))
            chosen = category;
    }
    if (!chosen) return std::nullopt;
    const bool orgs = code == "rating_orgs";
    Tile t = tile(code + "." + *chosen,
                  (orgs ? ctx.format.tr("TCCSĐ ", "Organisations: ") : ctx.format.tr("Đảng viên ", "Members: ")) +
                      (ctx.format.language() == Language::vi ? lower_first(ctx.category_label(code, *chosen))
                                                             : ctx.category_label(code, *chosen)),
                  ctx.unit(code));
    const std::int64_t count = categories[*chosen];
    t.value = ctx.format.number(count);
    t.period = ctx.covers(year_period(*year));
    if (auto tenths = domain::percent_tenths(count, sum(categories)))
        t.detail = ctx.format.percent_tenths(*tenths) + ctx.format.tr(" số được xếp loại", " of those rated");
    if (auto previous_year = ctx.latest_rated_year(code, *year)) {
        auto before = ctx.doc.categories(ctx.scope_org, code, year_period(*previous_year));
        if (auto it = before.find(*chosen); it != before.end())  // the same scale both years
            ctx.set_change(t, count - it->second, ctx.format.tr("năm ", "") + std::to_string(*previous_year), best);
    }
    return t;
}

// In a review: those rated failing in every year rated inside it (a year's rating falls on its last day), added
// up, as a review's report quotes them ("since 2017, 82 members rated not completing their duties").
std::optional<Tile> failing_over_review_tile(const PageContext& ctx, const std::string& code) {
    if (!ctx.review) return std::nullopt;
    const Period months = ctx.doc.months_of(*ctx.review);
    std::int64_t total = 0;
    std::vector<int> rated;
    std::string detail;
    for (int year : ctx.years) {
        const Day rated_on = year_period(year).last_day();
        if (rated_on < months.first_day() || rated_on > std::min(months.last_day(), ctx.as_of)) continue;
        auto categories = ctx.doc.categories(ctx.scope_org, code, year_period(year));
        if (categories.empty()) continue;
        std::int64_t failing = 0;
        for (const auto& [category, count] : categories)
            if (rated_failing(category)) failing += count;
        total += failing;
        rated.push_back(year);
        detail += (detail.empty() ? "" : " · ") + std::to_string(year) + ": " + ctx.format.number(failing);
    }
    if (rated.empty()) return std::nullopt;
    const bool orgs = code == "rating_orgs";
    Tile t = tile(code + ".failing_in_review",
                  orgs ? ctx.format.tr("TCCSĐ không hoàn thành nhiệm vụ, yếu kém (cộng dồn)",
                                       "Organisations failing, all years rated")
                       : ctx.format.tr("Đảng viên không hoàn thành nhiệm vụ (cộng dồn)",
                                       "Members not completing their duties, all years rated"),
                  ctx.unit(code));
    t.value = ctx.format.number(total);
    t.detail = detail;
    t.period = ctx.format.tr("Xếp loại năm ", "Rated in ") + std::to_string(rated.front()) +
               (rated.size() > 1 ? kEnDash + std::to_string(rated.back()) : std::string());
    return t;
}

// The years holding a figure of the indicator.
std::vector<int> years_with(const PageContext& ctx, const std::string& code) {
    std::vector<int> result;
    for (int year : ctx.years)
        if (ctx.amount(code, year_period(year))) result.push_back(year);
    return result;
}

}  // namespace

Page rating(const PageContext& ctx) {
    Page page;
    for (const char* code : {"rating_orgs", "rating_members"}) {
        if (!ctx.known(code)) continue;
        page.tiles.push_back(ctx.good_share_tile(code));
        if (auto t = rating_category_tile(ctx, code, true)) page.tiles.push_back(std::move(*t));
        if (auto t = rating_category_tile(ctx, code, false)) page.tiles.push_back(std::move(*t));
        if (auto t = failing_over_review_tile(ctx, code)) page.tiles.push_back(std::move(*t));
    }

    page.charts.push_back(ctx.distribution_chart("rating_orgs_by_year", ctx.label("rating_orgs"), "rating_orgs",
                                                 years_with(ctx, "rating_orgs"), true));
    page.charts.push_back(ctx.distribution_chart("rating_members_by_year", ctx.label("rating_members"),
                                                 "rating_members", years_with(ctx, "rating_members"), true));

    // The share rated good or better, year by year.
    Chart shares;
    shares.key = "good_share_trend";
    shares.title = ctx.format.tr("Tỷ lệ hoàn thành tốt nhiệm vụ trở lên", "Share rated good or better");
    shares.kind = Chart::Kind::line;
    shares.unit = "%";
    std::vector<int> rated = years_with(ctx, "rating_orgs");
    for (int year : years_with(ctx, "rating_members"))
        if (std::find(rated.begin(), rated.end(), year) == rated.end()) rated.push_back(year);
    std::sort(rated.begin(), rated.end());
    for (int year : rated) shares.categories.push_back(std::to_string(year));
    for (const char* code : {"rating_orgs", "rating_members"}) {
        if (!ctx.known(code)) continue;
        std::vector<std::optional<double>> values;
        std::vector<std::string> labels;
        for (int year : rated) {
            auto categories = ctx.doc.categories(ctx.scope_org, code, year_period(year));
            auto [good, total] = good_of(categories);
            auto tenths = categories.empty() ? std::nullopt : domain::percent_tenths(good, total);
            values.push_back(tenths ? std::optional<double>(static_cast<double>(*tenths) / 10.0) : std::nullopt);
            labels.push_back(tenths ? ctx.format.percent_tenths(*tenths) : std::string());
        }
        Series s;
        s.name = std::string(code) == "rating_orgs" ? ctx.format.tr("Tổ chức cơ sở đảng", "Grassroots organisations")
                                                    : ctx.format.tr("Đảng viên", "Members");
        s.role = "value";
        s.values = std::move(values);
        s.labels = std::move(labels);
        shares.series.push_back(std::move(s));
    }
    page.charts.push_back(std::move(shares));

    // The organisations rated failing in the latest rated year, when the scope holds their own ratings.
    if (auto year = ctx.latest_rated_year("rating_orgs", ctx.as_of_year + 1); year && ctx.known("rating_orgs")) {
        ItemList list;
        list.key = "orgs_failing";
        list.unit = ctx.format.tr("tổ chức", "organisations");
        for (const wire::DocumentOrg& org : ctx.doc.organisations()) {
            if (org.depth == 0) continue;
            auto categories = ctx.doc.categories(org.code, "rating_orgs", year_period(*year));
            for (const auto& [category, count] : categories)
                if (rated_failing(category) && count > 0 && org.base)
                    list.items.push_back({org.name, ctx.category_label("rating_orgs", category)});
        }
        list.title =
            ctx.format.tr("TCCSĐ không hoàn thành nhiệm vụ năm ", "Organisations not completing their duties in ") +
            std::to_string(*year);
        if (ctx.has_base_orgs()) {
            list.title += " (" + ctx.format.number(static_cast<std::int64_t>(list.items.size())) + ")";
            list.empty_text = ctx.format.tr("Không có", "None");
        } else {
            list.empty_text = ctx.format.tr("Màn hình này không hiển thị đến cấp tổ chức cơ sở đảng",
                                            "This screen's scope does not reach the grassroots organisations");
        }
        page.lists.push_back(std::move(list));
    }
    return page;
}

}  // namespace chiso::dashboard::pages
