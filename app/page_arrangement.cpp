#include "page_arrangement.hpp"

#include "page_plan.hpp"

namespace chiso::kiosk {
namespace {

// Row numbers of the items of consecutive rows: {3, 2} → 0 0 0 1 1, starting at `first_item`.
QVariantList row_of(const std::vector<int>& rows, int first_item, int count) {
    QVariantList result;
    int item = 0;
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (int i = 0; i < rows[r]; ++i, ++item)
            if (item >= first_item && item < first_item + count) result.append(static_cast<int>(r));
    return result;
}

}  // namespace

PageArrangement::PageArrangement(QObject* parent) : QObject(parent) {
    connect(this, &PageArrangement::inputChanged, this, &PageArrangement::plan);
}

// Says so only when the plan changes: a new plan moves every tile and chart, and a sync that keeps the counts
// must not rebuild the page.
void PageArrangement::plan() {
    const PagePlan plan = plan_page(tileCount_, chartCount_ + listCount_, portrait_);
    const int tileRowCount = static_cast<int>(plan.tile_rows.size());
    const int panelRowCount = static_cast<int>(plan.panel_rows.size());
    QVariantList tileRowOf = row_of(plan.tile_rows, 0, tileCount_);
    QVariantList chartRowOf = row_of(plan.panel_rows, 0, chartCount_);
    QVariantList listRowOf = row_of(plan.panel_rows, chartCount_, listCount_);
    if (tileRowCount == tileRowCount_ && panelRowCount == panelRowCount_ && tileRowOf == tileRowOf_ &&
        chartRowOf == chartRowOf_ && listRowOf == listRowOf_)
        return;
    tileRowCount_ = tileRowCount;
    panelRowCount_ = panelRowCount;
    tileRowOf_ = std::move(tileRowOf);
    chartRowOf_ = std::move(chartRowOf);
    listRowOf_ = std::move(listRowOf);
    emit planChanged();
}

qreal ScreenMetrics::unit() const {
    return screen_unit(width_, height_);
}

}  // namespace chiso::kiosk
