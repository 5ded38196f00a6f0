#include "ui/disconnecthistorymodel.h"

#include "ui/format.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
qint64 nowOr(qint64 timeMs)
{
    return timeMs > 0 ? timeMs : QDateTime::currentMSecsSinceEpoch();
}
} // namespace

DisconnectHistoryModel::DisconnectHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int DisconnectHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int DisconnectHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DisconnectHistoryModel::headerData(int section, Qt::Orientation orientation,
                                            int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Code:
        return tr("Code");
    case Meaning:
        return tr("Meaning");
    case Initiator:
        return tr("Closed by");
    case FollowedBy:
        return tr("Followed by");
    case Replayed:
        return tr("Replayed");
    case Downtime:
        return tr("Downtime");
    default:
        return {};
    }
}

QString DisconnectHistoryModel::followedByText(const Entry &e) const
{
    if (e.silence) {
        if (e.silenceOngoing)
            return tr("silent…");
        return e.silenceEndedByDispatch ? tr("events again") : tr("reconnected");
    }
    if (e.fatal)
        return tr("stopped (fatal)");
    if (e.initiator == GatewayClient::Initiator::User)
        return tr("nothing (closed by the user)");
    if (e.failedWithCode != 0) {
        return e.failedReason.isEmpty() ? tr("failed: closed with %1").arg(e.failedWithCode)
                                        : tr("failed: closed with %1 (%2)")
                                                  .arg(e.failedWithCode)
                                                  .arg(e.failedReason);
    }
    if (e.abandoned)
        return e.action == CloseCodes::Action::Resume ? tr("not resumed (connection closed)")
                                                      : tr("not identified (connection closed)");
    if (e.pending) {
        switch (e.action) {
        case CloseCodes::Action::Resume:
            return tr("resuming…");
        case CloseCodes::Action::Identify:
            return tr("identifying…");
        case CloseCodes::Action::Fatal:
            return tr("stopped (fatal)");
        }
    }
    return e.resumed ? tr("resumed") : tr("new session (identify)");
}

QVariant DisconnectHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC).toString(u"HH:mm:ss"_s);
        case Code:
            return e.silence ? QVariant(u"—"_s) : QVariant(e.code);
        case Meaning:
            if (e.silence)
                return (e.shard >= 0 ? tr("shard %1: ").arg(e.shard) : QString())
                       + tr("silent: heartbeats acknowledged, no event since %1")
                                 .arg(Format::clockTime(e.silentSinceMs));
            return e.reason.isEmpty() || e.reason == CloseCodes::meaning(e.code)
                           ? CloseCodes::meaning(e.code)
                           : u"%1 — “%2”"_s.arg(CloseCodes::meaning(e.code), e.reason);
        case Initiator:
            return e.silence ? u"—"_s : Format::initiatorName(e.initiator);
        case FollowedBy:
            return followedByText(e);
        case Replayed:
            return e.replayed < 0 ? u"—"_s : QString::number(e.replayed);
        case Downtime:
            return e.downtimeMs < 0
                           ? ((e.pending && !e.fatal) || e.silenceOngoing ? u"…"_s : u"—"_s)
                           : Format::duration(e.downtimeMs);
        }
        break;
    case Qt::ToolTipRole:
        if (e.fatal)
            return e.explanation;
        return QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC)
                .toString(u"yyyy-MM-dd HH:mm:ss.zzz 'UTC'"_s);
    case Qt::ForegroundRole:
        if (e.fatal)
            return QBrush(QColor(0xcf, 0x22, 0x2e));
        if (e.silence)
            return QBrush(QColor(0x9a, 0x67, 0x00));
        break;
    case Qt::FontRole:
        if (e.fatal) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Code || index.column() == Replayed || index.column() == Downtime)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case FatalRole:
        return e.fatal;
    case CodeRole:
        return e.code;
    case SilenceRole:
        return e.silence;
    default:
        break;
    }
    return {};
}

