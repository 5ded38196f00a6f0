#include "core/gateway/shardmanager.h"

#include "core/gateway/gatewaydiscovery.h"
#include "core/logging.h"

#include <QPointer>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

constexpr int MaxShardCount = 65535;

/// How far a state is on the way to Ready; the aggregate is the least advanced shard.
int progressRank(GatewayClient::State state)
{
    switch (state) {
    case GatewayClient::State::Disconnected:
        return 0;
    case GatewayClient::State::Reconnecting:
        return 1;
    case GatewayClient::State::Connecting:
        return 2;
    case GatewayClient::State::Identifying:
        return 3;
    case GatewayClient::State::Resuming:
        return 4;
    case GatewayClient::State::Ready:
        return 5;
    case GatewayClient::State::Failed:
        return -1;
    }
    return 0;
}

QString durationText(qint64 ms)
{
    if (ms >= 3600000)
        return u"%1 h"_s.arg(double(ms) / 3600000.0, 0, 'f', 1);
    if (ms >= 60000)
        return u"%1 min"_s.arg(double(ms) / 60000.0, 0, 'f', 1);
    return u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
}

} // namespace

ShardManager::ShardManager(QObject *parent)
    : QObject(parent)
    , m_discoveryBackoff(m_base.backoffBaseMs, m_base.backoffCapMs)
    // Parented, so that moveToThread() takes the timers along with the manager.
    , m_discoveryRetryTimer(this)
    , m_startTimer(this)
{
    qRegisterMetaType<GatewayBotInfo>();
    m_monotonic.start();
    m_discoveryRetryTimer.setSingleShot(true);
    m_startTimer.setSingleShot(true);
    connect(&m_discoveryRetryTimer, &QTimer::timeout, this, &ShardManager::startDiscovery);
    connect(&m_startTimer, &QTimer::timeout, this, &ShardManager::startDueShards);
}

ShardManager::~ShardManager()
{
    if (m_discovery)
        m_discovery->abort();
    // The clients are children; stop their signals reaching a half-destroyed manager.
    for (const Shard &shard : std::as_const(m_shards))
        shard.client->disconnect(this);
}

bool ShardManager::setConfig(const GatewayConfig &base, int firstShard, int lastShard,
                             int shardCount)
{
    QString error;
    if (m_state != State::Disconnected && m_state != State::Failed)
        error = u"shards are running: close() them before changing the configuration"_s;
    else if (base.token.isEmpty())
        error = u"no bot token"_s;
    else if (shardCount < 0 || shardCount > MaxShardCount)
        error = u"shard count %1 is not between 1 and %2 (or 0 for auto)"_s.arg(shardCount)
                        .arg(MaxShardCount);
    else if (firstShard < 0 || lastShard < 0)
        error = u"shard ids start at 0 (got first %1, last %2)"_s.arg(firstShard).arg(lastShard);
    else if (firstShard > lastShard)
        error = u"first shard %1 is after last shard %2"_s.arg(firstShard).arg(lastShard);
    else if (shardCount > 0 && lastShard >= shardCount)
        error = u"shard %1 is not below the shard count %2 (ids run from 0 to %3)"_s.arg(lastShard)
                        .arg(shardCount)
                        .arg(shardCount - 1);
    else if (shardCount == 0 && !base.gatewayUrl.isEmpty())
        error = u"an automatic shard count comes from /gateway/bot, which a fixed gateway URL "
                u"skips: give the shard count explicitly"_s;
    if (!error.isEmpty()) {
        m_errorString = u"invalid shard configuration: %1"_s.arg(error);
        qCWarning(lcShard).noquote() << m_errorString;
        return false;
    }
    m_base = base;
    m_firstShard = firstShard;
    m_lastShard = lastShard;
    m_configuredCount = shardCount;
    m_shardCount = shardCount;
    m_errorString.clear();
    qCInfo(lcShard).noquote() << "configured shards" << firstShard << "-" << lastShard << "of"
                              << (shardCount == 0 ? u"auto"_s : QString::number(shardCount));
    return true;
}

const GatewayConfig &ShardManager::baseConfig() const
{
    return m_base;
}

int ShardManager::firstShard() const
{
    return m_firstShard;
}

int ShardManager::lastShard() const
{
    return m_lastShard;
}

int ShardManager::shardCount() const
{
    return m_shardCount;
}

int ShardManager::maxConcurrency() const
{
    return m_maxConcurrency;
}

