import QtQuick
import QtQuick.Layouts
import Chiso
import Chiso.Ui

// Every page has the same shape: its key figures in rows of tiles on top, its charts and lists in rows of
// panels below. PageArrangement (C++) decides the rows for the screen's orientation; the layouts share the
// width of a row equally and give the panels the height the tiles leave.
Item {
    id: page

    required property TileModel tiles
    required property ChartModel charts
    required property ItemListModel lists
    property bool portrait: false

    PageArrangement {
        id: arrangement
        tileCount: page.tiles.count
        chartCount: page.charts.count
        listCount: page.lists.count
        portrait: page.portrait
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        Repeater {
            model: arrangement.tileRowCount

            RowLayout {
                id: tileRow
                required property int index
                Layout.fillWidth: true
                Layout.fillHeight: arrangement.panelRowCount === 0
                spacing: Theme.gap

                Repeater {
                    model: RowSlice {
                        sourceModel: page.tiles
                        rowOf: arrangement.tileRowOf
                        row: tileRow.index
                    }

                    KpiTile {
                        required label
                        required value
                        required unit
                        required detail
                        required change
                        required changeSign
                        required changeGood
                        required period
                        required missing

                        emphasis: arrangement.panelRowCount === 0 ? 1.6 : 1
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        Layout.preferredWidth: 1
                        Layout.minimumWidth: 0
                    }
                }
            }
        }

        Repeater {
            model: arrangement.panelRowCount

            RowLayout {
                id: panelRow
                required property int index
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredHeight: 1
                spacing: Theme.gap

                Repeater {
                    model: page.charts

                    Loader {
                        id: chartSlot
                        required property int index
                        required property string title
                        required property string kind
                        required property string note
                        required property bool showLegend

                        active: arrangement.chartRowOf[index] === panelRow.index
                        visible: active
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        Layout.preferredWidth: 1
                        Layout.minimumWidth: 0
                        sourceComponent: ChartCard {
                            chartModel: page.charts
                            row: chartSlot.index
                            title: chartSlot.title
                            kind: chartSlot.kind
                            note: chartSlot.note
                            showLegend: chartSlot.showLegend
                        }
                    }
                }

                Repeater {
                    model: page.lists

                    Loader {
                        id: listSlot
                        required property int index
                        required property string title
                        required property string emptyText
                        required property ListItemModel items

                        active: arrangement.listRowOf[index] === panelRow.index
                        visible: active
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        Layout.preferredWidth: 1
                        Layout.minimumWidth: 0
                        sourceComponent: ListCard {
                            title: listSlot.title
                            emptyText: listSlot.emptyText
                            items: listSlot.items
                        }
                    }
                }
            }
        }
    }
}
