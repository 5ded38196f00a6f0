#include "core/connection/connectioncontroller.h"

#include "core/gateway/shardmanager.h"
#include "core/io/framerecorder.h"
#include "core/io/replayer.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QThread>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {
constexpr int MetricsIntervalMs = 1000;
} // namespace

ConnectionController::ConnectionController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<GatewayEventBatch>();
    qRegisterMetaType<QList<FrameRecord>>();
    qRegisterMetaType<GatewayBotInfo>();
    m_metricsTimer.setInterval(MetricsIntervalMs);
    m_metricsTimer.callOnTimeout(this, &ConnectionController::refreshMetrics);
}

ConnectionController::~ConnectionController()
{
    stop();
    if (!m_thread)
        return;
    FrameRecorder *recorder = m_recorder;
    runInThread([recorder] {
        if (recorder)
            recorder->close();
    });
    m_thread->quit();
    m_thread->wait();
    delete m_context; // and the recorder, its child
}

void ConnectionController::ensureThread()
{
    if (m_thread)
        return;
    m_thread = new QThread(this);
    m_thread->setObjectName(u"gateway"_s);
    m_context = new QObject;
    m_context->moveToThread(m_thread);
    m_thread->start();
}

template<typename Function>
void ConnectionController::runInThread(Function &&function)
{
    ensureThread();
    QMetaObject::invokeMethod(m_context, std::forward<Function>(function),
                              Qt::BlockingQueuedConnection);
}

bool ConnectionController::setRecordFile(const QString &path, QString *error)
{
    ensureThread();
    auto *recorder = new FrameRecorder;
    if (!recorder->open(path)) {
        *error = recorder->errorString();
        delete recorder;
        return false;
    }
    connect(recorder, &FrameRecorder::errorOccurred, this, &ConnectionController::recordError);
    // Frames are written in the gateway thread, where they are made: none crosses threads.
    recorder->moveToThread(m_thread);
    FrameRecorder *previous = m_recorder;
    m_recorder = recorder;
    runInThread([recorder, previous, context = m_context] {
        recorder->setParent(context);
        delete previous;
    });
    return true;
}

void ConnectionController::setMessageLimit(qint64 count)
{
    m_messageLimit = count;
}

void ConnectionController::setFramesWanted(bool wanted)
{
    if (wanted == m_framesWanted)
        return;
    m_framesWanted = wanted;
    connectFrames();
}

void ConnectionController::connectFrames()
{
    if (!m_thread)
        return;
    // Connected and cut in the gateway thread, where the clients decide per frame whether
    // anyone wants it.
    const bool wanted = m_framesWanted;
    GatewayClient *single = m_client;
    ShardManager *shards = m_shards;
    runInThread([this, wanted, single, shards] {
        QList<GatewayClient *> clients = shards ? shards->clients() : QList<GatewayClient *>();
        if (single)
            clients.append(single);
        for (GatewayClient *client : std::as_const(clients)) {
            disconnect(client, &GatewayClient::framesReady, this,
                       &ConnectionController::framesReady);
            if (wanted)
                connect(client, &GatewayClient::framesReady, this,
                        &ConnectionController::framesReady);
        }
    });
}

void ConnectionController::beginConnection()
{
    stop();
    ensureThread();
    ++m_generation;
    m_metrics = GatewayMetrics();
    m_session = SessionInfo();
    m_botInfo.reset();
    m_shardCount = 0;
    m_shardSnapshots.clear();
    m_metricsTimer.start();
}

GatewayClient *ConnectionController::createClient(const GatewayConfig &config)
{
    GatewayClient *client = nullptr;
    FrameRecorder *recorder = m_recorder;
    const qint64 limit = m_messageLimit;
    // Created in the gateway thread, so its sockets and timers belong there from the start.
    runInThread([this, &client, config, recorder, limit] {
        client = new GatewayClient;
        client->setConfig(config);
        client->setMessageLimit(limit);
        if (recorder) {
            connect(client, &GatewayClient::frameLogged, recorder, &FrameRecorder::record,
                    Qt::DirectConnection);
            connect(client, &GatewayClient::disconnected, recorder, &FrameRecorder::recordClose,
                    Qt::DirectConnection);
        }
        wireClient(client, -1, true);
    });
    m_client = client;
    connectFrames();
    return client;
}

