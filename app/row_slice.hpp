// One row of a page: the rows of a model that PageArrangement placed in row `row`, so that each row of tiles
// builds only its own tiles (a hidden copy of every tile in every row cost start-up time for nothing).
#pragma once

#include <QtQml/qqmlregistration.h>
#include <QSortFilterProxyModel>
#include <QVariantList>

namespace chiso::kiosk {

class RowSlice : public QSortFilterProxyModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QVariantList rowOf READ rowOf WRITE setRowOf NOTIFY sliceChanged)  // PageArrangement's, by item
    Q_PROPERTY(int row READ row WRITE setRow NOTIFY sliceChanged)

public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    QVariantList rowOf() const { return rowOf_; }
    void setRowOf(const QVariantList& rowOf);
    int row() const { return row_; }
    void setRow(int row);

signals:
    void sliceChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QVariantList rowOf_;
    int row_ = 0;
};

}  // namespace chiso::kiosk
