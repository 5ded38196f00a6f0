#include "core/fleet/fleetshardsmodel.h"

#include "core/gateway/gatewayclient.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

bool sameRows(const QList<FleetShard> &a, const QList<FleetShard> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).collector != b.at(i).collector || a.at(i).shard != b.at(i).shard)
            return false;
    }
    return true;
}

} // namespace

FleetShardsModel::FleetShardsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void FleetShardsModel::setShards(const QList<FleetShard> &shards)
{
    if (!sameRows(m_shards, shards)) {
        // A new collector or shard: rare, and a reset keeps the code simple.
        beginResetModel();
        m_shards = shards;
        endResetModel();
        return;
    }
    m_shards = shards;
    if (!m_shards.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int FleetShardsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shards.size());
}

int FleetShardsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FleetShardsModel::display(const FleetShard &shard, int column) const
{
    switch (column) {
    case Collector:
        return shard.collector;
    case Shard:
        return shard.shard;
    case State:
        if (shard.stale)
            return tr("Stale");
        return shard.state.isEmpty() ? tr("No health yet") : shard.state;
    case Latency:
        return shard.latencyMs >= 0 ? tr("%1 ms").arg(shard.latencyMs) : u"–"_s;
    case LastSeq:
        return shard.lastSeq >= 0 ? QVariant(shard.lastSeq) : QVariant(u"–"_s);
    case Events:
        return shard.events;
    case Missing:
        return shard.missing > 0 ? tr("gap: %n missing", nullptr, int(shard.missing))
                                 : QVariant(u"–"_s);
    case Reconnects:
        return shard.reconnects;
    case LastClose:
        return shard.lastClose > 0 ? QVariant(shard.lastClose) : QVariant(u"–"_s);
    default:
        return {};
    }
}

QString FleetShardsModel::toolTip(const FleetShard &shard) const
{
    QStringList lines{tr("Collector %1, shard %2").arg(shard.collector).arg(shard.shard)};
    if (shard.healthAtMs > 0) {
        const QString at = QDateTime::fromMSecsSinceEpoch(shard.healthAtMs, Qt::UTC)
                                   .toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s);
        lines << (shard.stale ? tr("Stale: no health from its collector since %1").arg(at)
                              : tr("Last health: %1").arg(at));
    }
    if (shard.missing > 0)
        lines << tr("%n event(s) lacking in its sequence (gaps)", nullptr, int(shard.missing));
    if (shard.duplicates > 0)
        lines << tr("%n repeated entry(ies) dropped", nullptr, int(shard.duplicates));
    return lines.join(u'\n');
}

FleetShardsModel::Attention FleetShardsModel::attention(const FleetShard &shard, int column)
{
    if (column == State && shard.stale)
        return Attention::Warning;
    if (column == Missing && shard.missing > 0)
        return Attention::Error;
    return Attention::None;
}

QVariant FleetShardsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_shards.size())
        return {};
    const FleetShard &shard = m_shards.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(shard, index.column());
    case Qt::ToolTipRole:
        return toolTip(shard);
    case Qt::TextAlignmentRole:
        return index.column() == Collector || index.column() == State
                       ? QVariant()
                       : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    case ShardRole:
        return shard.shard;
    case StateRole:
        // The state a collector's health entry names (GatewayClient::stateName()), or nothing.
        if (const auto state = GatewayClient::stateFromName(shard.state))
            return QVariant::fromValue(*state);
        return {};
    case AttentionRole:
        return QVariant::fromValue(attention(shard, index.column()));
    case CollectorRole:
        return shard.collector;
    case StaleRole:
        return shard.stale;
    case MissingRole:
        return shard.missing;
    default:
        return {};
    }
}

QVariant FleetShardsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    static const char *const titles[ColumnCount]
            = {QT_TR_NOOP("Collector"), QT_TR_NOOP("Shard"),      QT_TR_NOOP("State"),
               QT_TR_NOOP("Latency"),   QT_TR_NOOP("Last seq"),   QT_TR_NOOP("Events"),
               QT_TR_NOOP("Missing"),   QT_TR_NOOP("Reconnects"), QT_TR_NOOP("Last close")};
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= ColumnCount)
        return {};
    return tr(titles[section]);
}

} // namespace Gatescope
