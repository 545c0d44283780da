#include "dashboard/dashboard.hpp"

#include "dashboard/pages/context.hpp"
#include "dashboard/pages/pages.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace chiso::dashboard {
namespace {

using pages::PageContext;

struct PageKind {
    std::string_view key;
    const char* title_vi;
    const char* title_en;
    Page (*build)(const PageContext&);
};

// Every page there is, by key; all_pages() lists the same keys in the order shown by default.
constexpr std::array<PageKind, 6> kPages{{
    {"overview", "Tổng quan", "Overview", pages::overview},
    {"membership", "Đảng viên", "Membership", pages::membership},
    {"admission", "Kết nạp đảng viên", "Admissions", pages::admission},
    {"discipline", "Kiểm tra – giám sát – kỷ luật", "Inspection, supervision and discipline", pages::discipline},
    {"rating", "Xếp loại chất lượng", "Quality ratings", pages::rating},
    {"cadres", "Cấp ủy – cán bộ", "Party committees and cadres", pages::cadres},
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

// What the room calls the review: "Sơ kết 6 tháng đầu năm 2019", "Tổng kết năm 2019", "Tổng kết nhiệm kỳ
// 2015–2020", and a range by its months (of its term when it begins with one).
std::string review_name(const wire::ScopeDocument& document, const Formatter& format, const domain::Period& review) {
    using domain::PeriodKind;
    const bool vi = format.language() == Language::vi;
    std::string period = format.period(review);
    switch (review.kind) {
        case PeriodKind::year:
            return (vi ? "Tổng kết năm " : "Annual review ") + std::to_string(review.year);
        case PeriodKind::term:
            return (vi ? "Tổng kết nhiệm kỳ " : "Term review ") + std::to_string(review.year) + kEnDash +
                   std::to_string(review.index);
        case PeriodKind::range:
            for (const domain::TermSpan& span : document.terms())
                if (span.months.first_day() == review.first_day())
                    return format.period(span.term) + ": " + period;
            return (vi ? "Kỳ báo cáo " : "Review ") + period;
        case PeriodKind::half:
        case PeriodKind::nine_months:
        case PeriodKind::quarter:
            return (vi ? "Sơ kết " + pages::lower_first(period) : "Review, " + period);  // "Sơ kết quý I/2019"
        case PeriodKind::month:
            return (vi ? "Báo cáo " : "Review, ") + period;
    }
    return period;
}

}  // namespace

Dashboard build_dashboard(const wire::ScopeDocument& document, const Formatter& format,
                          const std::vector<std::string>& pages) {
    Dashboard dashboard;
    if (const wire::DocumentOrg* org = document.organisation(document.org())) dashboard.org_name = org->name;
    const std::vector<std::string>& keys = pages.empty() ? all_pages() : pages;
    const PageContext context(document, format);
    if (document.as_of() > 0) dashboard.as_of = format.day(document.as_of());
    if (auto review = document.review(); review && document.as_of() > 0)
        dashboard.review = review_name(document, format, *review) + format.tr(" · số liệu đến ", " · figures to ") +
                           dashboard.as_of;
    for (const std::string& key : keys) {
        const PageKind* kind = find_page(key);
        if (!kind) continue;
        // Before the first figures every page is there, with its title and nothing on it.
        Page page = document.as_of() > 0 ? kind->build(context) : Page{};
        page.key = key;
        page.title = format.tr(kind->title_vi, kind->title_en);
        settle_charts(page, format);
        // A page the catalogue has no indicator for (a catalogue without cadres, say) is left out, not shown blank.
        if (document.as_of() > 0 && page.tiles.empty() && page.charts.empty() && page.lists.empty()) continue;
        dashboard.pages.push_back(std::move(page));
    }
    return dashboard;
}

}  // namespace chiso::dashboard
