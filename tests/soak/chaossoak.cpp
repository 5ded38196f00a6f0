#include "chaossoak.h"
#include "fastgatewayconfig.h"

#include "core/connection/connectioncontroller.h"
#include "core/gateway/closecodes.h"
#include "core/store/messagestore.h"
#include "emulator/emulatorserver.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QRandomGenerator64>
#include <QSet>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace Gatescope::Soak {

namespace {

using Emulator::EmulatorServer;
using Emulator::Fault;

const QString Token = u"MTAxNTk2.chaos-soak.c2VjcmV0"_s;

/// What the plan can do to the live connection.
enum class Strike {
    DropTcp,
    Reconnect, ///< op 7
    InvalidResumable, ///< op 9 true
    InvalidFresh, ///< op 9 false: the session ends
    Zombie, ///< ACKs stop until the client has reconnected
    CloseResumable, ///< 4000
    CloseInvalidSeq, ///< 4007: the session ends
    CloseTimedOut, ///< 4009: the session ends
    SlowWrite, ///< 2 KB/s for a moment
    ResumeHostRestart, ///< TCP drop while the resume URL refuses one upgrade
    Count
};

const char *strikeName(Strike strike)
{
    switch (strike) {
    case Strike::DropTcp:
        return "tcp-drop";
    case Strike::Reconnect:
        return "op7";
    case Strike::InvalidResumable:
        return "op9-true";
    case Strike::InvalidFresh:
        return "op9-false";
    case Strike::Zombie:
        return "stalled-acks";
    case Strike::CloseResumable:
        return "close-4000";
    case Strike::CloseInvalidSeq:
        return "close-4007";
    case Strike::CloseTimedOut:
        return "close-4009";
    case Strike::SlowWrite:
        return "slow-write";
    case Strike::ResumeHostRestart:
        return "resume-host-restart";
    case Strike::Count:
        break;
    }
    return "?";
}

bool endsSession(Strike strike)
{
    return strike == Strike::InvalidFresh || strike == Strike::CloseInvalidSeq
           || strike == Strike::CloseTimedOut;
}

/// VmHWM of /proc/self/status, 0 where there is none.
qint64 peakRssBytes()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return 0;
}

constexpr int SlowWriteMs = 300;
constexpr qint64 SlowBytesPerSecond = 2048;

class SoakRun : public QObject
{
public:
    explicit SoakRun(const SoakOptions &options)
        : m_options(options)
        , m_random(options.seed)
        , m_server(serverConfig(options))
    { }