std::optional<GatewayBotInfo> ShardManager::botInfo() const
{
    return m_botInfo;
}

QString ShardManager::errorString() const
{
    return m_errorString;
}

ShardManager::State ShardManager::state() const
{
    return m_state;
}

QList<GatewayClient *> ShardManager::clients() const
{
    QList<GatewayClient *> result;
    result.reserve(m_shards.size());
    for (const Shard &shard : m_shards)
        result.append(shard.client);
    return result;
}

GatewayClient *ShardManager::client(int shardId) const
{
    const Shard *shard = shardById(shardId);
    return shard ? shard->client : nullptr;
}

int ShardManager::readyCount() const
{
    return int(std::count_if(m_shards.cbegin(), m_shards.cend(), [](const Shard &shard) {
        return shard.client->state() == State::Ready;
    }));
}

int ShardManager::pendingCount() const
{
    if (m_phase != Phase::Running)
        return 0;
    return int(std::count_if(m_shards.cbegin(), m_shards.cend(),
                             [](const Shard &shard) { return !shard.started; }));
}

GatewayMetrics ShardManager::aggregatedMetrics() const
{
    GatewayMetrics sum;
    bool allConnected = !m_shards.isEmpty();
    for (const Shard &shard : m_shards) {
        const GatewayMetrics &m = shard.client->metrics();
        sum.wireBytesIn += m.wireBytesIn;
        sum.inflatedBytesIn += m.inflatedBytesIn;
        sum.bytesOut += m.bytesOut;
        sum.framesIn += m.framesIn;
        sum.framesOut += m.framesOut;
        sum.dispatches += m.dispatches;
        for (auto it = m.dispatchesByType.cbegin(); it != m.dispatchesByType.cend(); ++it)
            sum.dispatchesByType[it.key()] += it.value();
        sum.eventsPerSecond += m.eventsPerSecond;
        sum.identifies += m.identifies;
        sum.resumes += m.resumes;
        sum.reconnects += m.reconnects;
        for (auto it = m.reconnectsByCloseCode.cbegin(); it != m.reconnectsByCloseCode.cend(); ++it)
            sum.reconnectsByCloseCode[it.key()] += it.value();
        sum.heartbeatLatency.add(m.heartbeatLatency);
        sum.ackMisses += m.ackMisses;
        sum.busyBeats += m.busyBeats;
        sum.lastSeq = std::max(sum.lastSeq, m.lastSeq);
        if (m.lastCloseTimeMs > sum.lastCloseTimeMs) {
            sum.lastCloseTimeMs = m.lastCloseTimeMs;
            sum.lastCloseCode = m.lastCloseCode;
        }
        // By state: GatewayClient::close() leaves its connectedSinceMs set.
        if (shard.client->state() != State::Ready || m.connectedSinceMs == 0)
            allConnected = false;
        sum.connectedSinceMs = std::max(sum.connectedSinceMs, m.connectedSinceMs);
    }
    if (!allConnected)
        sum.connectedSinceMs = 0;
    return sum;
}

void ShardManager::open()
{
    if (m_state != State::Disconnected && m_state != State::Failed)
        return;
    m_startTimer.stop();
    m_discoveryRetryTimer.stop();
    m_errorString.clear();
    m_botInfo.reset();
    destroyClients();
    if (m_base.token.isEmpty()) {
        fail(u"no configuration: setConfig() was not called or was refused"_s);
        return;
    }
    if (!m_base.gatewayUrl.isEmpty()) {
        // Without /gateway/bot there is no max_concurrency to trust: 1 is always allowed.
        m_shardCount = m_configuredCount;
        m_maxConcurrency = 1;
        qCInfo(lcShard) << "gateway URL given, discovery skipped; max_concurrency 1";
        createClients(m_base.gatewayUrl);
        return;
    }
    m_shardCount = m_configuredCount;
    m_discoveryBackoff = ExponentialBackoff(m_base.backoffBaseMs, m_base.backoffCapMs);
    startDiscovery();
}

void ShardManager::close()
{
    m_startTimer.stop();
    m_discoveryRetryTimer.stop();
    if (m_discovery)
        m_discovery->abort();
    m_phase = Phase::Idle;
    qCInfo(lcShard) << "closing" << m_shards.size() << "shards";
    // A copy: a slot connected to the clients' signals may reopen the manager meanwhile.
    const QList<GatewayClient *> running = clients();
    for (GatewayClient *client : running)
        client->close();
    updateState();
}

