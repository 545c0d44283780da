import QtQuick
import QtQuick.Layouts
import Chiso
import Chiso.Ui

// Everything the wall shows, upright: the header, the stale banner when the figures are old, the pages (one
// at a time, turned by the Kiosk) or the first-boot screen before any figures, and the status bar.
Rectangle {
    id: screen

    required property Kiosk kiosk

    color: Theme.background

    ScreenMetrics {
        id: metrics
        width: screen.width
        height: screen.height
    }
    Binding {
        target: Theme
        property: "unit"
        value: metrics.unit
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Header {
            Layout.fillWidth: true
            orgName: screen.kiosk.orgName
            pageTitle: screen.kiosk.sync.hasDocument ? screen.kiosk.currentPageTitle : ""
            reviewText: screen.kiosk.sync.hasDocument ? screen.kiosk.sync.reviewText : ""
            timeText: screen.kiosk.timeText
            dateText: screen.kiosk.dateText
        }

        StaleBanner {
            objectName: "staleBanner"
            Layout.fillWidth: true
            visible: screen.kiosk.sync.stale
            text: screen.kiosk.sync.staleText
        }

        StackLayout {
            objectName: "pages"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: Theme.margin
            Layout.bottomMargin: 0
            visible: screen.kiosk.sync.hasDocument
            currentIndex: screen.kiosk.currentPage

            Repeater {
                model: screen.kiosk.pages

                // Only the page on screen is built: building every page before the first frame delays it.
                Loader {
                    id: pageLoader

                    required property int index
                    required property TileModel tiles
                    required property ChartModel charts
                    required property ItemListModel lists

                    active: index === screen.kiosk.currentPage
                    sourceComponent: DashboardPage {
                        portrait: metrics.portrait
                        tiles: pageLoader.tiles
                        charts: pageLoader.charts
                        lists: pageLoader.lists
                    }
                }
            }
        }

        FirstBootScreen {
            objectName: "firstBoot"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !screen.kiosk.sync.hasDocument
            waitingText: screen.kiosk.sync.enrolmentCode.length > 0 ? screen.kiosk.sync.enrolmentText
                                                                    : screen.kiosk.sync.waitingText
            enrolmentCode: screen.kiosk.sync.enrolmentCode
            connectionText: screen.kiosk.sync.connectionText
            detail: screen.kiosk.sync.connectionDetail
        }

        StatusBar {
            Layout.fillWidth: true
            visible: screen.kiosk.sync.hasDocument
            asOfText: screen.kiosk.sync.asOfText
            lastSyncText: screen.kiosk.sync.lastSyncText
            connectionText: screen.kiosk.sync.connectionText
            online: screen.kiosk.sync.connection === SyncController.Online
                    || screen.kiosk.sync.connection === SyncController.Connecting
            pageCount: screen.kiosk.pages.count
            currentPage: screen.kiosk.currentPage
        }
    }
}
