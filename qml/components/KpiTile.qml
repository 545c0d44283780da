import QtQuick
import QtQuick.Layouts
import Chiso.Ui

// One key figure: its label, the big number with its unit, the change against the previous period (the arrow
// coloured by whether the change is good), a detail line and the period it covers. Every text comes
// formatted from the dashboard; a figure nothing was reported for shows "—" and says what it would cover.
Rectangle {
    id: tile

    property string label
    property string value
    property string unit
    property string detail
    property string change
    property int changeSign: 0
    property bool changeGood: true
    property string period
    property bool missing: false
    // On a page with no charts the tiles fill the screen, and their type grows with them.
    property real emphasis: 1

    // A narrow tile (nine to a row) keeps every text but sets the smaller ones a little smaller.
    readonly property real small: width < Theme.px(240) ? 0.88 : 1
    readonly property color changeColor: changeSign === 0 ? Theme.neutral : (changeGood ? Theme.good : Theme.bad)

    color: Theme.card
    radius: Theme.radius
    border.color: Theme.cardBorder
    border.width: 1
    implicitHeight: content.implicitHeight + 2 * Theme.pad
    implicitWidth: Theme.px(260)

    ColumnLayout {
        id: content
        anchors.fill: parent
        anchors.margins: Theme.pad
        spacing: Theme.px(4)

        Text {

            textFormat: Text.PlainText
            objectName: "label"
            Layout.fillWidth: true
            text: tile.label
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Math.round(Theme.tileLabelSize * tile.emphasis * tile.small)
            font.weight: Font.Medium
            wrapMode: Text.WordWrap
            maximumLineCount: 3
            elide: Text.ElideRight
            lineHeight: 0.95
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.px(6)

            Text {

                textFormat: Text.PlainText
                objectName: "value"
                Layout.fillWidth: !tile.missing
                Layout.maximumWidth: implicitWidth
                text: tile.value
                color: tile.missing ? Theme.textFaint : Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Math.round(Theme.tileValueSize * tile.emphasis)
                font.weight: Font.Bold
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: Theme.px(16)
                elide: Text.ElideNone
            }
            Text {
                textFormat: Text.PlainText
                objectName: "unit"
                Layout.alignment: Qt.AlignBaseline
                visible: text.length > 0 && !tile.missing && tile.unit !== "%"
                text: tile.unit
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Math.round(Theme.tileUnitSize * tile.emphasis)
            }
            Item { Layout.fillWidth: true }
        }

        RowLayout {
            Layout.fillWidth: true
            visible: tile.change.length > 0
            spacing: Theme.px(6)

            ChangeArrow {
                objectName: "arrow"
                Layout.alignment: Qt.AlignTop
                Layout.topMargin: Theme.px(4)
                sign: tile.changeSign
                color: tile.changeColor
                size: Math.round(Theme.tileChangeSize * tile.emphasis * tile.small * 0.8)
            }
            Text {
                textFormat: Text.PlainText
                objectName: "change"
                Layout.fillWidth: true
                text: tile.change
                color: tile.changeColor
                font.family: Theme.fontFamily
                font.pixelSize: Math.round(Theme.tileChangeSize * tile.emphasis * tile.small)
                font.weight: Font.DemiBold
                wrapMode: Text.WordWrap
                maximumLineCount: 2
                elide: Text.ElideRight
            }
        }

        Text {

            textFormat: Text.PlainText
            objectName: "detail"
            Layout.fillWidth: true
            visible: text.length > 0
            text: tile.detail
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Math.round(Theme.tileDetailSize * tile.emphasis * tile.small)
            wrapMode: Text.WordWrap
            maximumLineCount: 3
            elide: Text.ElideRight
        }

        Item { Layout.fillHeight: true }

        Text {

            textFormat: Text.PlainText
            objectName: "period"
            Layout.fillWidth: true
            text: tile.period
            color: Theme.textFaint
            font.family: Theme.fontFamily
            font.pixelSize: Math.round(Theme.tilePeriodSize * tile.emphasis * tile.small)
            wrapMode: Text.WordWrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
    }
}
