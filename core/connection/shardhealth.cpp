#include "core/connection/shardhealth.h"

#include "core/connection/connectioncontroller.h"

#include <QDateTime>

#include <algorithm>
#include <limits>

namespace Gatescope {

ShardHealth::ShardHealth(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(DefaultCheckIntervalMs);
    m_timer.callOnTimeout(this, &ShardHealth::evaluate);
}

void ShardHealth::attach(ConnectionController *controller)
{
    detach();
    m_connections = {
            connect(controller, &ConnectionController::connectionStarted, this,
                    [this, controller] { resetShards(controller->shardIds()); }),
            connect(controller, &ConnectionController::eventsReady, this, &ShardHealth::noteEvents),
            connect(controller, &ConnectionController::latencyChanged, this,
                    [this](int shard) { noteAck(shard); }),
            connect(controller, &ConnectionController::shardStateChanged, this,
                    &ShardHealth::noteState),
            connect(controller, &ConnectionController::stateChanged, this,
                    [this, controller](GatewayClient::State state) {
                        // A range's aggregate is no shard: its shards report their own states.
                        if (!controller->isRange())
                            noteState(-1, state);
                    }),
    };
    if (m_timer.interval() > 0)
        m_timer.start();
}

void ShardHealth::detach()
{
    if (m_connections.isEmpty())
        return;
    evaluate();
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_timer.stop();
}

void ShardHealth::setSilentAfterMs(qint64 ms)
{
    m_silentAfterMs = std::max<qint64>(1, ms);
}

void ShardHealth::setCheckInterval(int ms)
{
    m_timer.stop();
    m_timer.setInterval(std::max(0, ms));
    if (ms > 0 && !m_connections.isEmpty())
        m_timer.start();
}

void ShardHealth::setClock(Clock monotonicMs, Clock wallMs)
{
    m_clock.set(std::move(monotonicMs), std::move(wallMs));
}

qint64 ShardHealth::now() const
{
    return m_clock.now();
}

qint64 ShardHealth::wallNow() const
{
    return m_clock.wallNow();
}

QList<int> ShardHealth::shards() const
{
    QList<int> out = m_tracks.keys();
    std::sort(out.begin(), out.end());
    return out;
}

ShardHealthFacts ShardHealth::facts(int shard) const
{
    ShardHealthFacts facts;
    facts.shard = shard;
    const auto it = m_tracks.constFind(shard);
    if (it == m_tracks.cend())
        return facts;
    const qint64 at = now();
    facts.silent = it->silent;
    if (it->lastDispatchAt >= 0)
        facts.msSinceDispatch = at - it->lastDispatchAt;
    if (it->lastAckAt >= 0)
        facts.msSinceAck = at - it->lastAckAt;
    if (it->silent)
        facts.silentSinceMs = it->lastDispatchWallMs;
    return facts;
}

QList<ShardHealthFacts> ShardHealth::allFacts() const
{
    QList<ShardHealthFacts> out;
    for (int shard : shards())
        out.append(facts(shard));
    return out;
}

bool ShardHealth::isSilent(int shard) const
{
    return m_tracks.value(shard).silent;
}

int ShardHealth::silentCount() const
{
    return int(std::count_if(m_tracks.cbegin(), m_tracks.cend(),
                             [](const Track &track) { return track.silent; }));
}

void ShardHealth::resetShards(const QList<int> &shards)
{
    for (auto it = m_tracks.begin(); it != m_tracks.end(); ++it) {
        if (it->silent)
            endSilence(it.key(), *it, false, now() - it->lastDispatchAt);
    }
    m_tracks.clear();
    for (int shard : shards)
        m_tracks.insert(shard, Track());
}

ShardHealth::Track &ShardHealth::track(int shard)
{
    return m_tracks[shard];
}

void ShardHealth::noteState(int shard, GatewayClient::State state)
{
    Track &t = track(shard);
    const bool wasReady = t.state == GatewayClient::State::Ready;
    t.state = state;
    if (state == GatewayClient::State::Ready && !wasReady) {
        // Silence is counted from the moment the shard can receive: READY or RESUMED.
        t.lastDispatchAt = now();
        t.lastDispatchWallMs = wallNow();
    } else if (state != GatewayClient::State::Ready && t.silent) {
        endSilence(shard, t, false, now() - t.lastDispatchAt);
    }
}

void ShardHealth::noteDispatch(int shard)
{
    Track &t = track(shard);
    const qint64 at = now();
    const qint64 silentFor = t.lastDispatchAt >= 0 ? at - t.lastDispatchAt : 0;
    t.lastDispatchAt = at;
    t.lastDispatchWallMs = wallNow();
    if (t.silent)
        endSilence(shard, t, true, silentFor);
}

void ShardHealth::noteAck(int shard)
{
    track(shard).lastAckAt = now();
}

void ShardHealth::noteEvents(const GatewayEventBatch &events)
{
    // A batch comes from one client, so this is one call per batch (a few for a mixed one).
    int last = std::numeric_limits<int>::min();
    for (const GatewayEvent &event : events) {
        if (event.shard != last) {
            last = event.shard;
            noteDispatch(last);
        }
    }
}

bool ShardHealth::conditionHolds(const Track &t, qint64 at) const
{
    return t.state == GatewayClient::State::Ready && t.lastDispatchAt >= 0
           && t.lastAckAt > t.lastDispatchAt && at - t.lastDispatchAt >= m_silentAfterMs;
}

void ShardHealth::evaluate()
{
    const qint64 at = now();
    for (int shard : shards()) {
        Track &t = m_tracks[shard];
        if (!t.silent && conditionHolds(t, at)) {
            t.silent = true;
            emit silenceStarted(shard, at - t.lastDispatchAt, t.lastDispatchWallMs);
        }
    }
    emit evaluated();
}

void ShardHealth::endSilence(int shard, Track &t, bool byDispatch, qint64 silentForMs)
{
    t.silent = false;
    emit silenceEnded(shard, silentForMs, byDispatch);
}

} // namespace Gatescope
