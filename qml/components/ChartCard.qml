import QtQuick
import QtQuick.Layouts
import QtCharts
import Chiso
import Chiso.Ui

// A chart of a page: its title, the Qt Charts view that ChartFiller fills from one row of the page's
// ChartModel, and a line under it with the legend and the chart's note (the day a running year is counted
// to, the pace still needed). A horizontal bar chart has its names written beside the bars, wrapping when
// long, and its figures at the end of each row.
Rectangle {
    id: card

    required property ChartModel chartModel
    required property int row
    required property string title
    required property string kind
    required property string note
    required property bool showLegend

    // How often the chart was filled, for the tests: a sync that leaves the chart alone leaves this alone.
    readonly property alias fills: filler.fills
    readonly property bool horizontal: kind === "horizontal_bar"

    color: Theme.card
    radius: Theme.radius
    border.color: Theme.cardBorder
    border.width: 1

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.px(12)
        spacing: Theme.px(2)

        Text {

            textFormat: Text.PlainText
            Layout.fillWidth: true
            Layout.leftMargin: Theme.px(4)
            text: card.title
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.cardTitleSize
            font.weight: Font.DemiBold
            wrapMode: Text.WordWrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: Theme.px(100)

            ChartView {
                id: view
                anchors.fill: parent
                antialiasing: true
                animationOptions: ChartView.NoAnimation
                backgroundColor: "transparent"
                backgroundRoundness: 0
                dropShadowEnabled: false
                legend.visible: false
                margins.top: Math.round(Theme.chartLabelSize / 2)  // room for the top tick's label
                margins.bottom: 0
                margins.left: card.horizontal ? Math.round(width * 0.36) : 0
                margins.right: card.horizontal ? Theme.px(76) : 0
            }

            // A horizontal chart's names and figures, one row per bar, top to bottom.
            Column {
                visible: card.horizontal
                x: 0
                y: view.plotArea.y
                width: view.plotArea.x - Theme.px(10)
                height: view.plotArea.height
                Repeater {
                    model: filler.rows
                    Text {
                        textFormat: Text.PlainText
                        required property var modelData
                        width: parent.width
                        height: parent.height / Math.max(1, filler.rows.length)
                        text: modelData.name
                        color: Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.chartLabelSize
                        minimumPixelSize: Math.round(Theme.chartLabelSize * 0.7)
                        fontSizeMode: Text.Fit
                        wrapMode: Text.WordWrap
                        maximumLineCount: 2
                        elide: Text.ElideRight
                        horizontalAlignment: Text.AlignRight
                        verticalAlignment: Text.AlignVCenter
                    }
                }
            }
            Column {
                visible: card.horizontal
                x: view.plotArea.x + view.plotArea.width + Theme.px(16)  // clear of the longest bar
                y: view.plotArea.y
                width: parent.width - x
                height: view.plotArea.height
                Repeater {
                    model: filler.rows
                    Text {
                        textFormat: Text.PlainText
                        required property var modelData
                        width: parent.width
                        height: parent.height / Math.max(1, filler.rows.length)
                        text: modelData.value
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.chartLabelSize
                        font.weight: Font.DemiBold
                        minimumPixelSize: Math.round(Theme.chartLabelSize * 0.7)
                        fontSizeMode: Text.Fit
                        verticalAlignment: Text.AlignVCenter
                    }
                }
            }
        }

        // The legend (each series' mark and full name) and the note, wrapping rather than cutting names.
        Flow {
            id: legend
            Layout.fillWidth: true
            Layout.leftMargin: Theme.px(4)
            visible: card.showLegend || card.note.length > 0
            spacing: Theme.px(16)
            Repeater {
                model: card.showLegend ? filler.legend : []
                Row {
                    id: entry
                    required property var modelData
                    spacing: Theme.px(6)
                    LegendSwatch {
                        id: mark
                        anchors.verticalCenter: parent.verticalCenter
                        color: entry.modelData.color
                        style: entry.modelData.style
                    }
                    Text {
                        textFormat: Text.PlainText
                        width: Math.min(implicitWidth, legend.width - mark.width - entry.spacing)
                        elide: Text.ElideRight
                        text: entry.modelData.name
                        color: Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.chartLabelSize
                    }
                }
            }
            Text {
                textFormat: Text.PlainText
                width: Math.min(implicitWidth, legend.width)
                visible: text.length > 0
                text: card.note
                color: Theme.textFaint
                font.family: Theme.fontFamily
                font.pixelSize: Theme.noteSize
                font.italic: true
                elide: Text.ElideRight
            }
        }
    }

    ChartFiller {
        id: filler
        view: view
        model: card.chartModel
        row: card.row
        palette: Theme.seriesColors
        roleColors: Theme.roleColors
        labelColor: Theme.textMuted
        gridColor: Theme.grid
        font: Qt.font({ family: Theme.fontFamily, pixelSize: Theme.chartLabelSize })
        lineWidth: Theme.lineWidth
    }
}
