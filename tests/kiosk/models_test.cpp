// kiosk_models_test: a new dashboard changes only the rows that differ — so a chart that did not change is
// not reset — and every model stays consistent under QAbstractItemModelTester while it happens.
#include "dashboard_models.hpp"
#include "fake_dashboard.hpp"
#include "row_slice.hpp"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace chiso;
using namespace chiso::kiosk;

class ModelsTest : public QObject {
    Q_OBJECT

private:
    static QList<int> changedRows(const QSignalSpy& spy) {
        QList<int> rows;
        for (const QList<QVariant>& signal : spy) {
            const auto first = signal.at(0).value<QModelIndex>(), last = signal.at(1).value<QModelIndex>();
            for (int row = first.row(); row <= last.row(); ++row) rows.append(row);
        }
        return rows;
    }

private slots:
    void pagesCarryTheDashboardsTexts() {
        PageModel pages;
        QAbstractItemModelTester tester(&pages, QAbstractItemModelTester::FailureReportingMode::QtTest);
        pages.set(test::first_dashboard(), dashboard::Language::vi);

        QCOMPARE(pages.rowCount(), 2);
        QCOMPARE(pages.count(), 2);
        QCOMPARE(pages.data(pages.index(1), PageModel::TitleRole).toString(), QStringLiteral("Đảng viên"));
        TileModel* tiles = pages.tiles(0);
        QVERIFY(tiles);
        QCOMPARE(tiles->rowCount(), 3);
        QCOMPARE(tiles->data(tiles->index(0), TileModel::ValueRole).toString(), QStringLiteral("7.841"));
        QCOMPARE(tiles->data(tiles->index(0), TileModel::ChangeSignRole).toInt(), 1);
        QCOMPARE(pages.data(pages.index(0), PageModel::TilesRole).value<TileModel*>(), tiles);
        ChartModel* charts = pages.charts(1);
        QCOMPARE(charts->data(charts->index(1), ChartModel::KindRole).toString(), QStringLiteral("horizontal_bar"));
        QCOMPARE(charts->data(charts->index(0), ChartModel::ShowLegendRole).toBool(), false);
        QCOMPARE(charts->chart(1)->series[0].labels[0], std::string("2978"));
        QVERIFY(!charts->chart(2));
        ItemListModel* lists = pages.lists(1);
        auto* items = lists->data(lists->index(0), ItemListModel::ItemsRole).value<ListItemModel*>();
        QVERIFY(items);
        QCOMPARE(items->data(items->index(1), ListItemModel::TextRole).toString(),
                 QStringLiteral("Chi bộ Hội Cựu chiến binh"));
        // What stands for the items a screen has no room for counts them exactly; nothing when all are shown.
        const int count = items->rowCount();
        QCOMPARE(items->moreText(0), QStringLiteral("và %1 tổ chức khác").arg(count));
        QCOMPARE(items->moreText(count), QString());
        QCOMPARE(items->moreText(count + 3), QString());
    }

