// QML's view of page_plan.hpp: where each tile, chart and list of a page goes (which row), and the scale of
// type for the screen. The QML layouts only follow these numbers.
#pragma once

#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QVariantList>

namespace chiso::kiosk {

class PageArrangement : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int tileCount MEMBER tileCount_ NOTIFY inputChanged)
    Q_PROPERTY(int chartCount MEMBER chartCount_ NOTIFY inputChanged)
    Q_PROPERTY(int listCount MEMBER listCount_ NOTIFY inputChanged)
    Q_PROPERTY(bool portrait MEMBER portrait_ NOTIFY inputChanged)
    Q_PROPERTY(int tileRowCount READ tileRowCount NOTIFY planChanged)
    Q_PROPERTY(int panelRowCount READ panelRowCount NOTIFY planChanged)
    // The row of each tile, chart and list, by index.
    Q_PROPERTY(QVariantList tileRowOf READ tileRowOf NOTIFY planChanged)
    Q_PROPERTY(QVariantList chartRowOf READ chartRowOf NOTIFY planChanged)
    Q_PROPERTY(QVariantList listRowOf READ listRowOf NOTIFY planChanged)

public:
    explicit PageArrangement(QObject* parent = nullptr);

    int tileRowCount() const { return tileRowCount_; }
    int panelRowCount() const { return panelRowCount_; }
    QVariantList tileRowOf() const { return tileRowOf_; }
    QVariantList chartRowOf() const { return chartRowOf_; }
    QVariantList listRowOf() const { return listRowOf_; }

signals:
    void inputChanged();
    void planChanged();

private:
    void plan();

    int tileCount_ = 0, chartCount_ = 0, listCount_ = 0;
    bool portrait_ = false;
    int tileRowCount_ = 0, panelRowCount_ = 0;
    QVariantList tileRowOf_, chartRowOf_, listRowOf_;
};

class ScreenMetrics : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(qreal width MEMBER width_ NOTIFY sizeChanged)
    Q_PROPERTY(qreal height MEMBER height_ NOTIFY sizeChanged)
    Q_PROPERTY(qreal unit READ unit NOTIFY sizeChanged)  // 1 on 1920×1080; see screen_unit()
    Q_PROPERTY(bool portrait READ portrait NOTIFY sizeChanged)

public:
    using QObject::QObject;
    qreal unit() const;
    bool portrait() const { return height_ > width_; }

signals:
    void sizeChanged();

private:
    qreal width_ = 1920, height_ = 1080;
};

}  // namespace chiso::kiosk
