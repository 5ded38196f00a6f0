#include "core/connection/identifybudget.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gatescope {

IdentifyBudget::IdentifyBudget(QObject *parent)
    : QObject(parent)
{ }

void IdentifyBudget::attach(ConnectionController *controller)
{
    connect(controller, &ConnectionController::connectionStarted, this,
            &IdentifyBudget::resetShards);
    connect(controller, &ConnectionController::discoveryFinished, this, &IdentifyBudget::setLimit);
    connect(controller, &ConnectionController::metricsUpdated, this,
            [this, controller] { applySnapshots(controller->shardSnapshots()); });
}

void IdentifyBudget::setClock(Clock monotonicMs, Clock wallMs)
{
    m_clock.set(std::move(monotonicMs), std::move(wallMs));
}

qint64 IdentifyBudget::now() const
{
    return m_clock.now();
}

qint64 IdentifyBudget::wallNow() const
{
    return m_clock.wallNow();
}

int IdentifyBudget::remaining() const
{
    if (!m_known)
        return -1;
    return std::max(0, m_discoveredRemaining - m_identifiesSinceDiscovery);
}

qint64 IdentifyBudget::resetAfterMs() const
{
    if (!m_known || m_resetAt < 0)
        return -1;
    return std::max<qint64>(0, m_resetAt - now());
}

qint64 IdentifyBudget::resetAtMs() const
{
    return m_known && m_resetAt >= 0 ? m_resetAtWallMs : 0;
}

int IdentifyBudget::identifiesLastHour() const
{
    const qint64 from = now() - HourMs;
    return int(std::count_if(m_recent.cbegin(), m_recent.cend(),
                             [from](qint64 at) { return at > from; }));
}

bool IdentifyBudget::lowRemaining() const
{
    return m_known && m_total > 0 && remaining() * 100 < m_total * LowRemainingPercent;
}

bool IdentifyBudget::manyIdentifies() const
{
    return identifiesLastHour() > HourlyIdentifyLimit;
}

QString IdentifyBudget::warningText() const
{
    QStringList reasons;
    if (lowRemaining())
        reasons.append(u"%1 of %2 session starts left (under %3 %)"_s.arg(remaining())
                               .arg(m_total)
                               .arg(LowRemainingPercent));
    if (manyIdentifies())
        reasons.append(u"%1 identifies in the last hour (more than %2)"_s.arg(identifiesLastHour())
                               .arg(HourlyIdentifyLimit));
    return reasons.join(u"; "_s);
}

QJsonObject IdentifyBudget::toJson() const
{
    const auto orNull = [](bool known, const QJsonValue &value) {
        return known ? value : QJsonValue(QJsonValue::Null);
    };
    const qint64 resetAt = resetAtMs();
    return {
            {u"total"_s, orNull(m_known, m_total)},
            {u"remaining"_s, orNull(m_known, remaining())},
            {u"reset_after_ms"_s, orNull(resetAfterMs() >= 0, resetAfterMs())},
            {u"reset_at"_s,
             orNull(resetAt > 0,
                    QDateTime::fromMSecsSinceEpoch(resetAt, Qt::UTC).toString(Qt::ISODateWithMs))},
            {u"max_concurrency"_s, orNull(m_known, m_maxConcurrency)},
            {u"identifies"_s, m_identifiesThisRun},
            {u"identifies_last_hour"_s, identifiesLastHour()},
            {u"warning"_s, warning()},
            {u"warning_text"_s, warningText()},
    };
}

void IdentifyBudget::setLimit(const GatewayBotInfo &info)
{
    if (info.sessionStartTotal <= 0)
        return; // a discovery without session_start_limit says nothing about the budget
    m_known = true;
    m_total = info.sessionStartTotal;
    m_discoveredRemaining = info.sessionStartRemaining;
    m_identifiesSinceDiscovery = 0;
    m_maxConcurrency = info.maxConcurrency;
    // No reset time (0) is an unknown one, not one that has just passed.
    const bool resets = info.sessionStartResetAfterMs > 0;
    m_resetAt = resets ? now() + info.sessionStartResetAfterMs : -1;
    m_resetAtWallMs = resets ? wallNow() + info.sessionStartResetAfterMs : 0;
    refresh();
}

void IdentifyBudget::noteIdentifies(int count)
{
    if (count <= 0)
        return;
    const qint64 at = now();
    m_identifiesThisRun += count;
    m_identifiesSinceDiscovery += count;
    for (int i = 0; i < count; ++i)
        m_recent.push_back(at);
    refresh();
}

void IdentifyBudget::applySnapshots(const QList<ConnectionController::ShardSnapshot> &snapshots)
{
    int added = 0;
    for (const ConnectionController::ShardSnapshot &snapshot : snapshots) {
        int &seen = m_seenPerShard[snapshot.shard];
        // A counter that went down belongs to a new client of that shard: all of it is new.
        added += snapshot.metrics.identifies >= seen ? snapshot.metrics.identifies - seen
                                                     : snapshot.metrics.identifies;
        seen = snapshot.metrics.identifies;
    }
    if (added > 0)
        noteIdentifies(added);
    else
        refresh();
}

void IdentifyBudget::resetShards()
{
    m_seenPerShard.clear();
}

void IdentifyBudget::dropOldIdentifies()
{
    const qint64 from = now() - HourMs;
    while (!m_recent.empty() && m_recent.front() <= from)
        m_recent.pop_front();
}

void IdentifyBudget::refresh()
{
    dropOldIdentifies();
    if (m_known && m_resetAt >= 0 && now() >= m_resetAt) {
        // The day's budget is back; the next reset is unknown until a discovery tells it.
        m_discoveredRemaining = m_total;
        m_identifiesSinceDiscovery = 0;
        m_resetAt = -1;
    }
    emit changed();
    const bool warningNow = warning();
    if (warningNow != m_warning) {
        m_warning = warningNow;
        emit warningChanged(warningNow, warningText());
    }
}

} // namespace Gatescope
