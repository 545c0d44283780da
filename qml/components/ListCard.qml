import QtQuick
import QtQuick.Layouts
import Chiso
import Chiso.Ui

// A list of a page, e.g. the base organisations with no admissions yet this year: its title, then each
// item's name and detail; the list's own "none" text when it is empty.
Rectangle {
    id: card

    required property string title
    required property string emptyText
    required property ListItemModel items

    color: Theme.card
    radius: Theme.radius
    border.color: Theme.cardBorder
    border.width: 1

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.pad
        spacing: Theme.px(8)

        Text {

            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: card.title
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.cardTitleSize
            font.weight: Font.DemiBold
            wrapMode: Text.WordWrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }

        // Names in columns, top to bottom then left to right, two columns when the card is wide. A list longer
        // than the card first drops the detail lines, then ends with "và 12 tổ chức khác" in its last place:
        // never a name cut in half, never one silently missing.
        GridView {
            id: list
            objectName: "items"

            readonly property int columns: width >= Theme.px(620) ? 2 : 1
            readonly property real roomyHeight: Theme.listTextSize * 1.45 + Theme.listDetailSize * 1.45 + Theme.px(10)
            readonly property real compactHeight: Theme.listTextSize * 1.45 + Theme.px(8)
            readonly property bool compact: count > Math.max(1, Math.floor(height / roomyHeight)) * columns
            readonly property int rowsShown: Math.max(1, Math.floor(height / cellHeight))
            readonly property int shown: count <= rowsShown * columns ? count : rowsShown * columns - 1

            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: count > 0
            clip: true
            interactive: false
            flow: GridView.FlowTopToBottom
            cellWidth: width / columns
            cellHeight: compact ? compactHeight : roomyHeight
            model: card.items
            delegate: Item {
                id: entry
                required property int index
                required property string text
                required property string detail
                width: GridView.view.cellWidth
                height: GridView.view.cellHeight
                visible: index < list.shown

                Rectangle {
                    y: Theme.px(2)
                    width: Theme.px(4)
                    height: column.implicitHeight - Theme.px(4)
                    radius: width / 2
                    color: Theme.gold
                }
                Column {
                    id: column
                    x: Theme.px(14)
                    width: parent.width - x - Theme.px(12)
                    Text {
                        textFormat: Text.PlainText
                        width: parent.width
                        text: entry.text
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.listTextSize
                        // A long name is set a little smaller before it is ever cut short.
                        fontSizeMode: Text.HorizontalFit
                        minimumPixelSize: Math.round(Theme.listTextSize * 0.8)
                        elide: Text.ElideRight
                    }
                    Text {
                        textFormat: Text.PlainText
                        width: parent.width
                        visible: text.length > 0 && !list.compact
                        text: entry.detail
                        color: Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.listDetailSize
                        elide: Text.ElideRight
                    }
                }
            }

            Text {

                textFormat: Text.PlainText
                objectName: "more"
                x: Math.floor(list.shown / list.rowsShown) * list.cellWidth + Theme.px(14)
                y: (list.shown % list.rowsShown) * list.cellHeight
                width: list.cellWidth - Theme.px(26)
                visible: list.shown < list.count
                text: card.items.moreText(list.shown)
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.listTextSize
                font.italic: true
                elide: Text.ElideRight
            }
        }

        Text {

            textFormat: Text.PlainText
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: list.count === 0
            text: card.emptyText
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.listTextSize
            wrapMode: Text.WordWrap
            verticalAlignment: Text.AlignTop
        }
    }
}
