import QtQuick
import QtTest
import Chiso
import Chiso.Ui
import ChisoTest

// What the wall shows in each state: before the first data a calm screen naming the server; with fresh data
// the pages and no banner; with data older than the threshold the pages under a banner saying how old.
Item {
    id: root
    width: 1920
    height: 1080

    TestCase {
        id: test
        name: "KioskStates"
        when: windowShown

        Component {
            id: screenComponent
            KioskScreen {
                width: 1920
                height: 1080
            }
        }

        function test_firstBootWaitsCalmlyForTheServer() {
            const screen = createTemporaryObject(screenComponent, root, { kiosk: Fixture.firstBootKiosk })
            const firstBoot = findChild(screen, "firstBoot")
            compare(firstBoot.visible, true)
            compare(findChild(firstBoot, "waiting").text, "Đang chờ dữ liệu lần đầu từ http://127.0.0.1:9")
            compare(findChild(screen, "pages").visible, false)
            compare(findChild(screen, "staleBanner").visible, false)
        }

        function test_freshDataShowsThePagesWithoutABanner() {
            const screen = createTemporaryObject(screenComponent, root, { kiosk: Fixture.freshKiosk })
            compare(findChild(screen, "firstBoot").visible, false)
            compare(findChild(screen, "pages").visible, true)
            compare(findChild(screen, "staleBanner").visible, false)
            compare(findChild(screen, "orgName").text, "Tỉnh ủy Hà Tĩnh")
            compare(Fixture.freshKiosk.pages.count, 6)
            compare(Fixture.freshKiosk.sync.lastSyncText, "Đồng bộ 2 phút trước")
        }

        // Organisation names and labels come from the server: every text on the screen shows them as written, so
        // a name holding markup is never drawn as bold, nor makes the kiosk fetch an image.
        function test_everyTextShowsDataAsPlainText() {
            const screen = createTemporaryObject(screenComponent, root, { kiosk: Fixture.staleKiosk })
            let texts = 0
            const notPlain = []
            function walk(item) {
                if (item.textFormat !== undefined && item.text !== undefined) {
                    ++texts
                    if (item.textFormat !== Text.PlainText) notPlain.push(item.objectName + ": " + item.text)
                }
                for (let i = 0; i < item.children.length; ++i) walk(item.children[i])
            }
            walk(screen)
            verify(texts >= 20, texts + " texts found")
            compare(notPlain, [])
        }

        function test_staleDataStaysOnScreenUnderABannerWithItsAge() {
            const screen = createTemporaryObject(screenComponent, root, { kiosk: Fixture.staleKiosk })
            compare(findChild(screen, "pages").visible, true)
            const banner = findChild(screen, "staleBanner")
            compare(banner.visible, true)
            verify(findChild(banner, "staleText").text.startsWith("Số liệu chưa được cập nhật 5 giờ 10 phút"),
                   findChild(banner, "staleText").text)
        }
    }
}
