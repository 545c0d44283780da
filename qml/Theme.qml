pragma Singleton
import QtQuick

// Colours, type and spacing of the kiosk, in a calm dark and a calm light variant. Sizes are given for a
// 1920×1080 screen and scaled by `unit` (ScreenMetrics), so the wall reads the same from 1366×768 to 4K.
// Party red marks the header only; the series colours stay clear of it so a red bar never reads as "bad".
QtObject {
    id: theme

    property bool dark: true
    property real unit: 1

    function px(size) { return Math.max(1, Math.round(size * theme.unit)) }

    readonly property string fontFamily: "Noto Sans"

    // Surfaces and text
    readonly property color background: dark ? "#0D1524" : "#EEF1F5"
    readonly property color card: dark ? "#152238" : "#FFFFFF"
    readonly property color cardBorder: dark ? "#22324D" : "#D9DEE6"
    readonly property color text: dark ? "#F4F6FA" : "#132033"
    readonly property color textMuted: dark ? "#A9B6CA" : "#4F5D72"
    readonly property color textFaint: dark ? "#7F8DA3" : "#6E7A8C"
    readonly property color grid: dark ? "#2A3A55" : "#DDE2EA"
    readonly property color headerBackground: dark ? "#101B2E" : "#FFFFFF"

    // Accents
    readonly property color partyRed: "#C8102E"
    readonly property color gold: dark ? "#F2C14E" : "#B7791F"
    readonly property color good: dark ? "#4CC38A" : "#1E8E5A"
    readonly property color bad: dark ? "#FF7A6B" : "#C8412F"
    readonly property color neutral: textMuted
    readonly property color online: good
    readonly property color offline: dark ? "#F2A541" : "#B45F06"
    readonly property color staleBackground: dark ? "#F2A541" : "#FBE3B5"
    readonly property color staleText: "#1D1405"

    // Series: a colour per series in turn; some roles and categories have their own.
    readonly property var seriesColors: dark
        ? ["#5AA9F0", "#F2C14E", "#4CC38A", "#B49AF0", "#5FD0DB", "#F08A5D"]
        : ["#1F6FC5", "#C98A12", "#1E8E5A", "#7556C9", "#1B93A4", "#D0622F"]
    readonly property var roleColors: ({
        "comparison": dark ? "#7F8DA3" : "#9AA5B5",
        "target": gold,
        "pace": dark ? "#F5D88E" : "#D9A441",
        "cumulative": dark ? "#5AA9F0" : "#1F6FC5",
        // quality ratings, best first (current scale, then the scale before 2018)
        "htxs": dark ? "#F2C14E" : "#D69E1E",
        "htt": dark ? "#5AA9F0" : "#1F6FC5",
        "ht": dark ? "#4CC38A" : "#1E8E5A",
        "kht": dark ? "#FF7A6B" : "#C8412F",
        "tsvm_tieu_bieu": dark ? "#E3A82B" : "#B07A0C",
        "tsvm": dark ? "#3F8CD6" : "#3A84D4",
        "yeu_kem": dark ? "#E25A4A" : "#A93226"
    })

    // Type, in pixels at 1920×1080
    readonly property int headerTitleSize: px(34)
    readonly property int headerSubtitleSize: px(24)
    readonly property int clockSize: px(46)
    readonly property int dateSize: px(21)
    readonly property int tileLabelSize: px(21)
    readonly property int tileValueSize: px(58)
    readonly property int tileUnitSize: px(20)
    readonly property int tileChangeSize: px(18)
    readonly property int tileDetailSize: px(17)
    readonly property int tilePeriodSize: px(16)
    readonly property int cardTitleSize: px(21)
    readonly property int chartLabelSize: px(16)
    readonly property int noteSize: px(15)
    readonly property int listTextSize: px(18)
    readonly property int listDetailSize: px(15)
    readonly property int statusSize: px(18)
    readonly property int bannerSize: px(22)
    readonly property int firstBootTitleSize: px(40)
    readonly property int firstBootTextSize: px(24)

    // Spacing
    readonly property int gap: px(14)
    readonly property int margin: px(20)
    readonly property int pad: px(16)
    readonly property int radius: px(12)
    readonly property int headerHeight: px(96)
    readonly property int footerHeight: px(44)
    readonly property real lineWidth: Math.max(2, 3 * unit)
}
