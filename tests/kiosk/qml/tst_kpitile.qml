import QtQuick
import QtTest
import Chiso.Ui

// A key figure's tile: every text it is given is shown, the arrow follows the sign and its colour whether the
// change is good, a missing figure shows "—", and nothing spills out of a narrow tile.
Item {
    id: root
    width: 1920
    height: 1080

    TestCase {
        id: test
        name: "KpiTile"
        when: windowShown

        Component {
            id: tileComponent
            KpiTile {
                width: 300
                height: implicitHeight
                label: "Tổng số đảng viên"
                value: "7.841"
                unit: "người"
                detail: "chính thức 7.492 · dự bị 349"
                change: "+25 so với 31/12/2018"
                changeSign: 1
                changeGood: true
                period: "30/6/2019"
            }
        }

        function text(tile, name) { return findChild(tile, name).text }

        function test_showsEveryText() {
            const tile = createTemporaryObject(tileComponent, root)
            compare(text(tile, "label"), "Tổng số đảng viên")
            compare(text(tile, "value"), "7.841")
            compare(text(tile, "unit"), "người")
            compare(text(tile, "change"), "+25 so với 31/12/2018")
            compare(text(tile, "detail"), "chính thức 7.492 · dự bị 349")
            compare(text(tile, "period"), "30/6/2019")
            compare(findChild(tile, "unit").visible, true)
        }

        function test_arrowFollowsTheSignAndItsColourWhetherItIsGood() {
            const tile = createTemporaryObject(tileComponent, root, { changeSign: -1, changeGood: false })
            const arrow = findChild(tile, "arrow")
            compare(arrow.sign, -1)
            compare(Qt.colorEqual(arrow.color, Theme.bad), true)
            tile.changeGood = true
            compare(Qt.colorEqual(arrow.color, Theme.good), true)
            tile.changeSign = 0
            compare(Qt.colorEqual(arrow.color, Theme.neutral), true)
        }

        function test_aMissingFigureShowsADashAndNoUnit() {
            const tile = createTemporaryObject(tileComponent, root,
                                               { value: "—", missing: true, change: "", detail: "" })
            compare(text(tile, "value"), "—")
            compare(findChild(tile, "unit").visible, false)
            compare(findChild(tile, "change").visible, false)
        }

        function test_aPercentageCarriesItsOwnUnit() {
            const tile = createTemporaryObject(tileComponent, root, { value: "90,3 %", unit: "%" })
            compare(findChild(tile, "unit").visible, false)
        }

        function test_nothingSpillsOutOfANarrowTile() {
            const tile = createTemporaryObject(tileComponent, root, {
                width: 196,
                label: "Tổ chức đảng được kết luận có vi phạm",
                value: "1.234.567",
                change: "−12 so với cùng kỳ năm 2025",
                detail: "Khiển trách 10 · Cảnh cáo 6 · Khai trừ 2",
                period: "Năm 2026 (đến 31/10/2026)"
            })
            waitForRendering(tile)
            for (const name of ["label", "value", "change", "detail", "period"]) {
                const item = findChild(tile, name)
                const box = item.mapToItem(tile, 0, 0, item.width, item.height)
                verify(box.x >= 0 && box.x + box.width <= tile.width + 0.5, name + " fits across")
                verify(box.y >= 0 && box.y + box.height <= tile.height + 0.5, name + " fits down")
                verify(item.contentWidth <= item.width + 1, name + " is not wider than its box")
            }
        }
    }
}
