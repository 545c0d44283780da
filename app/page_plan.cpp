#include "page_plan.hpp"

#include <algorithm>

namespace chiso::kiosk {

std::vector<int> balanced_rows(int count, int max_columns) {
    std::vector<int> rows;
    if (count <= 0 || max_columns <= 0) return rows;
    const int row_count = (count + max_columns - 1) / max_columns;
    for (int r = 0; r < row_count; ++r) rows.push_back(count / row_count + (r < count % row_count ? 1 : 0));
    return rows;
}

PagePlan plan_page(int tiles, int panels, bool portrait) {
    PagePlan plan;
    if (portrait) {
        int columns = panels == 0 ? 2 : tiles <= 4 ? 4 : tiles <= 8 ? (tiles + 1) / 2 : 3;
        plan.tile_rows = balanced_rows(tiles, columns);
        plan.panel_rows = balanced_rows(panels, 2);
    } else {
        plan.tile_rows = balanced_rows(tiles, panels == 0 ? 4 : 9);
        plan.panel_rows = balanced_rows(panels, 3);
    }
    return plan;
}

double screen_unit(double width, double height) {
    if (width <= 0 || height <= 0) return 1.0;
    const double shorter = std::min(width, height), longer = std::max(width, height);
    return std::min(shorter / 1080.0, longer / 1920.0);
}

}  // namespace chiso::kiosk