void ShardManager::startDiscovery()
{
    if (!m_discovery) {
        m_discovery = new GatewayDiscovery(this);
        connect(m_discovery, &GatewayDiscovery::finished, this, &ShardManager::onDiscoveryFinished);
        connect(m_discovery, &GatewayDiscovery::failed, this, &ShardManager::onDiscoveryFailed);
    }
    m_phase = Phase::Discovering;
    updateState();
    m_discovery->setProxy(m_base.proxy);
    m_discovery->start(m_base.apiUrl, m_base.token);
}

void ShardManager::onDiscoveryFinished(const GatewayBotInfo &info)
{
    m_botInfo = info;
    emit discoveryFinished(info);
    m_shardCount = m_configuredCount > 0 ? m_configuredCount : info.shards;
    m_maxConcurrency = std::max(1, info.maxConcurrency);
    if (m_lastShard >= m_shardCount) {
        fail(u"shards %1-%2 do not fit the %3 shards that /gateway/bot recommends; run a "
             u"smaller range or give the shard count explicitly"_s.arg(m_firstShard)
                     .arg(m_lastShard)
                     .arg(m_shardCount));
        return;
    }
    const int needed = m_lastShard - m_firstShard + 1;
    if (info.sessionStartRemaining < needed) {
        fail(u"only %1 of %2 session starts remain (the budget resets in %3), and starting "
             u"%4 shards needs %4; nothing was started"_s.arg(info.sessionStartRemaining)
                     .arg(info.sessionStartTotal)
                     .arg(durationText(info.sessionStartResetAfterMs))
                     .arg(needed));
        return;
    }
    qCInfo(lcShard) << "running shards" << m_firstShard << "-" << m_lastShard << "of"
                    << m_shardCount << "max_concurrency" << m_maxConcurrency << "session starts"
                    << info.sessionStartRemaining << "/" << info.sessionStartTotal;
    createClients(info.url);
}

void ShardManager::onDiscoveryFailed(const QString &message, int httpStatus)
{
    if (httpStatus == 401) {
        fail(message);
        emit fatalError(-1, CloseCodes::AuthenticationFailed,
                        CloseCodes::explanation(CloseCodes::AuthenticationFailed));
        return;
    }
    const int delay = m_discoveryBackoff.next();
    qCWarning(lcShard).noquote() << message << "- retrying discovery in" << delay << "ms";
    m_phase = Phase::DiscoveryRetry;
    updateState();
    emit connectionError(-1, message);
    m_discoveryRetryTimer.start(delay);
}

void ShardManager::fail(const QString &message)
{
    m_startTimer.stop();
    m_discoveryRetryTimer.stop();
    m_errorString = message;
    m_phase = Phase::Failed;
    qCWarning(lcShard).noquote() << message;
    updateState();
    emit errorOccurred(message);
}

void ShardManager::createClients(const QUrl &gatewayUrl)
{
    destroyClients();
    for (int id = m_firstShard; id <= m_lastShard; ++id) {
        GatewayConfig config = m_base;
        config.gatewayUrl = gatewayUrl;
        config.shardId = id;
        config.shardCount = m_shardCount;
        auto *client = new GatewayClient(this);
        client->setConfig(config);
        connectClient(client, id);
        Shard shard;
        shard.id = id;
        shard.client = client;
        shard.retryBackoff = ExponentialBackoff(m_base.backoffBaseMs, m_base.backoffCapMs);
        m_shards.append(shard);
    }
    m_phase = Phase::Running;
    emit clientsChanged();
    updateState();
    resumeSavedShards();
    startDueShards();
}

void ShardManager::setSavedSessions(const QHash<int, GatewayClient::ResumableSession> &sessions,
                                    int shardCount)
{
    m_savedSessions = sessions;
    m_savedShardCount = shardCount;
}

