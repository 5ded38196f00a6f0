#include "core/connection/shardstatsmodel.h"

#include "core/connection/durationtext.h"
#include "core/gateway/closecodes.h"

#include <QDateTime>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {
QJsonValue orNull(qint64 ms)
{
    return ms < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(ms);
}

ShardStats rowFor(int shard)
{
    ShardStats stats;
    stats.shard = shard;
    return stats;
}
} // namespace

ShardStatsModel::ShardStatsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void ShardStatsModel::attach(ConnectionController *controller)
{
    connect(controller, &ConnectionController::connectionStarted, this,
            [this, controller] { resetShards(controller->shardIds()); });
    connect(controller, &ConnectionController::shardStateChanged, this, &ShardStatsModel::setState);
    connect(controller, &ConnectionController::stateChanged, this,
            [this, controller](GatewayClient::State state) {
                // A range's aggregate is not a row: its shards report their own states.
                if (!controller->isRange() && rowOfShard(-1) >= 0)
                    setState(-1, state);
            });
    connect(controller, &ConnectionController::latencyChanged, this,
            [this](int shard, int last, int) { addLatency(shard, last); });
    connect(controller, &ConnectionController::disconnected, this,
            [this](int shard, int code, const QString &reason) { noteClose(shard, code, reason); });
    connect(controller, &ConnectionController::metricsUpdated, this,
            [this, controller] { applySnapshots(controller->shardSnapshots()); });
}

void ShardStatsModel::attachHealth(ShardHealth *health)
{
    const auto apply = [this, health] {
        applyHealth(health->allFacts());
    };
    connect(health, &ShardHealth::evaluated, this, apply);
    connect(health, &ShardHealth::silenceStarted, this, apply);
    connect(health, &ShardHealth::silenceEnded, this, apply);
}

int ShardStatsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ShardStatsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ShardStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Shard:
        return tr("Shard");
    case State:
        return tr("State");
    case Latency:
        return tr("Latency");
    case LastSeq:
        return tr("Last seq");
    case Guilds:
        return tr("Guilds");
    case EventsPerSecond:
        return tr("Events/s");
    case Reconnects:
        return tr("Reconnects");
    case LastClose:
        return tr("Last close");
    case LastDispatch:
        return tr("Last dispatch");
    default:
        return {};
    }
}

QVariant ShardStatsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ShardStats &s = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Shard:
            return s.shard < 0 ? u"—"_s : QString::number(s.shard);
        case State:
            return s.silent ? tr("%1 · silent").arg(GatewayClient::stateName(s.state))
                            : GatewayClient::stateName(s.state);
        case Latency:
            return s.latencyMs < 0 ? u"—"_s : tr("%1 ms").arg(s.latencyMs);
        case LastSeq:
            return s.lastSeq < 0 ? u"—"_s : QString::number(s.lastSeq);
        case Guilds:
            return s.guilds;
        case EventsPerSecond:
            return QString::number(s.eventsPerSecond, 'f', 1);
        case Reconnects:
            return s.reconnects;
        case LastClose:
            if (s.lastCloseCode == 0)
                return u"—"_s;
            return s.lastCloseReason.isEmpty()
                           ? QString::number(s.lastCloseCode)
                           : u"%1 %2"_s.arg(s.lastCloseCode).arg(s.lastCloseReason);
        case LastDispatch:
            return s.msSinceDispatch < 0 ? u"—"_s
                                         : tr("%1 ago").arg(DurationText::human(s.msSinceDispatch));
        }
        break;
    case Qt::ToolTipRole:
        if (s.silent && (index.column() == State || index.column() == LastDispatch))
            return tr("Silent: heartbeats are acknowledged but no dispatch came since %1 UTC "
                      "(last ACK %2 ago). Reconnecting the shard may bring events back.")
                    .arg(QDateTime::fromMSecsSinceEpoch(s.silentSinceMs, Qt::UTC)
                                 .toString(u"yyyy-MM-dd HH:mm:ss"_s),
                         DurationText::human(s.msSinceAck));
        if (index.column() == LastClose && s.lastCloseCode != 0)
            return u"%1: %2"_s.arg(s.lastCloseCode).arg(CloseCodes::meaning(s.lastCloseCode));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() != State && index.column() != LastClose)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case ShardRole:
        return s.shard;
    case StateRole:
        return QVariant::fromValue(s.state);
    case LatencyHistoryRole:
        return QVariant::fromValue(s.latencyHistory);
    case CloseCodeRole:
        return s.lastCloseCode;
    case SilentRole:
        return s.silent;
    default:
        break;
    }
    return {};
}