void ConnectionController::wireClient(GatewayClient *client, int shard, bool single)
{
    // Every connection has this controller as its context: the lambdas run in its thread.
    connect(client, &GatewayClient::eventsReady, this, &ConnectionController::eventsReady);
    connect(client, &GatewayClient::latencyChanged, this,
            [this, shard](int last, int smoothed) { emit latencyChanged(shard, last, smoothed); });
    connect(client, &GatewayClient::heartbeatAckMissed, this,
            [this, shard] { emit heartbeatAckMissed(shard); });
    connect(client, &GatewayClient::disconnected, this,
            [this, shard](int code, const QString &reason, GatewayClient::Initiator initiator,
                          CloseCodes::Action action) {
                emit disconnected(shard, code, reason, initiator, action);
            });
    connect(client, &GatewayClient::reconnectScheduled, this,
            [this, shard](int attempt, int delayMs) {
                emit reconnectScheduled(shard, attempt, delayMs);
            });
    connect(client, &GatewayClient::sessionEstablished, this,
            [this, shard](const QString &sessionId, bool resumed, int replayed) {
                emit sessionEstablished(shard, sessionId, resumed, replayed);
            });
    connect(client, &GatewayClient::connectionError, this,
            [this, shard](const QString &message) { emit connectionError(shard, message); });
    if (!single)
        return; // the range reports state, fatal closes and discovery for its shards
    connect(client, &GatewayClient::stateChanged, this, stateFollower());
    connect(client, &GatewayClient::fatalError, this, [this](int code, const QString &explanation) {
        emit fatalError(-1, code, explanation);
    });
    connect(client, &GatewayClient::discoveryFinished, this,
            &ConnectionController::discoveryFinished);
}

std::function<void(GatewayClient::State)> ConnectionController::stateFollower()
{
    return [this, generation = m_generation](GatewayClient::State state) {
        if (generation != m_generation)
            return; // a replaced connection's last word
        m_state = state;
        emit stateChanged(state);
    };
}

void ConnectionController::wireShards(ShardManager *shards)
{
    connect(shards, &ShardManager::stateChanged, this, stateFollower());
    connect(shards, &ShardManager::shardStateChanged, this,
            &ConnectionController::shardStateChanged);
    connect(shards, &ShardManager::discoveryFinished, this,
            &ConnectionController::discoveryFinished);
    connect(shards, &ShardManager::fatalError, this, &ConnectionController::fatalError);
    connect(shards, &ShardManager::errorOccurred, this, &ConnectionController::errorOccurred);
    connect(shards, &ShardManager::savedSessionsIgnored, this, [this](const QString &notice) {
        emit sessionFileStatus(u"session file %1 ignored: %2"_s.arg(m_sessionFilePath, notice));
    });
    // New shards are wired in the gateway thread as the manager creates them.
    FrameRecorder *recorder = m_recorder;
    connect(shards, &ShardManager::clientsChanged, shards, [this, shards, recorder] {
        for (GatewayClient *client : shards->clients()) {
            if (client->property("gatescopeWired").toBool())
                continue;
            client->setProperty("gatescopeWired", true);
            wireClient(client, client->config().shardId, false);
            if (m_framesWanted)
                connect(client, &GatewayClient::framesReady, this,
                        &ConnectionController::framesReady);
            Q_UNUSED(recorder); // a range is not recorded (one recording holds one connection)
        }
    });
}

void ConnectionController::connectTo(const GatewayConfig &config)
{
    beginConnection();
    GatewayClient *client = createClient(config);
    m_shardIds = {-1};
    const QList<SavedSession> saved
            = takeSavedSessions(config, config.shardCount, {config.shardId});
    emit connectionStarted();
    if (saved.isEmpty()) {
        QMetaObject::invokeMethod(client, &GatewayClient::open);
        return;
    }
    const GatewayClient::ResumableSession session{saved.constFirst().sessionId,
                                                  saved.constFirst().sequence,
                                                  saved.constFirst().resumeUrl};
    QMetaObject::invokeMethod(client, [client, session] { client->openResuming(session); });
}

void ConnectionController::setSessionFile(const QString &path)
{
    m_sessionFilePath = path;
}

QList<SavedSession> ConnectionController::takeSavedSessions(const GatewayConfig &config,
                                                            int shardCount,
                                                            const QList<int> &shardIds)
{
    m_liveConnection = true;
    m_sessionToken = config.token;
    if (m_sessionFilePath.isEmpty())
        return {};
    const SessionFile file(m_sessionFilePath);
    const SessionFile::Loaded loaded = file.load(config.token.reveal(), shardCount, shardIds,
                                                 QDateTime::currentMSecsSinceEpoch());
    if (!loaded.notice.isEmpty())
        emit sessionFileStatus(loaded.notice);
    if (loaded.sessions.isEmpty())
        return {};
    // Used once: the sessions resumed now are saved again at the next graceful exit.
    QFile::remove(m_sessionFilePath);
    emit sessionFileStatus(u"session file %1: resuming %2 saved session(s)"_s.arg(
            m_sessionFilePath, QString::number(loaded.sessions.size())));
    return loaded.sessions;
}

