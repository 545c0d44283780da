import QtQuick
import QtQuick.Layouts
import Chiso
import Chiso.Ui

// The bottom of the screen: how current the figures are ("Số liệu đến 31/10/2026 · Đồng bộ 2 phút trước"),
// the connection with its coloured dot, and a dot per page with the page on show marked.
Item {
    id: bar

    property string asOfText
    property string lastSyncText
    property string connectionText
    property bool online: true
    property int pageCount: 0
    property int currentPage: 0

    implicitHeight: Theme.footerHeight

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: Theme.px(10)

        Text {

            textFormat: Text.PlainText
            objectName: "sync"
            Layout.fillWidth: true
            text: bar.asOfText + "  ·  " + bar.lastSyncText
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.statusSize
            elide: Text.ElideRight
        }

        Row {
            spacing: Theme.px(10)
            Layout.alignment: Qt.AlignVCenter
            Repeater {
                model: bar.pageCount
                Rectangle {
                    required property int index
                    width: index === bar.currentPage ? Theme.px(28) : Theme.px(10)
                    height: Theme.px(10)
                    radius: height / 2
                    color: index === bar.currentPage ? Theme.gold : Theme.grid
                }
            }
        }

        Item { Layout.preferredWidth: Theme.px(12) }

        Rectangle {
            Layout.alignment: Qt.AlignVCenter
            width: Theme.px(12)
            height: width
            radius: width / 2
            color: bar.online ? Theme.online : Theme.offline
        }
        Text {
            textFormat: Text.PlainText
            objectName: "connection"
            text: bar.connectionText
            color: bar.online ? Theme.textMuted : Theme.offline
            font.family: Theme.fontFamily
            font.pixelSize: Theme.statusSize
            font.weight: bar.online ? Font.Normal : Font.DemiBold
        }
    }
}
