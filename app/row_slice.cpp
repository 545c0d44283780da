#include "row_slice.hpp"

namespace chiso::kiosk {

void RowSlice::setRowOf(const QVariantList& rowOf) {
    if (rowOf == rowOf_) return;
    rowOf_ = rowOf;
    invalidateRowsFilter();
    emit sliceChanged();
}

void RowSlice::setRow(int row) {
    if (row == row_) return;
    row_ = row;
    invalidateRowsFilter();
    emit sliceChanged();
}

bool RowSlice::filterAcceptsRow(int sourceRow, const QModelIndex& /*sourceParent*/) const {
    return sourceRow < rowOf_.size() && rowOf_.at(sourceRow).toInt() == row_;
}

}  // namespace chiso::kiosk
