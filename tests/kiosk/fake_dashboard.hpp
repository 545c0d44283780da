// Two small dashboards for the kiosk's model and QML tests, as the dashboard library would build them from
// two syncs in a row: the second changes one tile, one chart and one list, and leaves everything else alone.
#pragma once

#include "dashboard/dashboard.hpp"

namespace chiso::kiosk::test {

inline dashboard::Tile fake_tile(std::string indicator, std::string label, std::string value) {
    dashboard::Tile tile;
    tile.indicator = std::move(indicator);
    tile.label = std::move(label);
    tile.value = std::move(value);
    tile.unit = "người";
    tile.change = "+25 so với 31/12/2025";
    tile.change_sign = 1;
    tile.period = "30/6/2026";
    return tile;
}

inline dashboard::Chart fake_chart(std::string key, std::string title, dashboard::Chart::Kind kind,
                                   std::vector<double> values) {
    dashboard::Chart chart;
    chart.key = std::move(key);
    chart.title = std::move(title);
    chart.kind = kind;
    chart.unit = "người";
    dashboard::Series series;
    series.name = "Năm 2026";
    series.role = "value";
    for (std::size_t i = 0; i < values.size(); ++i) {
        chart.categories.push_back(std::to_string(2020 + i));
        series.values.push_back(values[i]);
        series.labels.push_back(std::to_string(static_cast<long long>(values[i])));
    }
    chart.series.push_back(std::move(series));
    return chart;
}

// The first sync: an overview with three tiles; a membership page with two charts and a list.
inline dashboard::Dashboard first_dashboard() {
    dashboard::Dashboard d;
    d.org_name = "Đảng bộ Thử nghiệm";
    d.as_of = "31/10/2026";
    dashboard::Page overview;
    overview.key = "overview";
    overview.title = "Tổng quan";
    overview.tiles = {fake_tile("members_total", "Tổng số đảng viên", "7.841"),
                      fake_tile("org_base_total", "Tổ chức cơ sở đảng", "105"),
                      fake_tile("admissions", "Kết nạp đảng viên mới", "303")};
    dashboard::Page membership;
    membership.key = "membership";
    membership.title = "Đảng viên";
    membership.tiles = {fake_tile("members_total", "Tổng số đảng viên", "7.841")};
    membership.charts = {
        fake_chart("membership_trend", "Tổng số đảng viên", dashboard::Chart::Kind::line, {7600, 7700, 7841}),
        fake_chart("members_by_type", "Theo loại hình", dashboard::Chart::Kind::horizontal_bar, {2978, 1342, 2179})};
    dashboard::ItemList list;
    list.key = "orgs_without_admissions";
    list.title = "TCCSĐ chưa kết nạp được đảng viên năm 2026 (2)";
    list.items = {{"Chi bộ Sở Ngoại vụ", "Cơ quan hành chính"}, {"Chi bộ Hội Cựu chiến binh", "Cơ quan hành chính"}};
    list.unit = "tổ chức";
    list.empty_text = "Không có";
    membership.lists.push_back(std::move(list));
    d.pages = {std::move(overview), std::move(membership)};
    return d;
}

// The next sync: one tile's figure, the type chart's figures and one list item changed; a list item added.
inline dashboard::Dashboard second_dashboard() {
    dashboard::Dashboard d = first_dashboard();
    d.pages[0].tiles[2].value = "304";
    d.pages[1].charts[1].series[0].values[0] = 2980;
    d.pages[1].charts[1].series[0].labels[0] = "2980";
    d.pages[1].lists[0].title = "TCCSĐ chưa kết nạp được đảng viên năm 2026 (3)";
    d.pages[1].lists[0].items[1].detail = "Tổ chức chính trị - xã hội";
    d.pages[1].lists[0].items.push_back({"Chi bộ Sở Tư pháp", "Cơ quan hành chính"});
    return d;
}

}  // namespace chiso::kiosk::test