bool ConnectionController::connectShards(const GatewayConfig &config, int first, int last,
                                         int count, QString *error)
{
    beginConnection();
    ShardManager *shards = nullptr;
    runInThread([this, &shards, error, config, first, last, count] {
        auto *manager = new ShardManager;
        if (!manager->setConfig(config, first, last, count)) {
            *error = manager->errorString();
            delete manager;
            return;
        }
        wireShards(manager);
        shards = manager;
    });
    if (!shards)
        return false;
    m_shards = shards;
    m_shardIds.clear();
    for (int shard = first; shard <= last; ++shard)
        m_shardIds.append(shard);
    // count 0 ("auto"): the manager compares the saved count once discovery resolved it.
    const QList<SavedSession> saved = takeSavedSessions(config, count, m_shardIds);
    if (!saved.isEmpty()) {
        QHash<int, GatewayClient::ResumableSession> sessions;
        for (const SavedSession &session : saved)
            sessions.insert(session.shardId,
                            {session.sessionId, session.sequence, session.resumeUrl});
        const int savedCount = saved.constFirst().shardCount;
        runInThread(
                [shards, sessions, savedCount] { shards->setSavedSessions(sessions, savedCount); });
    }
    emit connectionStarted();
    QMetaObject::invokeMethod(shards, &ShardManager::open);
    return true;
}

bool ConnectionController::replay(const QString &path, double speed, QString *error)
{
    beginConnection();
    GatewayClient *client = createClient(GatewayConfig());
    Replayer *replayer = nullptr;
    runInThread([this, client, path, speed, error, &replayer] {
        // The replayer feeds the client in its thread, as the socket would.
        auto *created = new Replayer(client);
        if (!created->open(path)) {
            *error = created->errorString();
            delete created;
            return;
        }
        created->setSpeed(speed);
        connect(created, &Replayer::frameReady, client, &GatewayClient::replayFrame);
        connect(created, &Replayer::corruptLine, this, &ConnectionController::replayCorruptLine);
        connect(
                created, &Replayer::finished, this,
                [this, client, created] {
                    // In the gateway thread: what the replay produced is handed over before the
                    // end.
                    client->flushEvents();
                    const qint64 frames = created->framesReplayed();
                    const qint64 corrupt = created->corruptLines();
                    QMetaObject::invokeMethod(this, [this, frames, corrupt] {
                        emit replayFinished(frames, corrupt);
                    });
                },
                Qt::DirectConnection);
        replayer = created;
    });
    if (!replayer) {
        stop();
        return false;
    }
    m_replayer = replayer;
    m_shardIds = {-1};
    emit connectionStarted();
    QMetaObject::invokeMethod(client, [client, replayer] {
        client->beginReplay();
        replayer->start();
    });
    return true;
}

void ConnectionController::disconnectFromGateway()
{
    forgetSavedSessions();
    if (m_shards)
        QMetaObject::invokeMethod(m_shards, &ShardManager::close);
    if (m_client)
        QMetaObject::invokeMethod(m_client, &GatewayClient::close);
}

bool ConnectionController::reconnectShard(int shard)
{
    if (!isActive() || isReplay() || !m_shardIds.contains(shard))
        return false;
    GatewayClient *single = m_client;
    ShardManager *shards = m_shards;
    QMetaObject::invokeMethod(m_context, [single, shards, shard] {
        GatewayClient *client = shards ? shards->client(shard) : single;
        if (client)
            client->reconnect(u"reconnect asked by the user"_s);
    });
    return true;
}

void ConnectionController::stop()
{
    if (!isActive())
        return;
    forgetSavedSessions();
    stopConnection(nullptr);
}

void ConnectionController::forgetSavedSessions()
{
    if (m_liveConnection && !m_sessionFilePath.isEmpty())
        QFile::remove(m_sessionFilePath);
}

QString ConnectionController::stopKeepingSessions()
{
    if (!isActive())
        return QString();
    if (!m_liveConnection || m_sessionFilePath.isEmpty()) {
        stop();
        return QString();
    }
    QList<SavedSession> saved;
    stopConnection(&saved);
    if (saved.isEmpty()) {
        QFile::remove(m_sessionFilePath);
        return u"session file %1: no session to keep (none was established)"_s.arg(
                m_sessionFilePath);
    }
    QString error;
    const SessionFile file(m_sessionFilePath);
    if (!file.save(m_sessionToken.reveal(), saved, QDateTime::currentMSecsSinceEpoch(), &error))
        return u"session file: "_s + error;
    return u"session file %1: %2 session(s) saved, resumable for about %3 s"_s.arg(
            m_sessionFilePath, QString::number(saved.size()),
            QString::number(SessionFile::DefaultLifetimeMs / 1000));
}

