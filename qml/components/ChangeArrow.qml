import QtQuick

// A small triangle pointing up (sign > 0) or down (sign < 0), or a dot for no change; drawn, not a glyph,
// so it looks the same whatever fonts the device has.
Item {
    id: arrow

    property int sign: 0
    property color color: "gray"
    property real size: 16

    implicitWidth: size
    implicitHeight: size

    // The triangle: the top (or bottom) half of a square turned 45°, clipped.
    Item {
        visible: arrow.sign !== 0
        width: arrow.size
        height: arrow.size / 2
        anchors.centerIn: parent
        clip: true
        rotation: arrow.sign < 0 ? 180 : 0

        Rectangle {
            width: arrow.size / Math.SQRT2
            height: width
            color: arrow.color
            rotation: 45
            x: (parent.width - width) / 2
            y: parent.height - height / 2
            antialiasing: true
        }
    }

    Rectangle {
        visible: arrow.sign === 0
        anchors.centerIn: parent
        width: arrow.size / 2
        height: width
        radius: width / 2
        color: arrow.color
    }
}
