#pragma once

#include <QStyledItemDelegate>

namespace Gatescope::Ui {

/// The Shards dock's State cell: the state with a dot in its colour, and for a silent shard
/// (ShardStatsModel::SilentRole) an amber badge around the text, so a shard that is connected
/// but receives nothing stands out among the Ready ones.
class ShardStateDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    /// The badge colour of a silent shard.
    static QColor silentColor();

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace Gatescope::Ui
