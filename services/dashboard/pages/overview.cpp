// The overview page: one tile per area, from members to ratings, each with its change.
#include "dashboard/pages/context.hpp"
#include "dashboard/pages/pages.hpp"

namespace chiso::dashboard::pages {
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
    const Period period = ctx.shown();
    auto inspections = sum_of(ctx, {"inspections_org", "inspections_member"})(period);
    auto supervisions = sum_of(ctx, {"supervisions_org", "supervisions_member"})(period);
    if (inspections || supervisions)
        t.detail = ctx.format.tr("kiểm tra ", "inspections ") + ctx.format.number(inspections.value_or(0)) + " · " +
                   ctx.format.tr("giám sát ", "supervisions ") + ctx.format.number(supervisions.value_or(0));
    return t;
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

}  // namespace chiso::dashboard::pages