    SoakResult run()
    {
        m_wall.start();
        QString error;
        if (!m_server.start(&error)) {
            m_result.failure = u"emulator did not start: "_s + error;
            return m_result;
        }
        m_store.setCapacity(int(qMin<qint64>(m_options.messages + 10000, 100'000'000)));
        connect(&m_controller, &ConnectionController::eventsReady, this,
                [this](const GatewayEventBatch &batch) { onEvents(batch); });
        connect(&m_server, &EmulatorServer::clientIdentified, this,
                [this](int, const QString &sessionId) {
                    ++m_result.identifies;
                    m_currentSession = sessionId;
                    onReconnected();
                });
        connect(&m_server, &EmulatorServer::clientResumed, this, [this] {
            ++m_result.resumes;
            onReconnected();
        });
        connect(&m_server, &EmulatorServer::resumeUpgradeRefused, this,
                [this] { m_server.setResumeEndpointAvailable(true); });
        // An outage longer than the bounded replay buffer ends the session: the plan caused it.
        connect(&m_server, &EmulatorServer::resumeRefused, this,
                [this](int, const QString &sessionId, qint64 seq) {
                    // A session a strike already ended (and counted) can be refused again when
                    // the client still tries to resume it: one loss, not two.
                    if (!m_sessionsEndedByPlan.contains(sessionId))
                        ++m_result.sessionLosses;
                    ++m_result.resumesRefused;
                    m_lostSessionsAfter.insert(sessionId, seq);
                    if (m_options.verbose)
                        std::fprintf(stderr, "%6lld ms  resume of %s from %lld refused\n",
                                     qint64(m_wall.elapsed()), qPrintable(sessionId.left(8)), seq);
                });
        if (m_options.verbose)
            traceConnections();
        m_controller.connectTo(clientConfig());

        QTimer tick;
        connect(&tick, &QTimer::timeout, this, [this] { step(); });
        tick.start(10);
        m_loop.exec();
        tick.stop();
        m_controller.stop();
        m_store.flush();
        compare();
        m_result.wallMs = m_wall.elapsed();
        return m_result;
    }

private:
    static Emulator::ServerConfig serverConfig(const SoakOptions &options)
    {
        Emulator::ServerConfig config;
        config.tokens = {Token};
        config.seed = options.seed;
        config.traffic.seed = options.seed;
        config.traffic.messageShare = 1.0; // deletes would take messages out of the store
        config.traffic.guildCount = 3;
        config.eventsPerSecond = options.eventsPerSecond;
        config.messageLimit = options.messages;
        config.heartbeatIntervalMs = options.heartbeatIntervalMs;
        config.heartbeatGraceMs = 2000;
        config.identifyWindowMs = 50;
        config.splitFrames = true; // every compressed payload arrives in 2–4 WebSocket messages
        config.replayBufferSize = 100000;
        config.recordDeliveries = true;
        return config;
    }

    GatewayConfig clientConfig() const
    {
        GatewayConfig config = fastGatewayConfig();
        config.token = Token;
        config.gatewayUrl = m_server.gatewayUrl();
        config.compression = Compression::ZlibStream;
        config.handshakeTimeoutMs = 5000;
        config.helloTimeoutMs = 5000;
        config.minIdentifyIntervalMs = 60;
        return config;
    }

    void onEvents(const GatewayEventBatch &batch)
    {
        m_store.ingest(batch);
        for (const GatewayEvent &event : batch) {
            // Each session numbers its dispatches from 1: a seq only compares with the newest
            // session's (an older session's higher seq once ended the run before its drain).
            if (event.type == "READY"_L1) {
                m_clientSession = event.data().value("session_id"_L1).toString();
                m_lastClientSeq = event.seq;
            }
            m_lastClientSeq = qMax(m_lastClientSeq, event.seq);
            if (event.kind == GatewayEvent::Kind::MessageCreate)
                m_clientMessageIds.append(event.message.id);
        }
    }

    /// SOAK_VERBOSE: every end of a connection and every session start or resume, with the
    /// time and the sequences on both sides, to trace a loss back to its fault.
    void traceConnections()
    {
        connect(&m_controller, &ConnectionController::disconnected, this,
                [this](int, int code, const QString &reason) {
                    std::fprintf(stderr, "%6lld ms    client: closed %d (%s), client seq %lld\n",
                                 qint64(m_wall.elapsed()), code, qPrintable(reason),
                                 m_lastClientSeq);
                });
        connect(&m_controller, &ConnectionController::sessionEstablished, this,
                [this](int, const QString &sessionId, bool resumed, int replayed) {
                    std::fprintf(stderr, "%6lld ms    client: %s %s (%d replayed)\n",
                                 qint64(m_wall.elapsed()), resumed ? "resumed" : "ready",
                                 qPrintable(sessionId.left(8)), replayed);
                });
        connect(&m_server, &EmulatorServer::clientClosed, this,
                [this](int connection, int code, bool byServer) {
                    std::fprintf(stderr, "%6lld ms    emulator: connection %d closed %d by %s\n",
                                 qint64(m_wall.elapsed()), connection, code,
                                 byServer ? "server" : "client");
                });
        connect(&m_server, &EmulatorServer::clientIdentified, this,
                [this](int connection, const QString &sessionId) {
                    std::fprintf(stderr, "%6lld ms    emulator: connection %d identified %s\n",
                                 qint64(m_wall.elapsed()), connection,
                                 qPrintable(sessionId.left(8)));
                });
        connect(&m_server, &EmulatorServer::clientResumed, this,
                [this](int connection, const QString &sessionId, int replayed) {
                    std::fprintf(stderr,
                                 "%6lld ms    emulator: connection %d resumed %s, %d replayed, "
                                 "last seq %lld\n",
                                 qint64(m_wall.elapsed()), connection,
                                 qPrintable(sessionId.left(8)), replayed,
                                 m_server.lastSequence(sessionId));
                });
    }