void ConnectionController::stopConnection(QList<SavedSession> *saved)
{
    GatewayClient *client = m_client;
    ShardManager *shards = m_shards;
    Replayer *replayer = m_replayer;
    m_client = nullptr;
    m_shards = nullptr;
    m_replayer = nullptr;
    m_metricsTimer.stop();
    // As this thread saw it: a client that just closed itself (setMessageLimit()) still ended
    // its run Ready.
    m_stateAtStop = m_state;
    GatewayMetrics metrics;
    SessionInfo session;
    QList<ShardSnapshot> snapshots;
    m_liveConnection = false;
    runInThread([client, shards, replayer, saved, &metrics, &session, &snapshots] {
        if (replayer)
            replayer->stop();
        // Closing ends the sessions, and with them READY's guild lists: count them first.
        const QList<ShardSnapshot> before = snapshotsOf(client, shards);
        if (saved) {
            // Each closes with 4000 and hands over its events first; the close() below then
            // finds it Disconnected and sends nothing.
            QList<GatewayClient *> clients = shards ? shards->clients() : QList<GatewayClient *>();
            if (client)
                clients.append(client);
            for (GatewayClient *each : std::as_const(clients)) {
                if (const auto kept = each->closeKeepingSession())
                    saved->append(SavedSession{each->config().shardId, each->config().shardCount,
                                               kept->sessionId, kept->sequence, kept->resumeUrl});
            }
        }
        if (shards) {
            shards->close(); // each shard's close() hands over its events
            metrics = shards->aggregatedMetrics();
            snapshots = snapshotsOf(nullptr, shards);
            shards->deleteLater();
        }
        if (client) {
            if (client->state() != GatewayClient::State::Failed || client->isReplaying())
                client->close();
            else
                client->flushEvents();
            metrics = client->metrics();
            session = client->session();
            snapshots = snapshotsOf(client, nullptr);
            // Later, so the close frame leaves first.
            client->deleteLater();
        }
        for (qsizetype i = 0; i < snapshots.size() && i < before.size(); ++i)
            snapshots[i].guildCount = before.at(i).guildCount;
    });
    deliverPosted();
    ++m_generation; // anything of this connection still on its way is dropped
    m_metrics = metrics;
    m_session = session;
    m_shardSnapshots = snapshots;
}

void ConnectionController::deliverPosted()
{
    // The gateway thread posted its last batches and closes to this object before stop()'s
    // blocking call returned: deliver them now rather than after the caller moved on.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

void ConnectionController::refreshMetrics()
{
    if (!isActive())
        return;
    GatewayClient *client = m_client;
    ShardManager *shards = m_shards;
    const quint64 generation = m_generation;
    QPointer<ConnectionController> self(this);
    // Copied in the gateway thread and handed back: no shared reads.
    QMetaObject::invokeMethod(m_context, [self, client, shards, generation] {
        GatewayMetrics metrics;
        SessionInfo session;
        std::optional<GatewayBotInfo> info;
        int count = 0;
        const QList<ShardSnapshot> snapshots = snapshotsOf(client, shards);
        if (shards) {
            metrics = shards->aggregatedMetrics();
            const QList<GatewayClient *> clients = shards->clients();
            session = clients.isEmpty() ? SessionInfo() : clients.constFirst()->session();
            info = shards->botInfo();
            count = shards->shardCount();
        } else {
            metrics = client->metrics();
            session = client->session();
            info = client->botInfo();
        }
        QMetaObject::invokeMethod(
                self, [self, generation, metrics, session, info, count, snapshots] {
                    if (self && self->m_generation == generation)
                        self->applySnapshot(metrics, session, info, count, snapshots);
                });
    });
}

void ConnectionController::applySnapshot(const GatewayMetrics &metrics, const SessionInfo &session,
                                         const std::optional<GatewayBotInfo> &botInfo,
                                         int shardCount, const QList<ShardSnapshot> &shards)
{
    m_metrics = metrics;
    m_shardSnapshots = shards;
    m_session = session;
    if (botInfo)
        m_botInfo = botInfo;
    m_shardCount = shardCount;
    emit metricsUpdated();
}

QList<ConnectionController::ShardSnapshot> ConnectionController::snapshotsOf(GatewayClient *single,
                                                                             ShardManager *shards)
{
    QList<ShardSnapshot> out;
    const auto add = [&out](int shard, const GatewayClient *client) {
        out.append({shard, client->metrics(), int(client->session().guildIds.size())});
    };
    if (single)
        add(-1, single);
    if (shards) {
        for (const GatewayClient *client : shards->clients())
            add(client->config().shardId, client);
    }
    return out;
}

} // namespace Gatescope
