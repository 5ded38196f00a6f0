#pragma once

#include "core/connection/connectioncontroller.h"
#include "core/connection/shardhealth.h"
#include "core/gateway/gatewayclient.h"

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QList>

namespace Gatescope {

/// What one shard's row of ShardStatsModel holds.
struct ShardStats
{
    int shard = -1; ///< -1 for a single connection (live or replay)
    GatewayClient::State state = GatewayClient::State::Disconnected;
    int latencyMs = -1; ///< last heartbeat round trip, -1 before the first ACK
    QList<int> latencyHistory; ///< the last HistoryLength round trips, oldest first
    qint64 lastSeq = -1;
    int guilds = 0; ///< guilds READY listed for this shard
    double eventsPerSecond = 0;
    quint64 dispatches = 0;
    int reconnects = 0;
    int lastCloseCode = 0; ///< 0 before the first close
    QString lastCloseReason;
    // From ShardHealth (attachHealth()), as of its last evaluation (once a second):
    bool silent = false; ///< Ready, ACKs arriving, no dispatch for the silent-after threshold
    qint64 silentSinceMs = 0; ///< Unix ms the silence began (the last dispatch); 0 when not silent
    qint64 msSinceDispatch = -1; ///< -1 before the shard was first Ready
    qint64 msSinceAck = -1; ///< -1 before the first ACK
};

/// One row per shard of the ConnectionController's connection: state, heartbeat latency with a
/// short history (for a sparkline), last sequence, guild count, events per second, reconnects and
/// the last close code and reason. GUI-free, so headless mode (`--stats-json`) and the window's
/// Shards dock read the same numbers.
///
/// Thread affinity: the controller's (consumer) thread. Fed only by the controller's signals:
/// states, latencies and closes as they come, counters from the controller's copies once a second
/// (ConnectionController::shardSnapshots()). Nothing is done per event.
///
/// Rows are replaced when the controller starts a connection (one row per shard of a range, or
/// one row with shard -1 for a single connection or a replay), and kept after it stops, so the
/// last run's numbers stay readable.
class ShardStatsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Shard,
        State,
        Latency,
        LastSeq,
        Guilds,
        EventsPerSecond,
        Reconnects,
        LastClose,
        LastDispatch, ///< time since the last dispatch, "silent" when the alarm is raised
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        ShardRole = Qt::UserRole + 1, ///< int shard id (-1 for a single connection)
        StateRole, ///< GatewayClient::State
        LatencyHistoryRole, ///< QList<int>, oldest first
        CloseCodeRole, ///< int, 0 before the first close
        SilentRole, ///< bool, ShardStats::silent
    };

    /// Round trips kept per shard for the sparkline.
    static constexpr int HistoryLength = 40;

    explicit ShardStatsModel(QObject *parent = nullptr);

    /// Follows @p controller from now on (connections it starts later replace the rows).
    void attach(ConnectionController *controller);
    /// Takes the silent flag and the times since the last dispatch and ACK from @p health at
    /// each of its evaluations.
    void attachHealth(ShardHealth *health);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const ShardStats &stats(int row) const { return m_rows.at(row); }
    /// The row of @p shard, -1 when there is none.
    int rowOfShard(int shard) const;
    /// Every row as a JSON object (`shard`, `state`, `latency_ms`, `latency_history_ms`,
    /// `last_seq`, `guilds`, `events_per_s`, `dispatches`, `reconnects`, `last_close_code`,
    /// `last_close_reason`, and from ShardHealth `silent`, `silent_since` (ISO UTC, null when
    /// not silent), `ms_since_dispatch`, `ms_since_ack` (null when unknown)), for `--stats-json`.
    QJsonArray toJson() const;

public slots:
    /// Replaces the rows with one per id in @p shards, all Disconnected.
    void resetShards(const QList<int> &shards);
    void setState(int shard, Gatescope::GatewayClient::State state);
    void addLatency(int shard, int lastMs);
    void noteClose(int shard, int closeCode, const QString &reason);
    /// Takes the counters of the controller's last copy.
    void applySnapshots(const QList<Gatescope::ConnectionController::ShardSnapshot> &snapshots);
    /// Takes ShardHealth's facts (rows of shards not shown are ignored).
    void applyHealth(const QList<Gatescope::ShardHealthFacts> &facts);

private:
    /// The row of @p shard, appended (in shard order) when it is not there yet.
    int ensureRow(int shard);
    void emitRowChanged(int row);

    QList<ShardStats> m_rows;
};

} // namespace Gatescope