    /// SOAK_VERBOSE: the lost messages as runs of (session, seq).
    void traceLost(const QSet<quint64> &storedSet) const
    {
        QString session;
        qint64 first = -1;
        qint64 last = -1;
        const auto flush = [&] {
            if (first >= 0)
                std::fprintf(stderr, "lost: session %s seq %lld-%lld\n",
                             qPrintable(session.left(8)), first, last);
        };
        for (const EmulatorServer::Delivery &delivery : m_server.deliveries()) {
            if (storedSet.contains(delivery.messageId))
                continue;
            if (delivery.sessionId == session && delivery.seq <= last + 1
                && delivery.seq >= first) {
                last = qMax(last, delivery.seq);
                continue;
            }
            flush();
            session = delivery.sessionId;
            first = last = delivery.seq;
        }
        flush();
    }

    /// A new session or a resume: lasting faults end here, before the new connection's first
    /// heartbeat could go unanswered.
    void onReconnected()
    {
        if (m_acksStopped) {
            m_server.injectNow(Fault::make(Fault::Kind::ResumeAcks));
            m_acksStopped = false;
        }
    }

    bool steady() const
    {
        return m_controller.state() == GatewayClient::State::Ready
               && m_server.attachedSessionCount() == 1 && m_server.connectionCount() == 1
               && m_server.resumeEndpointAvailable() && !m_acksStopped && !m_slow
               && m_result.identifies + m_result.resumes >= m_awaitReconnections;
    }

    void step()
    {
        m_result.peakReplayBytes = qMax(m_result.peakReplayBytes, m_server.replayBufferedBytes());
        if (m_wall.elapsed() > m_options.timeoutMs) {
            m_result.failure = u"timed out after %1 faults, %2 messages generated (state %3)"_s
                                       .arg(m_result.faults)
                                       .arg(m_server.messagesGenerated())
                                       .arg(int(m_controller.state()));
            m_loop.quit();
            return;
        }
        if (!steady()) {
            m_strikeAtMs = -1;
            return;
        }
        const bool enoughFaults = m_result.faults >= m_options.faults;
        const bool enoughMessages = m_server.messagesGenerated() >= m_options.messages;
        if (enoughFaults && enoughMessages) {
            // Drained once the client has seen the session's newest dispatch.
            if (m_clientSession == m_currentSession
                && m_lastClientSeq >= m_server.lastSequence(m_currentSession)) {
                m_result.finished = true;
                m_loop.quit();
            }
            return;
        }
        if (m_strikeAtMs < 0) {
            m_strikeAtMs = m_wall.elapsed()
                           + qint64(m_random.bounded(quint64(m_options.minGapMs),
                                                     quint64(m_options.maxGapMs + 1)));
            return;
        }
        if (m_wall.elapsed() >= m_strikeAtMs) {
            m_strikeAtMs = -1;
            strike(Strike(m_random.bounded(quint64(Strike::Count))));
        }
    }

