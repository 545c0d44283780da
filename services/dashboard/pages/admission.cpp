// The admission page: admissions against the year's and the term's targets, the pace still needed, and the
// base organisations that have admitted no one this year.
#include "dashboard/pages/context.hpp"
#include "dashboard/pages/pages.hpp"

#include "domain/percent.hpp"

#include <algorithm>

namespace chiso::dashboard::pages {
namespace {

std::optional<Period> current_term(const PageContext& ctx) {
    for (const domain::TermSpan& span : ctx.doc.terms())
        if (span.months.first_day() <= ctx.as_of && ctx.as_of <= span.months.last_day()) return span.term;
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

}  // namespace

Page admission(const PageContext& ctx) {
    Page page;
    if (!ctx.known("admissions")) return page;
    page.tiles.push_back(ctx.admissions_tile());
    page.tiles.push_back(term_admissions_tile(ctx));
    page.tiles.push_back(pacing_tile(ctx));
    for (const char* code : {"admissions_from_youth_union", "admissions_female"}) {
        if (!ctx.known(code)) continue;
        Tile t = ctx.flow_tile(code);
        auto part = ctx.amount(code, ctx.shown());
        auto whole = ctx.amount("admissions", ctx.shown());
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

}  // namespace chiso::dashboard::pages
