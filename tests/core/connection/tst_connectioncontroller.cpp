#include "core/connection/connectioncontroller.h"
#include "fastgatewayconfig.h"

#include "emulator/emulatorserver.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Emulator::EmulatorServer;
using State = GatewayClient::State;

namespace {

const QString Token = u"MTAxNTk2.tst-connection-controller.c2VjcmV0"_s;

std::unique_ptr<EmulatorServer> startServer(int recommendedShards = 1,
                                            int heartbeatIntervalMs = 5000)
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.heartbeatIntervalMs = heartbeatIntervalMs;
    config.traffic.guildCount = 6;
    config.identifyWindowMs = 50;
    config.recommendedShards = recommendedShards;
    auto server = std::make_unique<EmulatorServer>(config);
    QString error;
    if (!server->start(&error))
        qFatal("emulator did not start: %s", qPrintable(error));
    return server;
}

GatewayConfig clientConfig(const EmulatorServer &server, bool discovery = false)
{
    GatewayConfig config = fastGatewayConfig();
    config.token = Token;
    if (discovery)
        config.apiUrl = server.apiUrl();
    else
        config.gatewayUrl = server.gatewayUrl();
    config.minIdentifyIntervalMs = 60;
    return config;
}

/// What the consumer saw: every event, and in which thread each batch arrived.
struct Consumer
{
    QList<GatewayEvent> events;
    bool allInConsumerThread = true;
    int batches = 0;

    void attach(ConnectionController *controller)
    {
        QObject::connect(controller, &ConnectionController::eventsReady, controller,
                         [this, controller](const GatewayEventBatch &batch) {
                             allInConsumerThread
                                     = allInConsumerThread
                                       && QThread::currentThread() == controller->thread();
                             ++batches;
                             events.append(batch);
                         });
    }
    qint64 lastSeq(int shard = -1) const
    {
        for (qsizetype i = events.size() - 1; i >= 0; --i) {
            if (events.at(i).shard == shard)
                return events.at(i).seq;
        }
        return -1;
    }
    int messages() const
    {
        int n = 0;
        for (const GatewayEvent &event : events)
            n += event.kind == GatewayEvent::Kind::MessageCreate ? 1 : 0;
        return n;
    }
    /// The sequences of @p shard's events, in the order delivered.
    QList<qint64> sequences(int shard) const
    {
        QList<qint64> out;
        for (const GatewayEvent &event : events) {
            if (event.shard == shard)
                out.append(event.seq);
        }
        return out;
    }
    QString sessionId(int shard) const
    {
        for (const GatewayEvent &event : events) {
            if (event.shard == shard && event.type == "READY"_L1)
                return event.data().value("session_id"_L1).toString();
        }
        return {};
    }
    bool contiguous() const
    {
        for (qsizetype i = 1; i < events.size(); ++i) {
            if (events.at(i).seq != events.at(i - 1).seq + 1)
                return false;
        }
        return !events.isEmpty() && events.constFirst().seq == 1;
    }
};

} // namespace

class tst_ConnectionController : public QObject
{
    Q_OBJECT

private slots:
    void eventsReachTheConsumerThreadInOrder();
    void stopDeliversEverythingReceived();
    void messageLimitEndsAtTheNthMessage();
    void recordingReplaysTheSameEvents();
    void rangeEventsNameTheirShard();
    void refusedRangeAndMissingReplayAreReported();
    void framesOnlyWhileWanted();
    void sessionsResumeInTheNextController_data();
    void sessionsResumeInTheNextController();
    void userDisconnectKeepsNoSessionFile();
};

void tst_ConnectionController::eventsReachTheConsumerThreadInOrder()
{
    auto server = startServer();
    ConnectionController controller;
    Consumer consumer;
    consumer.attach(&controller);
    QSignalSpy states(&controller, &ConnectionController::stateChanged);
    controller.connectTo(clientConfig(*server));
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Ready, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!consumer.events.isEmpty(), 3000); // READY
    server->generateEvents(300);
    const QString sessionId = consumer.events.constFirst().data().value("session_id"_L1).toString();
    const qint64 serverSeq = server->lastSequence(sessionId);
    QTRY_COMPARE_WITH_TIMEOUT(consumer.lastSeq(), serverSeq, 5000);
    QVERIFY(consumer.allInConsumerThread);
    QVERIFY(consumer.contiguous());
    QCOMPARE(consumer.events.constFirst().type, u"READY"_s);
    QVERIFY(consumer.batches < consumer.events.size()); // batched, not one per event
    QVERIFY(consumer.messages() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(controller.metrics().dispatches > 0, 3000); // copied once a second
    controller.stop();
    QVERIFY(!controller.isActive());
    QCOMPARE(controller.stateAtStop(), State::Ready);
}