    void strike(Strike strike)
    {
        ++m_result.faults;
        ++m_result.faultsByKind[QString::fromLatin1(strikeName(strike))];
        if (endsSession(strike)) {
            ++m_result.sessionLosses;
            m_sessionsEndedByPlan.insert(m_currentSession);
        }
        if (m_options.verbose)
            std::fprintf(stderr, "%6lld ms  fault %d: %s\n", qint64(m_wall.elapsed()),
                         m_result.faults, strikeName(strike));
        // Every fault but a slow write makes the client reconnect; the next one waits for it.
        if (strike != Strike::SlowWrite)
            m_awaitReconnections = m_result.identifies + m_result.resumes + 1;
        switch (strike) {
        case Strike::DropTcp:
            m_server.injectNow(Fault::make(Fault::Kind::DropTcp));
            break;
        case Strike::Reconnect:
            m_server.injectNow(Fault::make(Fault::Kind::Reconnect));
            break;
        case Strike::InvalidResumable:
            m_server.injectNow(Fault::invalidSession(true));
            break;
        case Strike::InvalidFresh:
            m_server.injectNow(Fault::invalidSession(false));
            break;
        case Strike::Zombie:
            m_acksStopped = true;
            m_server.injectNow(Fault::make(Fault::Kind::StopAcks));
            break;
        case Strike::CloseResumable:
            m_server.injectNow(Fault::close(CloseCodes::UnknownError, u"soak"_s));
            break;
        case Strike::CloseInvalidSeq:
            m_server.injectNow(Fault::close(CloseCodes::InvalidSeq, u"soak"_s));
            break;
        case Strike::CloseTimedOut:
            m_server.injectNow(Fault::close(CloseCodes::SessionTimedOut, u"soak"_s));
            break;
        case Strike::SlowWrite:
            m_slow = true;
            m_server.injectNow(Fault::withBytes(Fault::Kind::SlowWrite, SlowBytesPerSecond));
            QTimer::singleShot(SlowWriteMs, this, [this] {
                m_server.injectNow(Fault::withBytes(Fault::Kind::SlowWrite, 0));
                m_slow = false;
            });
            break;
        case Strike::ResumeHostRestart:
            m_server.setResumeEndpointAvailable(false);
            m_server.injectNow(Fault::make(Fault::Kind::DropTcp));
            break;
        case Strike::Count:
            break;
        }
    }

    /// The emulator's deliveries, each (session, seq) once: sessions in the order they were
    /// first written to, each in sequence order (a replay writes a seq again).
    QList<quint64> expectedIds()
    {
        QHash<QString, QMap<qint64, quint64>> bySession;
        QStringList order;
        QSet<quint64> gone;
        for (const EmulatorServer::Delivery &delivery : m_server.deliveries()) {
            const auto lostAfter = m_lostSessionsAfter.constFind(delivery.sessionId);
            if (lostAfter != m_lostSessionsAfter.cend() && delivery.seq > *lostAfter) {
                gone.insert(delivery.messageId);
                continue;
            }
            auto it = bySession.find(delivery.sessionId);
            if (it == bySession.end()) {
                order.append(delivery.sessionId);
                it = bySession.insert(delivery.sessionId, {});
            }
            it->insert(delivery.seq, delivery.messageId);
        }
        m_goneWithSession = gone.size();
        QList<quint64> ids;
        for (const QString &session : std::as_const(order)) {
            for (quint64 id : bySession.value(session))
                ids.append(id);
        }
        return ids;
    }

