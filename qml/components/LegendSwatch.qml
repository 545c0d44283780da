import QtQuick
import Chiso.Ui

// A legend's mark for one series: a filled square for a bar or a line, dashes for a target, dots for a pace.
Row {
    id: swatch

    property color color
    property string style: "solid"

    spacing: Theme.px(3)

    Repeater {
        model: swatch.style === "solid" ? 1 : swatch.style === "dashed" ? 3 : 5
        Rectangle {
            anchors.verticalCenter: parent.verticalCenter
            width: swatch.style === "solid" ? Theme.px(16) : swatch.style === "dashed" ? Theme.px(8) : Theme.px(3)
            height: swatch.style === "solid" ? Theme.px(16) : Theme.px(4)
            radius: Theme.px(2)
            color: swatch.color
        }
    }
}
