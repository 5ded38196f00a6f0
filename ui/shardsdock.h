#pragma once

#include <QWidget>

class QAbstractItemModel;
class QMenu;
class QTableView;

namespace Gatescope {
class ShardStatsModel;
}

namespace Gatescope::Ui {

/// The Shards dock's content: one row per shard of the connection (ShardStatsModel) with state,
/// latency and its sparkline, last sequence, guilds, events/s, reconnects and the last close.
/// Selecting a shard's row emits shardSelected(), which the window turns into a `shard:N` term
/// of the feed's filter. A silent shard's state shows as an amber badge (ShardStateDelegate);
/// the context menu's "Reconnect this shard" emits reconnectRequested().
class ShardsDock : public QWidget
{
    Q_OBJECT

public:
    explicit ShardsDock(ShardStatsModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    /// The height that shows the header and @p rows rows without scrolling.
    int heightForRows(int rows) const;

    /// @p query with its `shard:N` term replaced by `shard:` @p shard, or the term added when
    /// there is none.
    static QString withShardTerm(const QString &query, int shard);
    /// The context menu of the row at @p index (null for no row): "Reconnect this shard
    /// (resume)". The caller owns it.
    QMenu *contextMenuFor(const QModelIndex &index);
    /// Shows a fleet's shards (FleetShardsModel: collector, shard, health, gaps) instead of
    /// the connection's, a stale shard's state in an amber badge and a gap in a red one.
    /// Selecting a row still filters the feed by its shard.
    void showFleet(QAbstractItemModel *model);
    /// Shows the connection's shards again (after a fleet).
    void showConnection();

signals:
    /// A shard's row was selected (single connections have no shard and emit nothing).
    void shardSelected(int shard);
    /// "Reconnect this shard" was chosen for @p shard (-1: the single connection).
    void reconnectRequested(int shard);

private:
    void onCurrentChanged();
    void setModel(QAbstractItemModel *model);

    ShardStatsModel *m_model;
    QTableView *m_view;
};

} // namespace Gatescope::Ui