void ShardManager::resumeSavedShards()
{
    const QHash<int, GatewayClient::ResumableSession> saved = std::exchange(m_savedSessions, {});
    if (saved.isEmpty())
        return;
    if (m_savedShardCount != m_shardCount) {
        emit savedSessionsIgnored(u"the saved sessions were made with %1 shards, this range "
                                  u"runs %2; identifying"_s.arg(m_savedShardCount)
                                          .arg(m_shardCount));
        return;
    }
    for (auto it = saved.cbegin(); it != saved.cend(); ++it) {
        Shard *shard = shardById(it.key());
        if (m_phase != Phase::Running || !shard || shard->started)
            continue;
        shard->started = true;
        shard->settled = true; // a Resume holds no Identify slot of its bucket
        qCInfo(lcShard) << "shard" << shard->id << "resumes its saved session";
        // openResuming() emits stateChanged synchronously; `shard` may not be touched after.
        shard->client->openResuming(it.value());
    }
}

void ShardManager::connectClient(GatewayClient *client, int shardId)
{
    connect(client, &GatewayClient::stateChanged, this,
            [this, shardId](State state) { onShardStateChanged(shardId, state); });
    // Events carry their shard (GatewayEvent::shard), so batches pass through as they are.
    connect(client, &GatewayClient::eventsReady, this, &ShardManager::eventsReady);
    connect(client, &GatewayClient::sessionEstablished, this,
            [this, shardId](const QString &sessionId, bool resumed, int replayed) {
                emit sessionEstablished(shardId, sessionId, resumed, replayed);
            });
    connect(client, &GatewayClient::disconnected, this,
            [this, client, shardId](int code, const QString &reason,
                                    GatewayClient::Initiator initiator, CloseCodes::Action action) {
                emit shardDisconnected(shardId, code, reason, initiator, action);
                // Queued: the client arms its own reconnect timer after this signal returns.
                if (action == CloseCodes::Action::Identify
                    && initiator != GatewayClient::Initiator::User) {
                    QMetaObject::invokeMethod(
                            this,
                            [this, guarded = QPointer<GatewayClient>(client), shardId] {
                                if (guarded)
                                    requeueShard(guarded, shardId);
                            },
                            Qt::QueuedConnection);
                }
            });
    connect(client, &GatewayClient::connectionError, this,
            [this, shardId](const QString &message) { emit connectionError(shardId, message); });
    connect(client, &GatewayClient::fatalError, this,
            [this, shardId](int code, const QString &explanation) {
                emit fatalError(shardId, code, explanation);
            });
}

void ShardManager::destroyClients()
{
    if (m_shards.isEmpty())
        return;
    for (const Shard &shard : std::as_const(m_shards)) {
        shard.client->disconnect(this);
        shard.client->close();
        shard.client->deleteLater();
    }
    m_shards.clear();
}

int ShardManager::bucketOf(int shardId) const
{
    return shardId % m_maxConcurrency;
}

ShardManager::Shard *ShardManager::shardById(int shardId)
{
    return const_cast<Shard *>(std::as_const(*this).shardById(shardId));
}

const ShardManager::Shard *ShardManager::shardById(int shardId) const
{
    if (m_shards.isEmpty())
        return nullptr;
    // By the running range, which a later setConfig() does not change.
    const qsizetype index = qsizetype(shardId) - m_shards.constFirst().id;
    if (index < 0 || index >= m_shards.size())
        return nullptr;
    return &m_shards.at(index);
}

void ShardManager::startDueShards()
{
    if (m_phase != Phase::Running)
        return;
    const bool anyFailed = std::any_of(m_shards.cbegin(), m_shards.cend(), [](const Shard &shard) {
        return shard.client->state() == State::Failed;
    });
    if (anyFailed)
        return;

    // A bucket is busy while its started shard has not reached Ready yet: its next shard
    // waits, so that shard's Identify cannot land inside the same 5 s window.
    QHash<int, bool> bucketDecided;
    for (const Shard &shard : std::as_const(m_shards)) {
        if (shard.started && !shard.settled)
            bucketDecided.insert(bucketOf(shard.id), true);
    }
    const qint64 now = m_monotonic.elapsed();
    qint64 nextDue = std::numeric_limits<qint64>::max();
    QList<int> due;
    for (const Shard &shard : std::as_const(m_shards)) {
        if (shard.started)
            continue;
        const int bucket = bucketOf(shard.id);
        if (bucketDecided.contains(bucket))
            continue;
        bucketDecided.insert(bucket, true);
        const auto last = m_lastIdentifyAt.constFind(bucket);
        const qint64 dueAt = std::max(
                shard.notBefore,
                last == m_lastIdentifyAt.cend() ? now : *last + m_base.minIdentifyIntervalMs);
        if (dueAt <= now)
            due.append(shard.id);
        else
            nextDue = std::min(nextDue, dueAt);
    }
    // Started by id: a slot connected to one shard's signals may close or rebuild the manager.
    for (const int id : std::as_const(due)) {
        Shard *shard = shardById(id);
        if (m_phase != Phase::Running || !shard || shard->started)
            break;
        startShard(*shard);
    }
    if (m_phase == Phase::Running && nextDue != std::numeric_limits<qint64>::max()) {
        const int delay = int(nextDue - now);
        qCDebug(lcShard) << "next identify slot in" << delay << "ms";
        m_startTimer.start(delay);
    }
}