    void compare()
    {
        m_result.generated = m_server.messagesGenerated();
        const QList<quint64> expected = expectedIds();
        m_result.delivered = expected.size();
        m_result.goneWithSession = m_goneWithSession;
        m_result.peakRssBytes = peakRssBytes();
        m_result.stored = m_store.count();
        m_result.extraIdentifies = m_result.identifies - 1 - m_result.sessionLosses;

        QList<quint64> storedIds;
        storedIds.reserve(m_store.count());
        for (int row = 0; row < m_store.count(); ++row)
            storedIds.append(m_store.at(row).id);
        const QSet<quint64> storedSet(storedIds.cbegin(), storedIds.cend());
        const QSet<quint64> expectedSet(expected.cbegin(), expected.cend());
        for (quint64 id : expected)
            m_result.lost += storedSet.contains(id) ? 0 : 1;
        if (m_options.verbose && m_result.lost > 0)
            traceLost(storedSet);

        QSet<quint64> seen;
        for (quint64 id : std::as_const(m_clientMessageIds)) {
            if (seen.contains(id))
                ++m_result.doubled;
            seen.insert(id);
        }
        // Rows the emulator never delivered in a live session count as doubled too: they can
        // only come from a replay the client should not have been given.
        for (quint64 id : std::as_const(storedIds))
            m_result.doubled += expectedSet.contains(id) ? 0 : 1;

        QList<quint64> expectedStored;
        for (quint64 id : expected) {
            if (storedSet.contains(id))
                expectedStored.append(id);
        }
        QList<quint64> storedExpected;
        for (quint64 id : std::as_const(storedIds)) {
            if (expectedSet.contains(id))
                storedExpected.append(id);
        }
        for (qsizetype i = 0; i < qMin(expectedStored.size(), storedExpected.size()); ++i)
            m_result.outOfOrder += expectedStored.at(i) == storedExpected.at(i) ? 0 : 1;
    }

    SoakOptions m_options;
    QRandomGenerator64 m_random;
    EmulatorServer m_server;
    ConnectionController m_controller;
    MessageStore m_store;
    QEventLoop m_loop;
    QElapsedTimer m_wall;
    SoakResult m_result;
    QList<quint64> m_clientMessageIds;
    QString m_currentSession;
    QHash<QString, qint64> m_lostSessionsAfter; ///< session → seq of its refused Resume
    QSet<QString> m_sessionsEndedByPlan; ///< sessions a session-ending strike already counted
    qint64 m_goneWithSession = 0;
    QString m_clientSession; ///< the session of the newest READY the store was given
    qint64 m_lastClientSeq = -1; ///< the newest seq of m_clientSession the store was given
    qint64 m_strikeAtMs = -1;
    int m_awaitReconnections = 1; ///< identifies + resumes the next fault waits for
    bool m_acksStopped = false;
    bool m_slow = false;
};

} // namespace

QString SoakResult::summary() const
{
    QStringList kinds;
    for (auto it = faultsByKind.cbegin(); it != faultsByKind.cend(); ++it)
        kinds.append(u"%1 %2"_s.arg(it.key()).arg(it.value()));
    return u"messages: %1 generated, %2 delivered in a live session, %3 stored\n"
           "faults: %4 (%5)\n"
           "lost: %6, doubled: %7, out of order: %8\n"
           "identifies: %9 (session losses caused by the plan: %10, extra identifies: %11), "
           "resumes: %12\n"
           "wall time: %13 s%14"_s.arg(generated)
                   .arg(delivered)
                   .arg(stored)
                   .arg(faults)
                   .arg(kinds.join(u", "_s))
                   .arg(lost)
                   .arg(doubled)
                   .arg(outOfOrder)
                   .arg(identifies)
                   .arg(sessionLosses)
                   .arg(extraIdentifies)
                   .arg(resumes)
                   .arg(double(wallMs) / 1000.0, 0, 'f', 1)
                   .arg(finished ? QString() : u"\nNOT FINISHED: "_s + failure)
           + u"\nresumes refused (buffer or session gone): %1, messages gone with them: %2\n"
             "peak replay buffers: %3 MiB, peak RSS: %4 MiB"_s.arg(resumesRefused)
                     .arg(goneWithSession)
                     .arg(double(peakReplayBytes) / 1048576.0, 0, 'f', 1)
                     .arg(double(peakRssBytes) / 1048576.0, 0, 'f', 1);
}

SoakResult runChaosSoak(const SoakOptions &options)
{
    SoakRun run(options);
    return run.run();
}

} // namespace Gatescope::Soak
