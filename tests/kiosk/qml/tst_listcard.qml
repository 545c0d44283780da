import QtQuick
import QtTest
import Chiso.Ui
import ChisoTest

// A list shows every item it has room for and never drops one silently: a short list keeps its detail lines,
// a longer one drops them to fit, and one longer still ends with "và N tổ chức khác" for the rest.
Item {
    id: root
    width: 1920
    height: 1080

    TestCase {
        name: "ListCard"
        when: windowShown

        Component {
            id: cardComponent
            ListCard {
                width: 900
                height: 420
                title: "TCCSĐ chưa kết nạp được đảng viên năm 2026"
                emptyText: "Không có"
            }
        }

        function shownItems(grid) {
            let shown = 0
            for (let i = 0; i < grid.contentItem.children.length; ++i) {
                const entry = grid.contentItem.children[i]
                if (entry.visible && entry.text !== undefined && entry.y + entry.height <= grid.height + 0.5) ++shown
            }
            return shown
        }

        function test_aShortListShowsEveryItemWithItsDetail() {
            const card = createTemporaryObject(cardComponent, root, { items: Fixture.organisations(4) })
            const grid = findChild(card, "items")
            waitForRendering(card)
            verify(!grid.compact)
            compare(shownItems(grid), 4)
            verify(!findChild(card, "more").visible)
        }

        function test_aLongerListDropsTheDetailsToShowEveryName() {
            const card = createTemporaryObject(cardComponent, root, { items: Fixture.organisations(16) })
            const grid = findChild(card, "items")
            waitForRendering(card)
            verify(grid.compact)
            compare(shownItems(grid), 16)
            verify(!findChild(card, "more").visible)
        }

        function test_theRestOfAListTooLongIsCounted() {
            const card = createTemporaryObject(cardComponent, root, { items: Fixture.organisations(40) })
            const grid = findChild(card, "items")
            const more = findChild(card, "more")
            waitForRendering(card)
            const shown = shownItems(grid)
            verify(shown >= 4 && shown < 39, "shown: " + shown)
            verify(more.visible)
            compare(more.text, "và " + (40 - shown) + " tổ chức khác")
            // It takes the place after the last name shown, inside the card.
            verify(more.y + more.height <= grid.height + 0.5)
            verify(more.x + more.width <= grid.width + 0.5)
        }

        function test_anEmptyListSaysSo() {
            const card = createTemporaryObject(cardComponent, root, { items: Fixture.organisations(0) })
            waitForRendering(card)
            verify(!findChild(card, "items").visible)
            verify(!findChild(card, "more").visible)
        }
    }
}