    void aNewDashboardSignalsOnlyTheRowsThatChanged() {
        PageModel pages;
        QAbstractItemModelTester pageTester(&pages, QAbstractItemModelTester::FailureReportingMode::QtTest);
        pages.set(test::first_dashboard(), dashboard::Language::vi);

        TileModel* overviewTiles = pages.tiles(0);
        TileModel* membershipTiles = pages.tiles(1);
        ChartModel* charts = pages.charts(1);
        ItemListModel* lists = pages.lists(1);
        auto* items = lists->data(lists->index(0), ItemListModel::ItemsRole).value<ListItemModel*>();
        QAbstractItemModelTester t1(overviewTiles, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(charts, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(lists, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(items, QAbstractItemModelTester::FailureReportingMode::QtTest);

        QSignalSpy pageChanges(&pages, &QAbstractItemModel::dataChanged);
        QSignalSpy pageResets(&pages, &QAbstractItemModel::modelReset);
        QSignalSpy tileChanges(overviewTiles, &QAbstractItemModel::dataChanged);
        QSignalSpy untouchedTiles(membershipTiles, &QAbstractItemModel::dataChanged);
        QSignalSpy chartChanges(charts, &QAbstractItemModel::dataChanged);
        QSignalSpy chartResets(charts, &QAbstractItemModel::modelReset);
        QSignalSpy listChanges(lists, &QAbstractItemModel::dataChanged);
        QSignalSpy itemChanges(items, &QAbstractItemModel::dataChanged);
        QSignalSpy itemInserts(items, &QAbstractItemModel::rowsInserted);

        pages.set(test::second_dashboard(), dashboard::Language::vi);

        // The pages and their child models stay: nothing above the changed rows is announced.
        QCOMPARE(pageChanges.count(), 0);
        QCOMPARE(pageResets.count(), 0);
        QCOMPARE(pages.tiles(0), overviewTiles);
        QCOMPARE(pages.charts(1), charts);
        // One tile of the overview, one chart (the line chart untouched), one list title, one item, one new item.
        QCOMPARE(changedRows(tileChanges), QList<int>{2});
        QCOMPARE(overviewTiles->data(overviewTiles->index(2), TileModel::ValueRole).toString(), QStringLiteral("304"));
        QCOMPARE(untouchedTiles.count(), 0);
        QCOMPARE(changedRows(chartChanges), QList<int>{1});
        QCOMPARE(chartResets.count(), 0);
        QCOMPARE(charts->chart(1)->series[0].values[0], std::optional<double>(2980));
        QCOMPARE(changedRows(listChanges), QList<int>{0});
        QCOMPARE(lists->data(lists->index(0), ItemListModel::ItemsRole).value<ListItemModel*>(), items);
        QCOMPARE(changedRows(itemChanges), QList<int>{1});
        QCOMPARE(itemInserts.count(), 1);
        QCOMPARE(items->rowCount(), 3);

        // The same dashboard again: not one signal.
        tileChanges.clear();
        chartChanges.clear();
        itemChanges.clear();
        pages.set(test::second_dashboard(), dashboard::Language::vi);
        QCOMPARE(tileChanges.count(), 0);
        QCOMPARE(chartChanges.count(), 0);
        QCOMPARE(itemChanges.count(), 0);
    }

    void pagesAndRowsComeAndGo() {
        PageModel pages;
        QAbstractItemModelTester tester(&pages, QAbstractItemModelTester::FailureReportingMode::QtTest);
        pages.set(test::first_dashboard(), dashboard::Language::vi);
        TileModel* tiles = pages.tiles(0);
        QAbstractItemModelTester tileTester(tiles, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy removed(tiles, &QAbstractItemModel::rowsRemoved);
        QSignalSpy counted(tiles, &RowModel::countChanged);

        dashboard::Dashboard fewer = test::first_dashboard();
        fewer.pages[0].tiles.pop_back();
        fewer.pages.pop_back();
        QSignalSpy pagesRemoved(&pages, &QAbstractItemModel::rowsRemoved);
        pages.set(fewer, dashboard::Language::vi);
        QCOMPARE(pages.rowCount(), 1);
        QCOMPARE(pagesRemoved.count(), 1);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(counted.count(), 1);
        QCOMPARE(tiles->rowCount(), 2);

        QSignalSpy pagesInserted(&pages, &QAbstractItemModel::rowsInserted);
        pages.set(test::first_dashboard(), dashboard::Language::vi);
        QCOMPARE(pagesInserted.count(), 1);
        QVERIFY(pages.charts(1));
        QCOMPARE(pages.charts(1)->rowCount(), 2);

        // No document yet: no pages at all.
        pages.set(dashboard::Dashboard{}, dashboard::Language::vi);
        QCOMPARE(pages.rowCount(), 0);
        QVERIFY(!pages.tiles(0));
    }

    void aRowSliceHoldsOnlyItsRowsTiles() {
        PageModel pages;
        pages.set(test::first_dashboard(), dashboard::Language::vi);
        TileModel* tiles = pages.tiles(0);  // three tiles: two in row 0, one in row 1
        RowSlice slice;
        QAbstractItemModelTester tester(&slice, QAbstractItemModelTester::FailureReportingMode::QtTest);
        slice.setSourceModel(tiles);
        slice.setRowOf({0, 0, 1});
        slice.setRow(1);
        QCOMPARE(slice.rowCount(), 1);
        QCOMPARE(slice.data(slice.index(0, 0), TileModel::ValueRole),
                 tiles->data(tiles->index(2), TileModel::ValueRole));
        QCOMPARE(slice.roleNames(), tiles->roleNames());

        // A changed tile of the row reaches it as a change of that row, not a reset.
        QSignalSpy changes(&slice, &QAbstractItemModel::dataChanged);
        QSignalSpy resets(&slice, &QAbstractItemModel::modelReset);
        dashboard::Dashboard changed = test::first_dashboard();
        changed.pages[0].tiles[2].value = "999";
        pages.set(changed, dashboard::Language::vi);
        QCOMPARE(changedRows(changes), QList<int>{0});
        QCOMPARE(resets.count(), 0);
        QCOMPARE(slice.data(slice.index(0, 0), TileModel::ValueRole).toString(), QStringLiteral("999"));

        // Another plan moves the tiles between rows; an arrangement shorter than the model holds no extras.
        slice.setRowOf({1, 1, 1});
        QCOMPARE(slice.rowCount(), 3);
        slice.setRowOf({1});
        QCOMPARE(slice.rowCount(), 1);
        slice.setRow(0);
        QCOMPARE(slice.rowCount(), 0);
    }

    void anotherLanguageRedrawsEveryChart() {
        ChartModel charts;
        QAbstractItemModelTester tester(&charts, QAbstractItemModelTester::FailureReportingMode::QtTest);
        charts.set(test::first_dashboard().pages[1].charts, dashboard::Language::vi);
        QSignalSpy resets(&charts, &QAbstractItemModel::modelReset);
        charts.set(test::first_dashboard().pages[1].charts, dashboard::Language::en);
        QCOMPARE(resets.count(), 1);
        QCOMPARE(charts.language(), dashboard::Language::en);
    }
};

QTEST_GUILESS_MAIN(ModelsTest)
#include "models_test.moc"