void tst_ConnectionController::stopDeliversEverythingReceived()
{
    auto server = startServer();
    server->setEventsPerSecond(2000);
    ConnectionController controller;
    Consumer consumer;
    consumer.attach(&controller);
    controller.connectTo(clientConfig(*server));
    QTRY_VERIFY_WITH_TIMEOUT(consumer.messages() >= 50, 5000);
    controller.stop();
    // Every dispatch the client counted before it closed has been delivered by stop() itself.
    QCOMPARE(consumer.lastSeq(), controller.metrics().lastSeq);
    QVERIFY(consumer.contiguous());
    const qsizetype delivered = consumer.events.size();
    QCoreApplication::processEvents(); // nothing of the stopped connection comes later
    QCOMPARE(consumer.events.size(), delivered);
}

void tst_ConnectionController::messageLimitEndsAtTheNthMessage()
{
    auto server = startServer();
    server->setEventsPerSecond(3000);
    ConnectionController controller;
    Consumer consumer;
    consumer.attach(&controller);
    QSignalSpy closes(&controller, &ConnectionController::disconnected);
    controller.setMessageLimit(40);
    controller.connectTo(clientConfig(*server));
    QVERIFY(closes.wait(5000));
    QCOMPARE(closes.at(0).at(1).toInt(), 1000);
    QCOMPARE(consumer.messages(), 40);
    QCOMPARE(consumer.events.constLast().kind, GatewayEvent::Kind::MessageCreate);
    controller.stop();
    QCOMPARE(consumer.messages(), 40);
}

void tst_ConnectionController::recordingReplaysTheSameEvents()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"run.jsonl"_s);
    Consumer live;
    {
        auto server = startServer();
        server->setEventsPerSecond(1000);
        ConnectionController controller;
        live.attach(&controller);
        QString error;
        QVERIFY2(controller.setRecordFile(path, &error), qPrintable(error));
        controller.setMessageLimit(60);
        QSignalSpy closes(&controller, &ConnectionController::disconnected);
        controller.connectTo(clientConfig(*server));
        QVERIFY(closes.wait(5000));
        controller.stop();
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(Token.toUtf8()));

    ConnectionController controller;
    Consumer replayed;
    replayed.attach(&controller);
    QSignalSpy finished(&controller, &ConnectionController::replayFinished);
    QString error;
    QVERIFY2(controller.replay(path, 0, &error), qPrintable(error));
    QVERIFY(controller.isReplay());
    QVERIFY(finished.wait(5000));
    // Every replayed event was delivered before the end was reported.
    QCOMPARE(replayed.events.size(), live.events.size());
    for (qsizetype i = 0; i < live.events.size(); ++i) {
        QCOMPARE(replayed.events.at(i).seq, live.events.at(i).seq);
        QCOMPARE(replayed.events.at(i).type, live.events.at(i).type);
        QCOMPARE(replayed.events.at(i).receivedMs, live.events.at(i).receivedMs);
        QCOMPARE(replayed.events.at(i).message.id, live.events.at(i).message.id);
    }
    QCOMPARE(finished.at(0).at(1).toLongLong(), 0);
}

void tst_ConnectionController::rangeEventsNameTheirShard()
{
    auto server = startServer(2);
    ConnectionController controller;
    Consumer consumer;
    consumer.attach(&controller);
    QString error;
    QVERIFY2(controller.connectShards(clientConfig(*server, true), 0, 1, 0, &error),
             qPrintable(error));
    QVERIFY(controller.isRange());
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Ready, 10000);
    server->generateEvents(300);
    QTRY_VERIFY_WITH_TIMEOUT(consumer.lastSeq(0) > 1 && consumer.lastSeq(1) > 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(controller.shardCount(), 2, 3000);
    for (const GatewayEvent &event : std::as_const(consumer.events))
        QVERIFY(event.shard == 0 || event.shard == 1);
    controller.stop();
}

