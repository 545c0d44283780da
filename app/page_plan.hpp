// How a page's tiles and panels (charts and lists) are arranged on a screen of any size and orientation: how
// many rows, how many items in each, and the scale of type and spacing. Qt-free and tested; the QML layouts
// only follow it.
#pragma once

#include <vector>

namespace chiso::kiosk {

// `count` items in rows of at most `max_columns`, as even as possible, the longer rows first:
// 9 in rows of 5 → {5, 4}; 5 in rows of 3 → {3, 2}; 0 → {}.
std::vector<int> balanced_rows(int count, int max_columns);

struct PagePlan {
    std::vector<int> tile_rows;   // tiles per row, top to bottom
    std::vector<int> panel_rows;  // charts then lists, per row
};

// Landscape: tiles in one row above the panels (in two when there are no panels, so they fill the screen),
// panels three to a row (a chart narrower than a third of the screen cuts its labels). Portrait: tiles three or four to
// a row, panels two to a row.
PagePlan plan_page(int tiles, int panels, bool portrait);

// The scale of type and spacing: 1 on a 1920×1080 screen (either way round), 2 on 3840×2160, and smaller on
// 1366×768; the shorter side is measured against 1080 and the longer against 1920, so a portrait screen reads
// as large as a landscape one.
double screen_unit(double width, double height);

}  // namespace chiso::kiosk
