import QtQuick
import QtTest
import Chiso
import Chiso.Ui
import ChisoTest

// A chart is filled from its row of the chart model, and a sync that leaves the chart alone leaves its
// drawing alone: only the chart whose figures changed is filled again.
Item {
    id: root
    width: 1920
    height: 1080

    TestCase {
        id: test
        name: "ChartCard"
        when: windowShown

        Component {
            id: cardComponent
            ChartCard {
                width: 700
                height: 420
                chartModel: Fixture.charts
                title: "chart"
                kind: "bar"
                note: ""
                showLegend: false
            }
        }

        function test_onlyTheChangedChartIsFilledAgain() {
            const trend = createTemporaryObject(cardComponent, root, { row: 0, kind: "line" })
            const byType = createTemporaryObject(cardComponent, root, { row: 1, kind: "horizontal_bar", y: 430 })
            // Each is filled once, when its properties have all arrived and it has a size.
            tryCompare(trend, "fills", 1)
            tryCompare(byType, "fills", 1)
            Fixture.applySecondDashboard()
            // The model tells the charts of the change as it is applied, and a chart fills on the next turn of the
            // event loop: the turn that fills the changed chart would fill the other too, were it told.
            tryCompare(byType, "fills", 2)
            compare(trend.fills, 1)
        }
    }
}