void DisconnectHistoryModel::addDisconnect(int closeCode, const QString &reason,
                                           GatewayClient::Initiator initiator,
                                           CloseCodes::Action action, qint64 timeMs, int shard)
{
    failPending(shard, closeCode, reason);
    Entry e;
    e.timeMs = nowOr(timeMs);
    e.code = closeCode;
    e.reason = reason;
    e.initiator = initiator;
    e.action = action;
    e.shard = shard;
    e.fatal = action == CloseCodes::Action::Fatal;
    // The user's close is followed by nothing: there is no reconnect to wait for.
    e.pending = !e.fatal && initiator != GatewayClient::Initiator::User;
    if (e.fatal)
        e.explanation = CloseCodes::explanation(closeCode);
    append(e);
}

void DisconnectHistoryModel::append(const Entry &entry)
{
    if (m_entries.size() >= MaxEntries) {
        beginRemoveRows({}, 0, 0);
        m_entries.removeFirst();
        endRemoveRows();
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append(entry);
    endInsertRows();
}

void DisconnectHistoryModel::sessionEstablished(bool resumed, int replayedCount, qint64 timeMs,
                                                int shard)
{
    const qint64 now = nowOr(timeMs);
    for (int row = 0; row < m_entries.size(); ++row) {
        Entry &e = m_entries[row];
        if (!e.pending || e.shard != shard)
            continue;
        e.pending = false;
        e.resumed = resumed;
        e.downtimeMs = std::max<qint64>(0, now - e.timeMs);
        e.replayed = resumed ? replayedCount : -1;
        emitRowChanged(row);
    }
}

void DisconnectHistoryModel::fatal(int closeCode, const QString &explanation, qint64 timeMs)
{
    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        Entry &e = m_entries[row];
        if (e.code == closeCode && (e.pending || e.fatal)) {
            e.pending = false;
            e.fatal = true;
            e.explanation = explanation;
            emitRowChanged(row);
            return;
        }
    }
    addDisconnect(closeCode, QString(), GatewayClient::Initiator::Server, CloseCodes::Action::Fatal,
                  timeMs);
    m_entries.last().explanation = explanation;
    emitRowChanged(int(m_entries.size()) - 1);
}

void DisconnectHistoryModel::failPending(int shard, int closeCode, const QString &reason)
{
    if (closeCode == 0)
        return; // a range-level error, not a close: endPending() settles the rows
    for (int row = 0; row < m_entries.size(); ++row) {
        Entry &e = m_entries[row];
        if (!e.pending || e.shard != shard)
            continue;
        e.pending = false;
        e.failedWithCode = closeCode;
        e.failedReason = reason;
        emitRowChanged(row);
    }
}

void DisconnectHistoryModel::addSilence(int shard, qint64 silentSinceMs, qint64 timeMs)
{
    Entry e;
    e.timeMs = nowOr(timeMs);
    e.shard = shard;
    e.silence = true;
    e.silenceOngoing = true;
    e.silentSinceMs = silentSinceMs;
    e.pending = false; // no reconnect waits on it: closes and sessions leave it alone
    append(e);
}

void DisconnectHistoryModel::endSilence(int shard, qint64 silentForMs, bool byDispatch)
{
    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        Entry &e = m_entries[row];
        if (!e.silence || !e.silenceOngoing || e.shard != shard)
            continue;
        e.silenceOngoing = false;
        e.silenceEndedByDispatch = byDispatch;
        e.downtimeMs = silentForMs;
        emitRowChanged(row);
        return;
    }
}

void DisconnectHistoryModel::endPending()
{
    for (int row = 0; row < m_entries.size(); ++row) {
        Entry &e = m_entries[row];
        if (!e.pending)
            continue;
        e.pending = false;
        e.abandoned = true;
        emitRowChanged(row);
    }
}

void DisconnectHistoryModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

void DisconnectHistoryModel::emitRowChanged(int row)
{
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace Gatescope::Ui
