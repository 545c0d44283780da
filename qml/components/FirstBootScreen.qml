import QtQuick
import QtQuick.Layouts
import Chiso.Ui

// Before the first document: a calm screen that says what it waits for and from where, with the connection's
// state and the last thing the sync reported — no spinner, nothing that moves. A screen without a token shows the
// code IT enters in the console to enrol it, large enough to read from the door.
Item {
    id: screen

    property string waitingText
    property string enrolmentCode
    property string connectionText
    property string detail

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, Theme.px(1400))
        spacing: Theme.px(18)

        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            width: Theme.px(96)
            height: Theme.px(8)
            radius: height / 2
            color: Theme.partyRed
        }
        Text {
            textFormat: Text.PlainText
            objectName: "waiting"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: screen.waitingText
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.firstBootTitleSize
            font.weight: Font.DemiBold
            wrapMode: Text.Wrap
        }
        Text {
            textFormat: Text.PlainText
            objectName: "enrolmentCode"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            visible: screen.enrolmentCode.length > 0
            text: screen.enrolmentCode
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.firstBootTitleSize * 3
            font.weight: Font.Bold
            font.letterSpacing: Theme.px(12)
        }
        Text {
            textFormat: Text.PlainText
            objectName: "connection"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: screen.connectionText
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.firstBootTextSize
        }
        Text {
            textFormat: Text.PlainText
            objectName: "detail"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            visible: text.length > 0
            text: screen.detail
            color: Theme.textFaint
            font.family: Theme.fontFamily
            font.pixelSize: Theme.noteSize
            wrapMode: Text.Wrap
        }
    }
}