void tst_ConnectionController::refusedRangeAndMissingReplayAreReported()
{
    auto server = startServer();
    ConnectionController controller;
    QString error;
    QVERIFY(!controller.connectShards(clientConfig(*server), 3, 1, 4, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!controller.isActive());
    error.clear();
    QVERIFY(!controller.replay(u"/nonexistent/recording.jsonl"_s, 1, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!controller.isActive());
}

void tst_ConnectionController::framesOnlyWhileWanted()
{
    auto server = startServer();
    ConnectionController controller;
    QList<FrameRecord> frames;
    connect(&controller, &ConnectionController::framesReady, this,
            [&frames](const QList<FrameRecord> &batch) { frames.append(batch); });
    Consumer consumer;
    consumer.attach(&controller);
    controller.connectTo(clientConfig(*server));
    QTRY_VERIFY_WITH_TIMEOUT(!consumer.events.isEmpty(), 5000); // READY
    const QString sessionId = consumer.events.constFirst().data().value("session_id"_L1).toString();
    server->generateEvents(20);
    QTRY_COMPARE_WITH_TIMEOUT(consumer.lastSeq(), server->lastSequence(sessionId), 3000);
    QVERIFY(frames.isEmpty()); // nobody asked: none were built
    controller.setFramesWanted(true);
    server->generateEvents(20);
    QTRY_VERIFY_WITH_TIMEOUT(!frames.isEmpty() && frames.constLast().op == 0, 3000);
    for (const FrameRecord &frame : std::as_const(frames))
        QVERIFY(!frame.json.contains(Token.toUtf8()));
    controller.setFramesWanted(false);
    controller.stop();
}

void tst_ConnectionController::sessionsResumeInTheNextController_data()
{
    QTest::addColumn<bool>("range");
    QTest::newRow("one connection") << false;
    QTest::newRow("shards 0-1 of auto") << true;
}

void tst_ConnectionController::sessionsResumeInTheNextController()
{
    // A restart with --session-file: the first controller stops keeping its sessions, events
    // keep coming meanwhile, and the next one resumes: every shard's sequence runs on with no
    // gap and no repeat, and nobody identifies again.
    QFETCH(bool, range);
    // Discord's interval: no heartbeat ACK is likely to be on its way when the run stops.
    auto server = startServer(2, 41250);
    QSignalSpy identified(server.get(), &EmulatorServer::clientIdentified);
    const QList<int> shards = range ? QList<int>{0, 1} : QList<int>{-1};
    const GatewayConfig config = clientConfig(*server, range);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"session.json"_s);
    const auto start = [&](ConnectionController &controller) {
        controller.setSessionFile(path);
        QString error;
        if (range)
            QVERIFY2(controller.connectShards(config, 0, 1, 0, &error), qPrintable(error));
        else
            controller.connectTo(config);
    };

    Consumer before;
    QStringList sessionIds;
    {
        ConnectionController first;
        before.attach(&first);
        start(first);
        QTRY_COMPARE_WITH_TIMEOUT(first.state(), State::Ready, 10000);
        server->generateEvents(200);
        for (int shard : shards) {
            // READY comes in a batch, which may follow the state change.
            QTRY_VERIFY_WITH_TIMEOUT(!before.sessionId(shard).isEmpty(), 5000);
            sessionIds.append(before.sessionId(shard));
            QTRY_COMPARE_WITH_TIMEOUT(before.lastSeq(shard),
                                      server->lastSequence(sessionIds.constLast()), 5000);
        }
        // Stopped with nothing in flight: Qt closes the TCP connection right after the close
        // frame, and events still arriving then can reset it before the server read the 4000,
        // which the emulator takes for a 1000 (a real server for a resumable drop).
        const QString line = first.stopKeepingSessions();
        QVERIFY2(line.contains(u"%1 session(s) saved"_s.arg(shards.size())), qPrintable(line));
    }
    QVERIFY(QFile::exists(path));
    QCOMPARE(identified.size(), shards.size());
    server->generateEvents(100); // while nobody is connected

    ConnectionController second;
    Consumer after;
    after.attach(&second);
    QSignalSpy established(&second, &ConnectionController::sessionEstablished);
    start(second);
    QVERIFY(!QFile::exists(path)); // used once
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), shards.size(), 10000);
    for (const QList<QVariant> &arguments : std::as_const(established))
        QVERIFY(arguments.at(2).toBool()); // resumed
    server->generateEvents(50);
    for (qsizetype i = 0; i < shards.size(); ++i) {
        const int shard = shards.at(i);
        QTRY_COMPARE_WITH_TIMEOUT(after.lastSeq(shard), server->lastSequence(sessionIds.at(i)),
                                  5000);
        const QList<qint64> seqs = before.sequences(shard) + after.sequences(shard);
        QCOMPARE(seqs.constFirst(), qint64(1));
        for (qsizetype j = 1; j < seqs.size(); ++j)
            QVERIFY2(seqs.at(j) == seqs.at(j - 1) + 1,
                     qPrintable(u"shard %1: %2 after %3"_s.arg(shard)
                                        .arg(seqs.at(j))
                                        .arg(seqs.at(j - 1))));
    }
    QCOMPARE(identified.size(), shards.size());
    second.stop(); // 1000 ends the sessions: the file may not name them
    QVERIFY(!QFile::exists(path));
}

void tst_ConnectionController::userDisconnectKeepsNoSessionFile()
{
    auto server = startServer();
    QTemporaryDir dir;
    const QString path = dir.filePath(u"session.json"_s);
    QFile corrupt(path);
    QVERIFY(corrupt.open(QIODevice::WriteOnly));
    corrupt.write("not a session file");
    corrupt.close();
    ConnectionController controller;
    QSignalSpy status(&controller, &ConnectionController::sessionFileStatus);
    controller.setSessionFile(path);
    controller.connectTo(clientConfig(*server));
    QCOMPARE(status.size(), 1);
    QVERIFY2(status.constFirst().constFirst().toString().contains(u"ignored"_s),
             qPrintable(status.constFirst().constFirst().toString()));
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Ready, 10000);
    controller.disconnectFromGateway();
    QVERIFY(!QFile::exists(path));
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Disconnected, 5000);
    const QString line = controller.stopKeepingSessions();
    QVERIFY2(line.contains(u"no session to keep"_s), qPrintable(line));
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(tst_ConnectionController)
#include "tst_connectioncontroller.moc"
