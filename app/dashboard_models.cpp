#include "dashboard_models.hpp"

#include <algorithm>
#include <tuple>

namespace chiso::kiosk {
namespace {

QString q(const std::string& text) {
    return QString::fromStdString(text);
}

bool same_tile(const dashboard::Tile& a, const dashboard::Tile& b) {
    return std::tie(a.indicator, a.label, a.value, a.unit, a.detail, a.change, a.change_sign, a.change_is_good,
                    a.period, a.missing) == std::tie(b.indicator, b.label, b.value, b.unit, b.detail, b.change,
                                                     b.change_sign, b.change_is_good, b.period, b.missing);
}

bool same_series(const dashboard::Series& a, const dashboard::Series& b) {
    return std::tie(a.name, a.values, a.labels, a.role) == std::tie(b.name, b.values, b.labels, b.role);
}

bool same_chart(const dashboard::Chart& a, const dashboard::Chart& b) {
    if (std::tie(a.key, a.title, a.kind, a.categories, a.unit, a.note) !=
            std::tie(b.key, b.title, b.kind, b.categories, b.unit, b.note) ||
        a.series.size() != b.series.size())
        return false;
    for (std::size_t i = 0; i < a.series.size(); ++i)
        if (!same_series(a.series[i], b.series[i])) return false;
    return true;
}

bool same_item(const dashboard::ListItem& a, const dashboard::ListItem& b) {
    return a.text == b.text && a.detail == b.detail;
}

QString kind_name(dashboard::Chart::Kind kind) {
    switch (kind) {
        case dashboard::Chart::Kind::bar:
            return QStringLiteral("bar");
        case dashboard::Chart::Kind::stacked_bar:
            return QStringLiteral("stacked_bar");
        case dashboard::Chart::Kind::line:
            return QStringLiteral("line");
        case dashboard::Chart::Kind::horizontal_bar:
            return QStringLiteral("horizontal_bar");
    }
    return QStringLiteral("bar");
}

}  // namespace

// ---- TileModel ----

int TileModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(tiles_.size());
}

QVariant TileModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const dashboard::Tile& tile = tiles_[static_cast<std::size_t>(index.row())];
    switch (role) {
        case IndicatorRole:
            return q(tile.indicator);
        case Qt::DisplayRole:
        case LabelRole:
            return q(tile.label);
        case ValueRole:
            return q(tile.value);
        case UnitRole:
            return q(tile.unit);
        case DetailRole:
            return q(tile.detail);
        case ChangeRole:
            return q(tile.change);
        case ChangeSignRole:
            return tile.change_sign;
        case ChangeGoodRole:
            return tile.change_is_good;
        case PeriodRole:
            return q(tile.period);
        case MissingRole:
            return tile.missing;
        default:
            return {};
    }
}

QHash<int, QByteArray> TileModel::roleNames() const {
    return {{IndicatorRole, "indicator"},   {LabelRole, "label"},
            {ValueRole, "value"},           {UnitRole, "unit"},
            {DetailRole, "detail"},         {ChangeRole, "change"},
            {ChangeSignRole, "changeSign"}, {ChangeGoodRole, "changeGood"},
            {PeriodRole, "period"},         {MissingRole, "missing"}};
}

void TileModel::set(std::vector<dashboard::Tile> tiles) {
    updateRows(tiles_, std::move(tiles), same_tile);
}

// ---- ChartModel ----

int ChartModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(charts_.size());
}

QVariant ChartModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const dashboard::Chart& chart = charts_[static_cast<std::size_t>(index.row())];
    switch (role) {
        case KeyRole:
            return q(chart.key);
        case Qt::DisplayRole:
        case TitleRole:
            return q(chart.title);
        case KindRole:
            return kind_name(chart.kind);
        case UnitRole:
            return q(chart.unit);
        case NoteRole:
            return q(chart.note);
        case SeriesNamesRole: {
            QStringList names;
            for (const dashboard::Series& series : chart.series) names.append(q(series.name));
            return names;
        }
        case ShowLegendRole:
            return chart.series.size() > 1;
        default:
            return {};
    }
}

QHash<int, QByteArray> ChartModel::roleNames() const {
    return {{KeyRole, "key"},
            {TitleRole, "title"},
            {KindRole, "kind"},
            {UnitRole, "unit"},
            {NoteRole, "note"},
            {SeriesNamesRole, "seriesNames"},
            {ShowLegendRole, "showLegend"}};
}

void ChartModel::set(std::vector<dashboard::Chart> charts, dashboard::Language language) {
    if (language != language_) {  // every axis label changes
        beginResetModel();
        language_ = language;
        charts_ = std::move(charts);
        endResetModel();
        emit countChanged();
        return;
    }
    updateRows(charts_, std::move(charts), same_chart);
}

const dashboard::Chart* ChartModel::chart(int row) const {
    if (row < 0 || row >= static_cast<int>(charts_.size())) return nullptr;
    return &charts_[static_cast<std::size_t>(row)];
}

// ---- ListItemModel ----

int ListItemModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(items_.size());
}

QVariant ListItemModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const dashboard::ListItem& item = items_[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
        case TextRole:
            return q(item.text);
        case DetailRole:
            return q(item.detail);
        default:
            return {};
    }
}

