#pragma once

#include "core/fleet/fleetsubscriber.h"

#include <QAbstractTableModel>

namespace Gatescope {

/// The shards of a fleet as a table, for the window's Shards dock: one row per collector and
/// shard (FleetSubscriber::shards(), ordered by collector, then shard) with its health, the
/// events seen, and the events its sequence lacks. A stale collector's rows say so in the
/// State column; a row with a gap shows how many events are missing. Both ask for attention
/// (AttentionRole), which the window shows in colour.
///
/// GUI-free (QtCore only); lives in the thread that uses it. Rows are replaced by setShards().
class FleetShardsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Collector,
        Shard,
        State,
        Latency,
        LastSeq,
        Events,
        Missing,
        Reconnects,
        LastClose,
        ColumnCount
    };
    Q_ENUM(Column)

    /// How much a cell asks for an operator's eye; the window maps it to a colour (the Shards
    /// dock's ShardStateDelegate: amber for a warning, red for an error).
    enum class Attention { None, Warning, Error };
    Q_ENUM(Attention)

    enum Role {
        /// int shard id: the same role number as ShardStatsModel::ShardRole, so the Shards
        /// dock's "select a row to filter by shard" works for both.
        ShardRole = Qt::UserRole + 1,
        /// GatewayClient::State of the health entry (none before the first, or for a state the
        /// collector named otherwise): the same role number as ShardStatsModel::StateRole, so
        /// the State cell is drawn as the connection's are.
        StateRole = Qt::UserRole + 2,
        CollectorRole = Qt::UserRole + 100, ///< QString
        StaleRole, ///< bool
        MissingRole, ///< qint64, events lacking in the shard's sequence
        /// Attention of the cell: Warning in the State cell of a stale shard (its collector
        /// stopped publishing health; it may come back), Error in the Missing cell of a shard
        /// with a gap (events were lost for good); None elsewhere.
        AttentionRole,
    };

    explicit FleetShardsModel(QObject *parent = nullptr);

    /// Every shard of the fleet, as FleetSubscriber::shards() gives them.
    void setShards(const QList<FleetShard> &shards);
    const QList<FleetShard> &shards() const { return m_shards; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const FleetShard &shard, int column) const;
    QString toolTip(const FleetShard &shard) const;
    static Attention attention(const FleetShard &shard, int column);

    QList<FleetShard> m_shards;
};

} // namespace Gatescope
