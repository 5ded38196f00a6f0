#pragma once

#include <QStyledItemDelegate>

namespace Gatescope::Ui {

/// The Shards dock's State cell: the state with a dot in its colour, and for a silent shard
/// (ShardStatsModel::SilentRole) an amber badge around the text, so a shard that is connected
/// but receives nothing stands out among the Ready ones. A fleet's cells that ask for attention
/// (FleetShardsModel::AttentionRole) get a badge too: amber for a warning (a stale shard), red
/// for an error (a gap: "gap: 3 missing"). The badge is a translucent fill under the palette's
/// text colour, readable with light and dark palettes.
class ShardStateDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    /// The badge colour of a silent shard, and of a warning.
    static QColor silentColor();
    /// The badge colour of an error.
    static QColor errorColor();
    /// The badge colour @p index asks for: silentColor() for a silent shard or a warning,
    /// errorColor() for an error; invalid when the cell needs no badge.
    static QColor badgeColor(const QModelIndex &index);

    /// Whether the state's dot is drawn (default); without it, cells that need no badge are
    /// drawn as QStyledItemDelegate draws them (the fleet's Missing column).
    void setShowsState(bool shows) { m_showsState = shows; }
    bool showsState() const { return m_showsState; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    bool m_showsState = true;
};

} // namespace Gatescope::Ui