QHash<int, QByteArray> ListItemModel::roleNames() const {
    return {{TextRole, "text"}, {DetailRole, "detail"}};
}

void ListItemModel::set(std::vector<dashboard::ListItem> items, std::string unit, dashboard::Language language) {
    unit_ = std::move(unit);
    format_ = dashboard::Formatter(language);
    updateRows(items_, std::move(items), same_item);
}

QString ListItemModel::moreText(int shown) const {
    const auto hidden = static_cast<std::int64_t>(items_.size()) - std::max(shown, 0);
    return hidden > 0 ? q(format_.and_more(hidden, unit_)) : QString();
}

// ---- ItemListModel ----

int ItemListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant ItemListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Row& row = rows_[static_cast<std::size_t>(index.row())];
    switch (role) {
        case KeyRole:
            return q(row.key);
        case Qt::DisplayRole:
        case TitleRole:
            return q(row.title);
        case EmptyTextRole:
            return q(row.empty_text);
        case ItemsRole:
            return QVariant::fromValue(row.items);
        default:
            return {};
    }
}

QHash<int, QByteArray> ItemListModel::roleNames() const {
    return {{KeyRole, "key"}, {TitleRole, "title"}, {EmptyTextRole, "emptyText"}, {ItemsRole, "items"}};
}

void ItemListModel::set(std::vector<dashboard::ItemList> lists, dashboard::Language language) {
    std::vector<Row> next;
    for (std::size_t i = 0; i < lists.size(); ++i) {
        dashboard::ItemList& list = lists[i];
        // The items model of a row that stays is kept and updated item by item; a new row gets its own.
        ListItemModel* items = i < rows_.size() ? rows_[i].items : new ListItemModel(this);
        items->set(std::move(list.items), std::move(list.unit), language);
        next.push_back({std::move(list.key), std::move(list.title), std::move(list.empty_text), items});
    }
    std::vector<ListItemModel*> dropped;
    for (std::size_t i = next.size(); i < rows_.size(); ++i) dropped.push_back(rows_[i].items);
    updateRows(rows_, std::move(next), [](const Row& a, const Row& b) {
        return a.key == b.key && a.title == b.title && a.empty_text == b.empty_text && a.items == b.items;
    });
    for (ListItemModel* items : dropped) items->deleteLater();
}

// ---- PageModel ----

int PageModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant PageModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Row& row = rows_[static_cast<std::size_t>(index.row())];
    switch (role) {
        case KeyRole:
            return q(row.key);
        case Qt::DisplayRole:
        case TitleRole:
            return q(row.title);
        case TilesRole:
            return QVariant::fromValue(row.tiles);
        case ChartsRole:
            return QVariant::fromValue(row.charts);
        case ListsRole:
            return QVariant::fromValue(row.lists);
        default:
            return {};
    }
}

QHash<int, QByteArray> PageModel::roleNames() const {
    return {{KeyRole, "key"}, {TitleRole, "title"}, {TilesRole, "tiles"}, {ChartsRole, "charts"}, {ListsRole, "lists"}};
}

void PageModel::set(const dashboard::Dashboard& dashboard, dashboard::Language language) {
    std::vector<Row> next;
    for (std::size_t i = 0; i < dashboard.pages.size(); ++i) {
        const dashboard::Page& page = dashboard.pages[i];
        Row row{page.key, page.title, nullptr, nullptr, nullptr};
        // A page in the same place keeps its child models, which then change only the rows that differ.
        if (i < rows_.size() && rows_[i].key == page.key) {
            row.tiles = rows_[i].tiles;
            row.charts = rows_[i].charts;
            row.lists = rows_[i].lists;
        } else {
            row.tiles = new TileModel(this);
            row.charts = new ChartModel(this);
            row.lists = new ItemListModel(this);
        }
        row.tiles->set(page.tiles);
        row.charts->set(page.charts, language);
        row.lists->set(page.lists, language);
        next.push_back(row);
    }
    std::vector<QObject*> dropped;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const bool kept = i < next.size() && next[i].tiles == rows_[i].tiles;
        if (!kept) dropped.insert(dropped.end(), {rows_[i].tiles, rows_[i].charts, rows_[i].lists});
    }
    updateRows(rows_, std::move(next),
               [](const Row& a, const Row& b) { return a.key == b.key && a.title == b.title && a.tiles == b.tiles; });
    for (QObject* child : dropped) child->deleteLater();
}

QString PageModel::key(int row) const {
    return row >= 0 && row < rowCount() ? q(rows_[static_cast<std::size_t>(row)].key) : QString();
}
QString PageModel::title(int row) const {
    return row >= 0 && row < rowCount() ? q(rows_[static_cast<std::size_t>(row)].title) : QString();
}
TileModel* PageModel::tiles(int row) const {
    return row >= 0 && row < rowCount() ? rows_[static_cast<std::size_t>(row)].tiles : nullptr;
}
ChartModel* PageModel::charts(int row) const {
    return row >= 0 && row < rowCount() ? rows_[static_cast<std::size_t>(row)].charts : nullptr;
}
ItemListModel* PageModel::lists(int row) const {
    return row >= 0 && row < rowCount() ? rows_[static_cast<std::size_t>(row)].lists : nullptr;
}

}  // namespace chiso::kiosk
