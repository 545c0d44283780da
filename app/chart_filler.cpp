#include "chart_filler.hpp"

#include "chart_axis.hpp"
#include "logging.hpp"

#include <QFontMetricsF>
#include <QMetaEnum>
#include <QTimer>
#include <QtCharts/QAbstractBarSeries>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>

#include <algorithm>
#include <cmath>

namespace chiso::kiosk {
namespace {

using dashboard::Chart;

// Qt Charts keeps this much space on each side of an axis label (ChartAxisElement::labelPadding()).
constexpr qreal kLabelPadding = 4;

// ChartView's own series types, looked up by name so nothing depends on the private enum's order.
int series_type(QQuickItem* view, const char* name) {
    const QMetaObject* meta = view->metaObject();
    const int index = meta->indexOfEnumerator("SeriesType");
    return index < 0 ? -1 : meta->enumerator(index).keyToValue(name);
}

// "7.841" or "90 %": a tick is a whole number of the chart's unit.
QString tick_label(const dashboard::Formatter& format, double value, const std::string& unit) {
    std::string text = format.number(static_cast<std::int64_t>(std::llround(value)));
    if (unit == "%")
        text += format.language() == dashboard::Language::vi ? std::string(dashboard::kPercentSpace) + "%" : "%";
    return QString::fromStdString(text);
}

qreal widest(const QFont& font, const QStringList& texts) {
    const QFontMetricsF metrics(font);
    qreal width = 0;
    for (const QString& text : texts) width = std::max(width, metrics.horizontalAdvance(text));
    return width;
}

// The font made smaller (to no less than 70 %) until every text fits the width and a line fits the height,
// so that Qt Charts shows the labels instead of cutting them to "...".
QFont fitted(QFont font, const QStringList& texts, qreal width, qreal height) {
    const int largest = font.pixelSize() > 0 ? font.pixelSize() : 16;
    const int smallest = std::max(8, static_cast<int>(std::lround(largest * 0.7)));
    for (int size = largest; size >= smallest; --size) {
        font.setPixelSize(size);
        if (widest(font, texts) <= width && QFontMetricsF(font).height() <= height) break;
    }
    return font;
}

}  // namespace

ChartFiller::ChartFiller(QObject* parent) : QObject(parent) {
    connect(this, &ChartFiller::styleChanged, this, &ChartFiller::schedule);
}

void ChartFiller::setView(QQuickItem* view) {
    if (view_ == view) return;
    if (view_) disconnect(view_, nullptr, this, nullptr);
    view_ = view;
    categoryAxis_ = nullptr;  // the axes belonged to the old view's chart
    valueAxis_ = nullptr;
    if (view_) {
        connect(view_, &QQuickItem::widthChanged, this, &ChartFiller::whenSized);
        connect(view_, &QQuickItem::heightChanged, this, &ChartFiller::whenSized);
    }
    emit viewChanged();
    schedule();
}

// The axes' type is fitted to the view's size: fill once it has one, and again when it changes much
// (a rotated screen, a window made larger), never for a pixel or two.
void ChartFiller::whenSized() {
    if (!view_) return;
    const QSizeF size(view_->width(), view_->height());
    const bool changed =
        std::abs(size.width() - filledSize_.width()) > 8 || std::abs(size.height() - filledSize_.height()) > 8;
    if (waitingForSize_ || (fills_ > 0 && changed)) schedule();
}

void ChartFiller::setModel(ChartModel* model) {
    if (model_ == model) return;
    if (model_) disconnect(model_, nullptr, this, nullptr);
    model_ = model;
    if (model_) {
        connect(model_, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex& first, const QModelIndex& last) {
                    if (row_ >= first.row() && row_ <= last.row()) schedule();
                });
        connect(model_, &QAbstractItemModel::modelReset, this, &ChartFiller::schedule);
        connect(model_, &QAbstractItemModel::rowsInserted, this, &ChartFiller::schedule);
        connect(model_, &QAbstractItemModel::rowsRemoved, this, &ChartFiller::schedule);
    }
    emit modelChanged();
    schedule();
}

void ChartFiller::setRow(int row) {
    if (row_ == row) return;
    row_ = row;
    emit rowChanged();
    schedule();
}

// Property changes arrive one by one while QML builds the delegate: fill once, when they have all arrived.
void ChartFiller::schedule() {
    if (scheduled_) return;
    scheduled_ = true;
    QTimer::singleShot(0, this, [this] {
        scheduled_ = false;
        fill();
    });
}

QColor ChartFiller::colorFor(const QString& role, int index) const {
    if (auto it = roleColors_.find(role); it != roleColors_.end()) return it->value<QColor>();
    if (palette_.isEmpty()) return Qt::gray;
    return palette_.at(index % palette_.size()).value<QColor>();
}

