// Fills a QML ChartView from one row of a ChartModel, as KWeather's adapters fill its series: the series
// (one bar series holding a set per dashboard series, or a line per series), the category axis, and a value
// axis whose round ticks are labelled by dashboard::Formatter ("7.841", "90 %"). It refills only when its row
// of the model changes, so a sync that leaves a chart alone leaves its drawing alone.
#pragma once

#include "dashboard_models.hpp"

#include <QtQml/qqmlregistration.h>
#include <QColor>
#include <QFont>
#include <QObject>
#include <QPointer>
#include <QQuickItem>
#include <QSizeF>
#include <QVariantList>
#include <QVariantMap>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QBarCategoryAxis;
class QCategoryAxis;
QT_END_NAMESPACE

namespace chiso::kiosk {

class ChartFiller : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QQuickItem* view MEMBER view_ WRITE setView NOTIFY viewChanged)
    Q_PROPERTY(chiso::kiosk::ChartModel* model READ model WRITE setModel NOTIFY modelChanged)
    Q_PROPERTY(int row MEMBER row_ WRITE setRow NOTIFY rowChanged)
    // Styling, from the theme: a colour per series in turn, and colours for series by role or category code.
    Q_PROPERTY(QVariantList palette MEMBER palette_ NOTIFY styleChanged)
    Q_PROPERTY(QVariantMap roleColors MEMBER roleColors_ NOTIFY styleChanged)
    Q_PROPERTY(QColor labelColor MEMBER labelColor_ NOTIFY styleChanged)
    Q_PROPERTY(QColor gridColor MEMBER gridColor_ NOTIFY styleChanged)
    Q_PROPERTY(QFont font MEMBER font_ NOTIFY styleChanged)
    Q_PROPERTY(qreal lineWidth MEMBER lineWidth_ NOTIFY styleChanged)
    // The legend, drawn by QML so that long names wrap instead of being cut: {name, color, style} per series,
    // style "solid", "dashed" (a target) or "dotted" (a pace).
    Q_PROPERTY(QVariantList legend READ legend NOTIFY filled)
    // A horizontal bar chart's rows, top to bottom: {name, value} (value: the formatted figure when the chart has
    // one series). QML writes them beside the bars, where long names can wrap; the axis would cut them.
    Q_PROPERTY(QVariantList rows READ rows NOTIFY filled)
    // How many times the chart was filled: tests check that an unchanged chart is not redrawn.
    Q_PROPERTY(int fills READ fills NOTIFY filled)

public:
    explicit ChartFiller(QObject* parent = nullptr);

    ChartModel* model() const { return model_; }
    void setModel(ChartModel* model);
    void setView(QQuickItem* view);
    void setRow(int row);
    int fills() const { return fills_; }
    QVariantList legend() const { return legend_; }
    QVariantList rows() const { return rows_; }

signals:
    void viewChanged();
    void modelChanged();
    void rowChanged();
    void styleChanged();
    void filled();

private:
    void schedule();
    void whenSized();
    void fill();
    QColor colorFor(const QString& role, int index) const;

    QPointer<QQuickItem> view_;
    QPointer<ChartModel> model_;
    int row_ = -1;
    QVariantList palette_;
    QVariantMap roleColors_;
    QColor labelColor_{Qt::black};
    QColor gridColor_{Qt::lightGray};
    QFont font_;
    qreal lineWidth_ = 3;
    bool scheduled_ = false;
    bool waitingForSize_ = false;
    QSizeF filledSize_;  // the view's size at the last fill: the axes' type is fitted to it
    QVariantList legend_;
    QVariantList rows_;
    int fills_ = 0;
    // The axes stay with the chart from fill to fill (ChartView cannot remove one); one pair per orientation.
    QBarCategoryAxis* categoryAxis_ = nullptr;
    QCategoryAxis* valueAxis_ = nullptr;
    bool horizontal_ = false;
};

}  // namespace chiso::kiosk
