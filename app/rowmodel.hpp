// The base of the kiosk's list models: a `count` for QML, and the one way rows change — row by row, so a new
// dashboard announces only the rows whose content differs and a chart that did not change is not redrawn.
#pragma once

#include <QtQml/qqmlregistration.h>
#include <QAbstractListModel>

#include <algorithm>
#include <utility>
#include <vector>

namespace chiso::kiosk {

class RowModel : public QAbstractListModel {
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    using QAbstractListModel::QAbstractListModel;
    int count() const { return rowCount(); }

signals:
    void countChanged();

protected:
    // Brings `rows` to `next`: each row that differs (by `same`) is assigned and announced with dataChanged,
    // rows beyond the new end are removed, new rows appended. Rows that are the same send nothing.
    // `assign(row, next_row)` lets a model keep per-row state (child models) while taking the new content.
    template <typename T, typename Same, typename Assign>
    void updateRows(std::vector<T>& rows, std::vector<T>&& next, Same same, Assign assign) {
        const std::size_t common = std::min(rows.size(), next.size());
        for (std::size_t i = 0; i < common; ++i) {
            if (same(rows[i], next[i])) continue;
            assign(rows[i], std::move(next[i]));
            const QModelIndex changed = index(static_cast<int>(i));
            emit dataChanged(changed, changed);
        }
        if (next.size() < rows.size()) {
            beginRemoveRows({}, static_cast<int>(next.size()), static_cast<int>(rows.size()) - 1);
            rows.erase(rows.begin() + static_cast<long>(next.size()), rows.end());
            endRemoveRows();
            emit countChanged();
        } else if (next.size() > rows.size()) {
            beginInsertRows({}, static_cast<int>(rows.size()), static_cast<int>(next.size()) - 1);
            for (std::size_t i = common; i < next.size(); ++i) rows.push_back(std::move(next[i]));
            endInsertRows();
            emit countChanged();
        }
    }
    template <typename T, typename Same>
    void updateRows(std::vector<T>& rows, std::vector<T>&& next, Same same) {
        updateRows(rows, std::move(next), same, [](T& row, T&& value) { row = std::move(value); });
    }
};

}  // namespace chiso::kiosk