void ChartFiller::fill() {
    if (!view_ || !model_) return;
    const Chart* chart = model_->chart(row_);
    if (!chart) return;
    waitingForSize_ = view_->width() < 48 || view_->height() < 48;  // not laid out yet (or a page not on show)
    if (waitingForSize_) return;
    filledSize_ = QSizeF(view_->width(), view_->height());

    const dashboard::Formatter format(model_->language());
    const bool line = chart->kind == Chart::Kind::line;
    const bool horizontal = chart->kind == Chart::Kind::horizontal_bar;
    const bool stacked = chart->kind == Chart::Kind::stacked_bar;

    QMetaObject::invokeMethod(view_, "removeAllSeries");
    if (categoryAxis_ && horizontal != horizontal_) {  // a chart that turned: new axes on the other sides
        categoryAxis_->setVisible(false);
        valueAxis_->setVisible(false);
        categoryAxis_ = nullptr;
        valueAxis_ = nullptr;
    }
    if (!categoryAxis_) {
        categoryAxis_ = new QBarCategoryAxis(this);
        valueAxis_ = new QCategoryAxis(this);
        valueAxis_->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        horizontal_ = horizontal;
    }

    // A horizontal chart reads top to bottom, while Qt Charts puts the first category at the bottom: reverse.
    std::vector<std::size_t> order(chart->categories.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = horizontal ? order.size() - 1 - i : i;
    QStringList categories;
    for (std::size_t i : order) categories.append(QString::fromStdString(chart->categories[i]));

    // The data's range (stacked bars: the stacks' totals).
    double low = 0, high = 0;
    bool any = false;
    std::vector<double> stack(chart->categories.size(), 0.0);
    for (const dashboard::Series& series : chart->series)
        for (std::size_t i = 0; i < series.values.size(); ++i) {
            if (!series.values[i]) continue;
            const double value = *series.values[i];
            double top = value;
            if (stacked && i < stack.size()) top = stack[i] += value;
            low = any ? std::min(low, value) : value;
            high = any ? std::max(high, top) : top;
            any = true;
        }

    // Fit the axes to the view: as many value ticks as have room for their labels, and category labels
    // made smaller when they would not fit their slot.
    const qreal width = filledSize_.width(), height = filledSize_.height();
    const qreal lineHeight = QFontMetricsF(font_).height();
    const qreal labelSlot = lineHeight + 2 * kLabelPadding + 2;
    const qreal valueLength = horizontal ? width * 0.5 : height - labelSlot;  // roughly the plot's extent
    const qreal tickSpace =
        horizontal ? widest(font_, {tick_label(format, high, chart->unit)}) + 4 * kLabelPadding : labelSlot * 1.6;
    const int tickCount = std::clamp(static_cast<int>(valueLength / tickSpace) - 1, 2, 5);
    const AxisTicks ticks = nice_ticks(low, high, !line, true, tickCount);
    // The axis ends a little above the data rather than at the next labelled tick, which may be far above.
    const double quarter = ticks.step / 4;
    const double top = std::min(ticks.max, std::max(ticks.min + quarter, std::ceil(high * 1.06 / quarter) * quarter));
    QStringList tickLabels;
    std::vector<double> tickValues;
    for (double value : ticks.values) {
        if (value > top + 1e-9) break;
        tickLabels.append(tick_label(format, value, chart->unit));
        tickValues.push_back(value);
    }

    QFont categoryFont = font_;
    if (!horizontal) {
        const qreal slotCount = static_cast<qreal>(std::max<qsizetype>(categories.size(), 1));
        const qreal plotWidth = width - widest(font_, tickLabels) - 3 * kLabelPadding;
        // Qt Charts gives each label the axis' length over (categories + 2) less its padding, and measures the
        // label as a rich-text item, with a margin of a few pixels.
        categoryFont = fitted(font_, categories, plotWidth / (slotCount + 2) - 2 * kLabelPadding - 6, labelSlot);
    }

    categoryAxis_->clear();
    categoryAxis_->append(categories);
    for (const QString& label : valueAxis_->categoriesLabels()) valueAxis_->remove(label);
    valueAxis_->setStartValue(ticks.min - ticks.step * 1e-6);  // so the first tick is a category end too
    for (int i = 0; i < tickLabels.size(); ++i)
        valueAxis_->append(tickLabels[i], tickValues[static_cast<std::size_t>(i)]);
    valueAxis_->setRange(ticks.min, top);

    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(categoryAxis_), static_cast<QAbstractAxis*>(valueAxis_)}) {
        axis->setLabelsColor(labelColor_);
        axis->setGridLineColor(gridColor_);
        axis->setLinePenColor(gridColor_);
        axis->setLabelsVisible(!horizontal);  // QML writes a horizontal chart's names and figures
        axis->setVisible(true);
    }
    categoryAxis_->setLabelsFont(categoryFont);
    valueAxis_->setLabelsFont(font_);
    categoryAxis_->setGridLineVisible(false);
    valueAxis_->setLineVisible(false);

    rows_.clear();
    if (horizontal)
        for (std::size_t i = 0; i < chart->categories.size(); ++i) {  // top to bottom: the dashboard's order
            QString value;
            if (chart->series.size() == 1 && i < chart->series.front().labels.size())
                value = QString::fromStdString(chart->series.front().labels[i]);
            rows_.append(QVariantMap{{QStringLiteral("name"), QString::fromStdString(chart->categories[i])},
                                     {QStringLiteral("value"), value}});
        }

    QAbstractAxis* xAxis = horizontal ? static_cast<QAbstractAxis*>(valueAxis_) : categoryAxis_;
    QAbstractAxis* yAxis = horizontal ? static_cast<QAbstractAxis*>(categoryAxis_) : valueAxis_;
    auto create = [&](const char* type, const QString& name) -> QAbstractSeries* {
        QAbstractSeries* created = nullptr;
        QMetaObject::invokeMethod(view_, "createSeries", Q_RETURN_ARG(QAbstractSeries*, created),
                                  Q_ARG(int, series_type(view_, type)), Q_ARG(QString, name),
                                  Q_ARG(QAbstractAxis*, xAxis), Q_ARG(QAbstractAxis*, yAxis));
        if (!created) qCWarning(lcCharts) << "ChartView did not create a" << type << "for" << chart->key.c_str();
        return created;
    };

    legend_.clear();
    auto addLegend = [this](const QString& name, const QColor& color, const QString& style) {
        legend_.append(QVariantMap{
            {QStringLiteral("name"), name}, {QStringLiteral("color"), color}, {QStringLiteral("style"), style}});
    };

    if (line) {
        int index = 0;
        for (const dashboard::Series& series : chart->series) {
            const QString name = QString::fromStdString(series.name);
            auto* xy = qobject_cast<QLineSeries*>(create("SeriesTypeLine", name));
            if (!xy) break;
            const QString role = QString::fromStdString(series.role);
            const QColor color = colorFor(role, index++);
            QPen pen(color);
            pen.setWidthF(lineWidth_);
            pen.setCapStyle(Qt::RoundCap);
            QString style = QStringLiteral("solid");
            if (role == QLatin1String("target")) {
                pen.setStyle(Qt::DashLine);
                style = QStringLiteral("dashed");
            } else if (role == QLatin1String("pace")) {
                pen.setStyle(Qt::DotLine);
                style = QStringLiteral("dotted");
            } else if (role == QLatin1String("comparison")) {
                pen.setWidthF(std::max<qreal>(1.5, lineWidth_ * 0.6));
            }
            xy->setPen(pen);
            const bool points = role == QLatin1String("value") || role == QLatin1String("cumulative");
            xy->setPointsVisible(points);
            xy->setMarkerSize(lineWidth_ * 3);
            for (std::size_t i = 0; i < series.values.size(); ++i)
                if (series.values[i]) xy->append(static_cast<qreal>(i), *series.values[i]);
            addLegend(name, color, style);
        }
    } else {
        const char* type = horizontal ? "SeriesTypeHorizontalBar" : stacked ? "SeriesTypeStackedBar" : "SeriesTypeBar";
        auto* bars = qobject_cast<QAbstractBarSeries*>(create(type, QString::fromStdString(chart->title)));
        if (bars) {
            bars->setBarWidth(chart->series.size() > 1 && !stacked ? 0.8 : 0.6);
            int index = 0;
            for (const dashboard::Series& series : chart->series) {
                const QString name = QString::fromStdString(series.name);
                auto* set = new QBarSet(name);
                for (std::size_t i : order)
                    set->append(i < series.values.size() ? series.values[i].value_or(0.0) : 0.0);
                bars->append(set);
                const QColor color = colorFor(QString::fromStdString(series.role), index++);
                set->setColor(color);
                set->setBorderColor(color);
                addLegend(name, color, QStringLiteral("solid"));
            }
        }
    }
    if (auto* legend = view_->property("legend").value<QLegend*>()) legend->setVisible(false);  // QML draws it

    ++fills_;
    qCDebug(lcCharts).noquote() << "filled" << QString::fromStdString(chart->key) << "fill" << fills_ << "in" << width
                                << "x" << height << "ticks" << tickLabels.join(QLatin1Char(' ')) << "top" << top
                                << "category font" << categoryFont.pixelSize();
    emit filled();
}

}  // namespace chiso::kiosk