int ShardStatsModel::rowOfShard(int shard) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).shard == shard)
            return row;
    }
    return -1;
}

void ShardStatsModel::resetShards(const QList<int> &shards)
{
    beginResetModel();
    m_rows.clear();
    for (int shard : shards)
        m_rows.append(rowFor(shard));
    endResetModel();
}

int ShardStatsModel::ensureRow(int shard)
{
    if (const int row = rowOfShard(shard); row >= 0)
        return row;
    const auto at = std::find_if(m_rows.cbegin(), m_rows.cend(),
                                 [shard](const ShardStats &s) { return s.shard > shard; });
    const int row = int(at - m_rows.cbegin());
    beginInsertRows({}, row, row);
    m_rows.insert(row, rowFor(shard));
    endInsertRows();
    return row;
}

void ShardStatsModel::setState(int shard, GatewayClient::State state)
{
    const int row = ensureRow(shard);
    m_rows[row].state = state;
    emitRowChanged(row);
}

void ShardStatsModel::addLatency(int shard, int lastMs)
{
    const int row = ensureRow(shard);
    ShardStats &s = m_rows[row];
    s.latencyMs = lastMs;
    s.latencyHistory.append(lastMs);
    if (s.latencyHistory.size() > HistoryLength)
        s.latencyHistory.remove(0, s.latencyHistory.size() - HistoryLength);
    emitRowChanged(row);
}

void ShardStatsModel::noteClose(int shard, int closeCode, const QString &reason)
{
    const int row = ensureRow(shard);
    m_rows[row].lastCloseCode = closeCode;
    m_rows[row].lastCloseReason = reason;
    emitRowChanged(row);
}

void ShardStatsModel::applySnapshots(const QList<ConnectionController::ShardSnapshot> &snapshots)
{
    for (const ConnectionController::ShardSnapshot &snapshot : snapshots) {
        const int row = rowOfShard(snapshot.shard);
        if (row < 0)
            continue; // not a shard of the connection shown
        ShardStats &s = m_rows[row];
        s.lastSeq = snapshot.metrics.lastSeq;
        s.eventsPerSecond = snapshot.metrics.eventsPerSecond;
        s.dispatches = snapshot.metrics.dispatches;
        s.reconnects = snapshot.metrics.reconnects;
        // A closed session forgets its guilds; the shard's last READY still tells how many.
        if (snapshot.guildCount > 0)
            s.guilds = snapshot.guildCount;
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void ShardStatsModel::applyHealth(const QList<ShardHealthFacts> &facts)
{
    for (const ShardHealthFacts &f : facts) {
        const int row = rowOfShard(f.shard);
        if (row < 0)
            continue;
        ShardStats &s = m_rows[row];
        s.silent = f.silent;
        s.silentSinceMs = f.silentSinceMs;
        s.msSinceDispatch = f.msSinceDispatch;
        s.msSinceAck = f.msSinceAck;
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

QJsonArray ShardStatsModel::toJson() const
{
    QJsonArray out;
    for (const ShardStats &s : m_rows) {
        QJsonArray history;
        for (int ms : s.latencyHistory)
            history.append(ms);
        out.append(QJsonObject{
                {u"shard"_s, s.shard},
                {u"state"_s, GatewayClient::stateName(s.state)},
                {u"latency_ms"_s, s.latencyMs},
                {u"latency_history_ms"_s, history},
                {u"last_seq"_s, s.lastSeq},
                {u"guilds"_s, s.guilds},
                {u"events_per_s"_s, s.eventsPerSecond},
                {u"dispatches"_s, qint64(s.dispatches)},
                {u"reconnects"_s, s.reconnects},
                {u"last_close_code"_s, s.lastCloseCode},
                {u"last_close_reason"_s, s.lastCloseReason},
                {u"silent"_s, s.silent},
                {u"silent_since"_s,
                 s.silent ? QJsonValue(QDateTime::fromMSecsSinceEpoch(s.silentSinceMs, Qt::UTC)
                                               .toString(Qt::ISODateWithMs))
                          : QJsonValue(QJsonValue::Null)},
                {u"ms_since_dispatch"_s, orNull(s.msSinceDispatch)},
                {u"ms_since_ack"_s, orNull(s.msSinceAck)},
        });
    }
    return out;
}

void ShardStatsModel::emitRowChanged(int row)
{
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace Gatescope
