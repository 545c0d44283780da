// The discipline page: inspections, supervisions, violations found and disciplinary measures.
#include "dashboard/pages/context.hpp"
#include "dashboard/pages/pages.hpp"

namespace chiso::dashboard::pages {

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

}  // namespace chiso::dashboard::pages
