import QtQuick
import QtQuick.Window
import Chiso
import Chiso.Ui

// The kiosk's window: full screen on the wall (a window of a given size for screenshots). The content is
// turned by the configured rotation, moved a few pixels now and then against burn-in, and hidden behind black
// outside the display schedule.
Window {
    id: window

    required property Kiosk kiosk

    width: kiosk.windowSize.width
    height: kiosk.windowSize.height
    visibility: kiosk.fullScreen ? Window.FullScreen : Window.Windowed
    visible: true
    color: kiosk.screenOn ? Theme.background : "black"
    title: kiosk.orgName.length > 0 ? kiosk.orgName : "chiso"

    Binding {
        target: Theme
        property: "dark"
        value: window.kiosk.darkTheme
    }

    Item {
        id: rotor
        readonly property bool sideways: window.kiosk.rotation === 90 || window.kiosk.rotation === 270
        anchors.centerIn: parent
        width: sideways ? parent.height : parent.width
        height: sideways ? parent.width : parent.height
        rotation: window.kiosk.rotation
        visible: window.kiosk.screenOn

        KioskScreen {
            anchors.fill: parent
            kiosk: window.kiosk
            transform: Translate {
                x: window.kiosk.pixelShift.x
                y: window.kiosk.pixelShift.y
            }
        }
    }
}
