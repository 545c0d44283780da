import QtQuick
import QtQuick.Layouts
import Chiso.Ui

// Shown across the screen when the figures are older than the configured threshold: how old they are and
// which server the screen keeps trying. The figures stay on screen under it.
Rectangle {
    id: banner

    property string text

    color: Theme.staleBackground
    implicitHeight: label.implicitHeight + Theme.px(16)

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: Theme.px(12)

        // A warning sign: a ring with a bar, drawn so it needs no symbol font.
        Rectangle {
            Layout.alignment: Qt.AlignVCenter
            width: Theme.px(26)
            height: width
            radius: width / 2
            color: "transparent"
            border.color: Theme.staleText
            border.width: Theme.px(3)
            Rectangle {
                anchors.horizontalCenter: parent.horizontalCenter
                y: parent.height * 0.22
                width: Theme.px(3)
                height: parent.height * 0.36
                color: Theme.staleText
            }
            Rectangle {
                anchors.horizontalCenter: parent.horizontalCenter
                y: parent.height * 0.66
                width: Theme.px(3)
                height: width
                color: Theme.staleText
            }
        }

        Text {

            textFormat: Text.PlainText
            id: label
            objectName: "staleText"
            Layout.fillWidth: true
            text: banner.text
            color: Theme.staleText
            font.family: Theme.fontFamily
            font.pixelSize: Theme.bannerSize
            font.weight: Font.DemiBold
            wrapMode: Text.WordWrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
    }
}
