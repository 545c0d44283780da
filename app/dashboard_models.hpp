// The list models QML draws the pages from, over a dashboard::Dashboard whose texts are already formatted:
// pages → for each page its tiles, its charts (with their series) and its lists → each list's items.
// set() takes a new dashboard and changes only what differs, row by row (see RowModel).
#pragma once

#include "rowmodel.hpp"

#ifndef Q_MOC_RUN  // moc cannot parse the C++20 standard headers these pull in, and needs none of them
#include "dashboard/dashboard.hpp"
#endif

#include <QtQml/qqmlregistration.h>

namespace chiso::kiosk {

class TileModel : public RowModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("a page's tiles come from PageModel")

public:
    enum Role {
        IndicatorRole = Qt::UserRole + 1,
        LabelRole,
        ValueRole,
        UnitRole,
        DetailRole,
        ChangeRole,
        ChangeSignRole,
        ChangeGoodRole,
        PeriodRole,
        MissingRole,
    };
    Q_ENUM(Role)

    using RowModel::RowModel;
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void set(std::vector<dashboard::Tile> tiles);

private:
    std::vector<dashboard::Tile> tiles_;
};

class ChartModel : public RowModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("a page's charts come from PageModel")

public:
    enum Role {
        KeyRole = Qt::UserRole + 1,
        TitleRole,
        KindRole,  // "bar", "stacked_bar", "line", "horizontal_bar"
        UnitRole,
        NoteRole,
        SeriesNamesRole,  // the legend's texts
        ShowLegendRole,   // more than one series
    };
    Q_ENUM(Role)

    explicit ChartModel(QObject* parent = nullptr) : RowModel(parent) {}
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void set(std::vector<dashboard::Chart> charts, dashboard::Language language);
    // The chart of a row, for ChartFiller; nullptr when there is no such row.
    const dashboard::Chart* chart(int row) const;
    dashboard::Language language() const { return language_; }

private:
    std::vector<dashboard::Chart> charts_;
    dashboard::Language language_ = dashboard::Language::vi;
};

class ListItemModel : public RowModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("a list's items come from ItemListModel")

public:
    enum Role { TextRole = Qt::UserRole + 1, DetailRole };
    Q_ENUM(Role)

    using RowModel::RowModel;
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // `unit` says what the items are ("tổ chức"), for moreText.
    void set(std::vector<dashboard::ListItem> items, std::string unit, dashboard::Language language);
    // What stands for the items the screen has no room for, when it shows only the first `shown`:
    // "và 12 tổ chức khác"; empty when every item is shown.
    Q_INVOKABLE QString moreText(int shown) const;

private:
    std::vector<dashboard::ListItem> items_;
    std::string unit_;
    dashboard::Formatter format_;
};

class ItemListModel : public RowModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("a page's lists come from PageModel")

public:
    enum Role { KeyRole = Qt::UserRole + 1, TitleRole, EmptyTextRole, ItemsRole };
    Q_ENUM(Role)

    using RowModel::RowModel;
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void set(std::vector<dashboard::ItemList> lists, dashboard::Language language);

private:
    struct Row {
        std::string key, title, empty_text;
        ListItemModel* items = nullptr;  // a child of this model, kept while the row lives
    };
    std::vector<Row> rows_;
};

class PageModel : public RowModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("the pages come from the Kiosk")

public:
    enum Role { KeyRole = Qt::UserRole + 1, TitleRole, TilesRole, ChartsRole, ListsRole };
    Q_ENUM(Role)

    using RowModel::RowModel;
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void set(const dashboard::Dashboard& dashboard, dashboard::Language language);

    QString key(int row) const;
    QString title(int row) const;
    TileModel* tiles(int row) const;
    ChartModel* charts(int row) const;
    ItemListModel* lists(int row) const;

private:
    struct Row {
        std::string key, title;
        TileModel* tiles = nullptr;  // children of this model, kept while the row lives
        ChartModel* charts = nullptr;
        ItemListModel* lists = nullptr;
    };
    std::vector<Row> rows_;
};

}  // namespace chiso::kiosk
