import QtQuick
import QtQuick.Layouts
import Chiso.Ui

// The top of the screen: the organisation and the page on show, and the clock with the date.
Rectangle {
    id: header

    property string orgName
    property string pageTitle
    property string reviewText  // the review every page shows, when the screen is set to one
    property string timeText
    property string dateText

    color: Theme.headerBackground
    implicitHeight: Theme.headerHeight

    // Party red, with restraint: one line along the bottom and a bar beside the name.
    Rectangle {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: Theme.px(4)
        color: Theme.partyRed
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        anchors.bottomMargin: Theme.px(4)
        spacing: Theme.px(18)

        Rectangle {
            visible: header.orgName.length > 0
            Layout.preferredWidth: Theme.px(8)
            Layout.preferredHeight: Theme.px(60)
            radius: Theme.px(4)
            color: Theme.partyRed
        }

        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Text {
                textFormat: Text.PlainText
                objectName: "orgName"
                Layout.fillWidth: true
                text: header.orgName
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.headerTitleSize
                font.weight: Font.Bold
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: Theme.px(20)
                elide: Text.ElideRight
            }
            Text {
                textFormat: Text.PlainText
                objectName: "pageTitle"
                Layout.fillWidth: true
                visible: text.length > 0
                text: header.reviewText.length > 0 ? header.pageTitle + "  ·  " + header.reviewText : header.pageTitle
                color: Theme.gold
                font.family: Theme.fontFamily
                font.pixelSize: Theme.headerSubtitleSize
                font.weight: Font.DemiBold
                fontSizeMode: Text.HorizontalFit  // a review's name is read whole, smaller in portrait
                minimumPixelSize: Theme.px(14)
                elide: Text.ElideRight
            }
        }

        ColumnLayout {
            spacing: 0
            Text {
                textFormat: Text.PlainText
                objectName: "time"
                Layout.alignment: Qt.AlignRight
                text: header.timeText
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.clockSize
                font.weight: Font.Bold
            }
            Text {
                textFormat: Text.PlainText
                objectName: "date"
                Layout.alignment: Qt.AlignRight
                text: header.dateText
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.dateSize
            }
        }
    }
}