void ShardManager::startShard(Shard &shard)
{
    shard.started = true;
    shard.settled = false;
    qCInfo(lcShard) << "starting shard" << shard.id << "/" << m_shardCount << "bucket"
                    << bucketOf(shard.id);
    emit shardStarting(shard.id);
    // open() emits stateChanged synchronously; `shard` may not be touched after it.
    shard.client->open();
}

void ShardManager::onShardStateChanged(int shardId, State state)
{
    Shard *shard = shardById(shardId);
    if (!shard)
        return;
    if (state == State::Identifying) {
        const int bucket = bucketOf(shardId);
        const qint64 now = m_monotonic.elapsed();
        const auto last = m_lastIdentifyAt.constFind(bucket);
        if (last != m_lastIdentifyAt.cend() && m_lastIdentifyShard.value(bucket) != shardId
            && now - *last < m_base.minIdentifyIntervalMs) {
            qCWarning(lcShard) << "shard" << shardId << "identifies" << (now - *last)
                               << "ms after shard" << m_lastIdentifyShard.value(bucket)
                               << "in the same bucket" << bucket << "(a retry by the client)";
        }
        m_lastIdentifyAt.insert(bucket, now);
        m_lastIdentifyShard.insert(bucket, shardId);
    }
    if (state == State::Ready)
        shard->retryBackoff.reset();
    bool settledNow = false;
    if (shard->started && !shard->settled
        && (state == State::Ready || state == State::Failed || state == State::Disconnected)) {
        shard->settled = true;
        settledNow = true;
    }
    emit shardStateChanged(shardId, state);
    updateState();
    if (state == State::Failed) {
        m_startTimer.stop();
        const int pending = pendingCount();
        if (pending > 0) {
            qCWarning(lcShard) << "shard" << shardId << "failed fatally; not starting" << pending
                               << "pending shards";
        }
        return;
    }
    if (settledNow)
        startDueShards();
}

void ShardManager::requeueShard(GatewayClient *client, int shardId)
{
    Shard *shard = shardById(shardId);
    // The set may have been rebuilt, or the client may already be past Hello: leave it then.
    if (m_phase != Phase::Running || !shard || shard->client != client || !shard->started
        || (client->state() != State::Reconnecting && client->state() != State::Connecting))
        return;
    const int delay = shard->retryBackoff.next();
    shard->started = false;
    shard->settled = false;
    shard->notBefore = m_monotonic.elapsed() + delay;
    qCInfo(lcShard) << "shard" << shardId << "lost its session; it identifies again in bucket"
                    << bucketOf(shardId) << "order, not before" << delay << "ms";
    // Stops the client's own retry. Its socket is already gone, so no close frame is sent.
    client->close();
    startDueShards();
}

void ShardManager::updateState()
{
    const State next = computeState();
    if (next == m_state)
        return;
    qCInfo(lcShard).noquote() << "state" << GatewayClient::stateName(m_state) << "->"
                              << GatewayClient::stateName(next);
    m_state = next;
    emit stateChanged(next);
}

ShardManager::State ShardManager::computeState() const
{
    switch (m_phase) {
    case Phase::Idle:
        return State::Disconnected;
    case Phase::Failed:
        return State::Failed;
    case Phase::Discovering:
        return State::Connecting;
    case Phase::DiscoveryRetry:
        return State::Reconnecting;
    case Phase::Running:
        break;
    }
    if (m_shards.isEmpty())
        return State::Connecting;
    State least = State::Ready;
    for (const Shard &shard : m_shards) {
        // A shard waiting for its Identify slot is on its way: it counts as Connecting.
        const State state = shard.started ? shard.client->state() : State::Connecting;
        if (state == State::Failed)
            return State::Failed;
        if (progressRank(state) < progressRank(least))
            least = state;
    }
    return least;
}

} // namespace Gatescope
