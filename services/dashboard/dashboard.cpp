#include "dashboard/dashboard.hpp"

#include "dashboard/pages/context.hpp"
#include "dashboard/pages/pages.hpp"

#include "domain/percent.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace chiso::dashboard {
namespace pages {
namespace {

// A sum of several flows; missing when none of them was reported.
Amount sum_of(const PageContext& ctx, std::vector<std::string> codes) {
    return [&ctx, codes](const Period& period) -> std::optional<std::int64_t> {
        std::optional<std::int64_t> total;
        for (const std::string& code : codes)
            if (auto v = ctx.amount(code, period)) total = total.value_or(0) + *v;
        return total;
    };
}
Tile inspections_tile(const PageContext& ctx) {
    Tile t = ctx.flow_tile(
        "inspections", ctx.format.tr("Kiểm tra, giám sát", "Inspections and supervisions"), ctx.unit("inspections_org"),
        true, sum_of(ctx, {"inspections_org", "inspections_member", "supervisions_org", "supervisions_member"}));
    const Period year = year_period(ctx.as_of_year);
    auto inspections = sum_of(ctx, {"inspections_org", "inspections_member"})(year);
    auto supervisions = sum_of(ctx, {"supervisions_org", "supervisions_member"})(year);
    if (inspections || supervisions)
        t.detail = ctx.format.tr("kiểm tra ", "inspections ") + ctx.format.number(inspections.value_or(0)) + " · " +
                   ctx.format.tr("giám sát ", "supervisions ") + ctx.format.number(supervisions.value_or(0));
    return t;
}

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

std::optional<Period> current_term(const PageContext& ctx) {
    for (const Period& term : ctx.doc.catalogue().terms)
        if (term.first_day() <= ctx.as_of && ctx.as_of <= term.last_day()) return term;
    return std::nullopt;
}
Tile term_admissions_tile(const PageContext& ctx) {
    Tile t = tile("admissions_term", ctx.format.tr("Kết nạp đảng viên trong nhiệm kỳ", "Admitted during the term"),
                  ctx.unit("admissions"));
    auto term = current_term(ctx);
    if (!term) {
        set_missing(t, ctx.format.tr("Nhiệm kỳ hiện tại", "Current term"));
        t.detail = ctx.format.tr("danh mục chưa có nhiệm kỳ này", "the catalogue has no current term");
        return t;
    }
    auto done = ctx.amount("admissions", *term);
    if (done)
        t.value = ctx.format.number(*done);
    else
        set_missing(t, ctx.covers(*term));
    t.period = ctx.covers(*term);
    t.detail = ctx.attainment_detail(*term, done);
    return t;
}

struct Pacing {
    std::optional<std::int64_t> target;
    std::int64_t done = 0, remaining = 0, per_month = 0;
    int months_left = 0;
};
Pacing pacing(const PageContext& ctx) {
    Pacing p;
    p.target = ctx.doc.target(ctx.scope_org, "admissions", year_period(ctx.as_of_year));
    p.done = ctx.amount("admissions", year_period(ctx.as_of_year)).value_or(0);
    p.months_left = ctx.as_of == year_period(ctx.as_of_year).last_day() ? 0 : 12 - ctx.as_of_month;
    if (p.target) {
        p.remaining = *p.target - p.done;
        if (p.remaining > 0 && p.months_left > 0) p.per_month = (p.remaining + p.months_left - 1) / p.months_left;
    }
    return p;
}
std::string pacing_text(const PageContext& ctx, const Pacing& p) {
    const std::string year = std::to_string(ctx.as_of_year);
    const bool vi = ctx.format.language() == Language::vi;
    if (!p.target) return vi ? "Chưa có chỉ tiêu kết nạp năm " + year : "No admissions target for " + year;
    if (p.remaining <= 0) {
        std::string text = vi ? "Đã đạt chỉ tiêu kết nạp năm " + year : year + " admissions target reached";
        if (p.remaining < 0) text += (vi ? " (vượt " : " (exceeded by ") + ctx.format.number(-p.remaining) + ")";
        return text;
    }
    if (p.months_left == 0)
        return vi ? "Năm " + year + " còn thiếu " + ctx.format.number(p.remaining) + " so với chỉ tiêu"
                  : year + " ended " + ctx.format.number(p.remaining) + " short of the target";
    if (vi)
        return "Cần kết nạp thêm " + ctx.format.number(p.remaining) + " trong " + std::to_string(p.months_left) +
               " tháng còn lại: " + ctx.format.number(p.per_month) + "/tháng";
    return ctx.format.number(p.remaining) + " more to admit in the " + std::to_string(p.months_left) + " month" +
           (p.months_left == 1 ? "" : "s") + " left: " + ctx.format.number(p.per_month) + " a month";
}
Tile pacing_tile(const PageContext& ctx) {
    Pacing p = pacing(ctx);
    Tile t =
        tile("admissions_pacing", ctx.format.tr("Cần kết nạp thêm để đạt chỉ tiêu", "Still to admit for the target"),
             ctx.unit("admissions"));
    t.period = ctx.covers(year_period(ctx.as_of_year));
    if (!p.target) {
        set_missing(t, ctx.covers(year_period(ctx.as_of_year)));
        t.detail = pacing_text(ctx, p);
        return t;
    }
    t.value = ctx.format.number(std::max<std::int64_t>(p.remaining, 0));
    if (p.remaining > 0 && p.months_left > 0) {
        t.detail =
            ctx.format.language() == Language::vi
                ? ctx.format.number(p.per_month) + "/tháng trong " + std::to_string(p.months_left) + " tháng còn lại"
                : ctx.format.number(p.per_month) + " a month over the " + std::to_string(p.months_left) + " month" +
                      (p.months_left == 1 ? "" : "s") + " left";
        if (auto elapsed = domain::percent_tenths(12 - p.months_left, 12))
            t.detail += ctx.format.tr(" · đã qua ", " · ") + ctx.format.percent_tenths(*elapsed) +
                        ctx.format.tr(" thời gian", " of the year gone");
    } else {
        t.detail = pacing_text(ctx, p);
    }
    return t;
}

// Whether the document holds any figure of the organisation's own.
bool has_figures(const PageContext& ctx, std::string_view org) {
    for (const domain::Indicator& indicator : ctx.doc.catalogue().indicators)
        for (const Period& period : ctx.doc.member_periods()) {
            if (indicator.kind == domain::Kind::distribution) {
                if (!ctx.doc.categories(org, indicator.code, period).empty()) return true;
            } else if (ctx.doc.figure(org, indicator.code, period)) {
                return true;
            }
        }
    return false;
}

// The base organisations that admitted no one this year: those of the document that still existed this year (not
// wound up before it, with some figure of their own in the document) and have no admissions, or 0, for the year.
std::vector<const wire::DocumentOrg*> without_admissions(const PageContext& ctx) {
    std::vector<const wire::DocumentOrg*> result;
    const Period year = year_period(ctx.as_of_year);
    for (const wire::DocumentOrg& org : ctx.doc.organisations()) {
        if (!org.base || org.depth == 0 || org.valid_to < year.first_day()) continue;
        if (!has_figures(ctx, org.code)) continue;  // not yet founded by the as-of day
        auto admitted = ctx.value("admissions", year, org.code);
        if (!admitted || *admitted == 0) result.push_back(&org);
    }
    return result;
}

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

// The years holding a figure of the indicator.
std::vector<int> years_with(const PageContext& ctx, const std::string& code) {
    std::vector<int> result;
    for (int year : ctx.years)
        if (ctx.amount(code, year_period(year))) result.push_back(year);
    return result;
}

}  // namespace

Page overview(const PageContext& ctx) {
    Page page;
    if (ctx.known("members_total")) page.tiles.push_back(ctx.members_tile());
    if (ctx.known("org_base_total")) {
        Tile orgs = ctx.stock_tile("org_base_total");
        if (auto snapshot = ctx.latest_stock("org_base_total")) {
            auto committees = ctx.value("org_base_committees", snapshot->period);
            auto cells = ctx.value("org_base_cells", snapshot->period);
            if (committees && cells)
                orgs.detail = ctx.label("org_base_committees") + " " + ctx.format.number(*committees) + " · " +
                              ctx.label("org_base_cells") + " " + ctx.format.number(*cells);
        }
        page.tiles.push_back(std::move(orgs));
    }
    if (ctx.known("admissions")) page.tiles.push_back(ctx.admissions_tile());
    if (ctx.known("full_recognitions")) page.tiles.push_back(ctx.flow_tile("full_recognitions"));
    if (ctx.known("inspections_org") || ctx.known("inspections_member") || ctx.known("supervisions_org") ||
        ctx.known("supervisions_member"))
        page.tiles.push_back(inspections_tile(ctx));
    for (const char* code : {"discipline_members", "discipline_orgs"})
        if (ctx.known(code)) page.tiles.push_back(ctx.distribution_tile(code));
    if (ctx.known("rating_orgs")) page.tiles.push_back(ctx.good_share_tile("rating_orgs"));
    return page;
}

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

Page admission(const PageContext& ctx) {
    Page page;
    if (!ctx.known("admissions")) return page;
    page.tiles.push_back(ctx.admissions_tile());
    page.tiles.push_back(term_admissions_tile(ctx));
    page.tiles.push_back(pacing_tile(ctx));
    for (const char* code : {"admissions_from_youth_union", "admissions_female"}) {
        if (!ctx.known(code)) continue;
        Tile t = ctx.flow_tile(code);
        auto part = ctx.amount(code, year_period(ctx.as_of_year));
        auto whole = ctx.amount("admissions", year_period(ctx.as_of_year));
        if (part && whole)
            if (auto tenths = domain::percent_tenths(*part, *whole))
                t.detail = ctx.format.percent_tenths(*tenths) + ctx.format.tr(" số được kết nạp", " of those admitted");
        page.tiles.push_back(std::move(t));
    }
    for (const char* code : {"candidates_trained", "full_recognitions"})
        if (ctx.known(code)) page.tiles.push_back(ctx.flow_tile(code));

    // The organisations with no admissions yet: from the base organisations when the scope reaches them,
    // else the figure reported for the scope organisation.
    const wire::DocumentOrg* scope = ctx.doc.organisation(ctx.scope_org);
    const bool wound_up = scope && scope->valid_to < year_period(ctx.as_of_year).first_day();
    const bool listed = ctx.has_base_orgs() && !wound_up;
    auto without = without_admissions(ctx);
    const std::string none_label = ctx.label_or("orgs_without_admissions", "TCCSĐ chưa kết nạp được đảng viên",
                                                "Grassroots organisations with no admissions");
    Tile none = tile("orgs_without_admissions", none_label,
                     ctx.known("orgs_without_admissions") ? ctx.unit("orgs_without_admissions")
                                                          : ctx.format.tr("tổ chức", "organisations"));
    none.period = ctx.covers(year_period(ctx.as_of_year));
    if (listed)
        none.value = ctx.format.number(static_cast<std::int64_t>(without.size()));
    else if (auto reported = ctx.value("orgs_without_admissions", year_period(ctx.as_of_year)))
        none.value = ctx.format.number(*reported);
    else
        set_missing(none, ctx.covers(year_period(ctx.as_of_year)));
    page.tiles.push_back(std::move(none));

    // Monthly admissions this year beside last year's.
    Chart monthly;
    monthly.key = "admissions_monthly";
    monthly.title = ctx.label("admissions") + ctx.format.tr(" theo tháng", " by month");
    monthly.kind = Chart::Kind::bar;
    monthly.unit = ctx.unit("admissions");
    std::vector<std::optional<std::int64_t>> this_year, last_year;
    for (int m = 1; m <= 12; ++m) {
        monthly.categories.push_back(ctx.format.period_short(month_period(ctx.as_of_year, m)));
        this_year.push_back(m <= ctx.as_of_month ? ctx.amount("admissions", month_period(ctx.as_of_year, m))
                                                 : std::nullopt);
        last_year.push_back(ctx.amount("admissions", month_period(ctx.as_of_year - 1, m)));
    }
    monthly.series.push_back(ctx.count_series(ctx.format.period(year_period(ctx.as_of_year)), "value", this_year));
    monthly.series.push_back(
        ctx.count_series(ctx.format.period(year_period(ctx.as_of_year - 1)), "comparison", last_year));
    page.charts.push_back(std::move(monthly));

    // Cumulative against the target, and the pace that would still reach it.
    Pacing p = pacing(ctx);
    Chart cumulative;
    cumulative.key = "admissions_cumulative";
    cumulative.title =
        ctx.format.tr("Kết nạp lũy kế so với chỉ tiêu năm ", "Cumulative admissions against the target, ") +
        std::to_string(ctx.as_of_year);
    cumulative.kind = Chart::Kind::line;
    cumulative.unit = ctx.unit("admissions");
    cumulative.categories = page.charts.back().categories;
    std::vector<std::optional<std::int64_t>> running, running_last;
    std::int64_t total = 0, total_last = 0;
    for (int m = 1; m <= 12; ++m) {
        total += this_year[static_cast<std::size_t>(m - 1)].value_or(0);
        running.push_back(m <= ctx.as_of_month ? std::optional<std::int64_t>(total) : std::nullopt);
        total_last += last_year[static_cast<std::size_t>(m - 1)].value_or(0);
        running_last.push_back(total_last);
    }
    cumulative.series.push_back(
        ctx.count_series(ctx.format.period(year_period(ctx.as_of_year)), "cumulative", running));
    if (ctx.same_period_last_year(ctx.amount_of("admissions")))  // last year known month by month
        cumulative.series.push_back(
            ctx.count_series(ctx.format.period(year_period(ctx.as_of_year - 1)), "comparison", running_last));
    if (p.target) {
        cumulative.series.push_back(ctx.count_series(ctx.format.tr("Chỉ tiêu", "Target"), "target",
                                                     std::vector<std::optional<std::int64_t>>(12, *p.target)));
        if (p.remaining > 0 && p.months_left > 0) {
            std::vector<std::optional<double>> pace(12);
            for (int m = ctx.as_of_month; m <= 12; ++m)
                pace[static_cast<std::size_t>(m - 1)] =
                    static_cast<double>(total) + static_cast<double>(p.remaining) *
                                                     static_cast<double>(m - ctx.as_of_month) /
                                                     static_cast<double>(p.months_left);
            Series s = ctx.series(ctx.format.tr("Tiến độ cần đạt", "Pace needed"), "pace", std::move(pace),
                                  [](double) { return std::string(); });
            s.labels.back() = ctx.format.number(*p.target);
            cumulative.series.push_back(std::move(s));
        }
    }
    cumulative.note = pacing_text(ctx, p);
    page.charts.push_back(std::move(cumulative));

    page.charts.push_back(
        ctx.year_chart("admissions_by_group", ctx.format.tr("Kết nạp theo đối tượng", "Admissions by group"),
                       Chart::Kind::bar, {"admissions", "admissions_from_youth_union", "admissions_female"}));

    ItemList list;
    list.key = "orgs_without_admissions";
    list.unit = ctx.format.tr("tổ chức", "organisations");
    const std::string year_text = std::to_string(ctx.as_of_year);
    if (listed) {
        for (const wire::DocumentOrg* org : without) {
            ListItem item{org->name, ctx.type_label(org->type)};
            if (auto target = ctx.doc.target(org->code, "admissions", year_period(ctx.as_of_year)))
                item.detail += ctx.format.tr(" · chỉ tiêu ", " · target ") + ctx.format.number(*target);
            list.items.push_back(std::move(item));
        }
        list.title = none_label + ctx.format.tr(" năm ", " in ") + year_text + " (" +
                     ctx.format.number(static_cast<std::int64_t>(without.size())) + ")";
        list.empty_text = ctx.format.language() == Language::vi
                              ? "Tất cả tổ chức cơ sở đảng đã kết nạp được đảng viên trong năm " + year_text
                              : "Every grassroots organisation has admitted members in " + year_text;
    } else {
        list.title = none_label + ctx.format.tr(" năm ", " in ") + year_text;
        list.empty_text = wound_up
                              ? ctx.format.tr("Tổ chức đã kết thúc hoạt động ngày ", "The organisation ended on ") +
                                    ctx.format.day(scope->valid_to)
                              : ctx.format.tr("Màn hình này không hiển thị đến cấp tổ chức cơ sở đảng",
                                              "This screen's scope does not reach the grassroots organisations");
    }
    page.lists.push_back(std::move(list));
    return page;
}

Page discipline(const PageContext& ctx) {
    Page page;
    for (const char* code : {"inspections_org", "inspections_member", "supervisions_org", "supervisions_member",
                             "violations_found_org", "violations_found_member"})
        if (ctx.known(code)) page.tiles.push_back(ctx.flow_tile(code));
    for (const char* code : {"discipline_members", "discipline_orgs"})
        if (ctx.known(code)) page.tiles.push_back(ctx.distribution_tile(code));
    if (ctx.known("removed_from_rolls")) page.tiles.push_back(ctx.flow_tile("removed_from_rolls"));

    page.charts.push_back(ctx.year_chart(
        "inspections_by_year", ctx.format.tr("Kiểm tra, giám sát theo năm", "Inspections and supervisions by year"),
        Chart::Kind::bar, {"inspections_org", "inspections_member", "supervisions_org", "supervisions_member"}));
    page.charts.push_back(ctx.year_chart("violations_by_year", ctx.format.tr("Kết luận có vi phạm", "Violations found"),
                                         Chart::Kind::bar, {"violations_found_org", "violations_found_member"}));
    page.charts.push_back(ctx.distribution_chart(
        "discipline_members_by_form", ctx.label("discipline_members") + ctx.format.tr(" theo hình thức", " by form"),
        "discipline_members", {ctx.as_of_year - 1, ctx.as_of_year}, false));
    page.charts.push_back(ctx.distribution_chart(
        "discipline_orgs_by_form", ctx.label("discipline_orgs") + ctx.format.tr(" theo hình thức", " by form"),
        "discipline_orgs", {ctx.as_of_year - 1, ctx.as_of_year}, false));
    page.charts.push_back(
        ctx.year_chart("removed_by_year", ctx.label("removed_from_rolls"), Chart::Kind::bar, {"removed_from_rolls"}));
    return page;
}

Page rating(const PageContext& ctx) {
    Page page;
    for (const char* code : {"rating_orgs", "rating_members"}) {
        if (!ctx.known(code)) continue;
        page.tiles.push_back(ctx.good_share_tile(code));
        if (auto t = rating_category_tile(ctx, code, true)) page.tiles.push_back(std::move(*t));
        if (auto t = rating_category_tile(ctx, code, false)) page.tiles.push_back(std::move(*t));
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

}  // namespace pages

namespace {

using pages::PageContext;

struct PageKind {
    std::string_view key;
    const char* title_vi;
    const char* title_en;
    Page (*build)(const PageContext&);
};

// Every page there is, by key; all_pages() lists the same keys in the order shown by default.
constexpr std::array<PageKind, 5> kPages{{
    {"overview", "Tổng quan", "Overview", pages::overview},
    {"membership", "Đảng viên", "Membership", pages::membership},
    {"admission", "Kết nạp đảng viên", "Admissions", pages::admission},
    {"discipline", "Kiểm tra – giám sát – kỷ luật", "Inspection, supervision and discipline", pages::discipline},
    {"rating", "Xếp loại chất lượng", "Quality ratings", pages::rating},
}};

const PageKind* find_page(std::string_view key) {
    auto it = std::find_if(kPages.begin(), kPages.end(), [key](const PageKind& kind) { return kind.key == key; });
    return it == kPages.end() ? nullptr : &*it;
}

// A chart of indicators the catalogue does not have is left out; one with no figures says so.
void settle_charts(Page& page, const Formatter& format) {
    std::erase_if(page.charts, [](const Chart& c) { return c.series.empty() || c.categories.empty(); });
    for (Chart& c : page.charts) {
        bool any = false;
        for (const Series& series : c.series)
            for (const auto& v : series.values) any = any || v.has_value();
        if (!any) c.note = format.tr("Chưa có số liệu", "No figures yet");
    }
}

}  // namespace

Dashboard build_dashboard(const wire::ScopeDocument& document, const Formatter& format,
                          const std::vector<std::string>& pages) {
    Dashboard dashboard;
    if (const wire::DocumentOrg* org = document.organisation(document.org())) dashboard.org_name = org->name;
    const std::vector<std::string>& keys = pages.empty() ? all_pages() : pages;
    const PageContext context(document, format);
    if (document.as_of() > 0) dashboard.as_of = format.day(document.as_of());
    for (const std::string& key : keys) {
        const PageKind* kind = find_page(key);
        if (!kind) continue;
        // Before the first figures every page is there, with its title and nothing on it.
        Page page = document.as_of() > 0 ? kind->build(context) : Page{};
        page.key = key;
        page.title = format.tr(kind->title_vi, kind->title_en);
        settle_charts(page, format);
        dashboard.pages.push_back(std::move(page));
    }
    return dashboard;
}

}  // namespace chiso::dashboard
