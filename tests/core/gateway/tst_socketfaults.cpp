#include "core/gateway/gatewayclient.h"
#include "fastgatewayconfig.h"

#include "emulator/emulatorserver.h"

#include <QCryptographicHash>
#include <QHash>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {

const QString Token = u"MTAxNTk2.tst-socket-faults.c2VjcmV0"_s;

/// A gateway that goes wrong below the protocol: it accepts TCP and then never answers the
/// WebSocket handshake, or closes in the middle of its first frame, or sends Hello and then
/// neither reads nor answers (a half-open peer). Counts the connection attempts it sees.
class BrokenGateway : public QObject
{
public:
    enum class Mode { NoHandshake, CloseMidFrame, SilentAfterHello };

    explicit BrokenGateway(Mode mode)
        : m_mode(mode)
    {
        if (!m_tcp.listen(QHostAddress::LocalHost))
            qFatal("cannot listen");
        connect(&m_tcp, &QTcpServer::newConnection, this, [this] { accept(); });
    }

    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1"_s.arg(m_tcp.serverPort())); }
    int attempts() const { return m_attempts; }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_tcp.nextPendingConnection()) {
            ++m_attempts;
            socket->setParent(this);
            if (m_mode != Mode::NoHandshake)
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        }
    }

    void read(QTcpSocket *socket)
    {
        QByteArray &head = m_heads[socket];
        if (head.endsWith("\r\n\r\n"))
            return; // upgraded: whatever the client sends now goes unanswered
        head += socket->readAll();
        if (!head.contains("\r\n\r\n"))
            return;
        socket->write(upgradeResponse(head));
        head = head.left(head.indexOf("\r\n\r\n") + 4);
        if (m_mode == Mode::CloseMidFrame) {
            // A text frame header announcing 256 bytes, then 10 of them, then FIN.
            socket->write("\x81\x7e\x01\x00"_ba + QByteArray(10, 'x'));
            socket->disconnectFromHost();
            return;
        }
        const QByteArray hello = R"({"t":null,"s":null,"op":10,"d":{"heartbeat_interval":100}})"_ba;
        socket->write("\x81"_ba + char(hello.size()) + hello);
    }

    static QByteArray upgradeResponse(const QByteArray &head)
    {
        QByteArray key;
        for (const QByteArray &line : head.split('\n')) {
            if (line.toLower().startsWith("sec-websocket-key:"))
                key = line.mid(18).trimmed();
        }
        const QByteArray accept
                = QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                           QCryptographicHash::Sha1)
                          .toBase64();
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Accept: "
               + accept + "\r\n\r\n";
    }

    Mode m_mode;
    QTcpServer m_tcp;
    int m_attempts = 0;
    QHash<QTcpSocket *, QByteArray> m_heads;
};

GatewayConfig brokenConfig(const QUrl &url)
{
    GatewayConfig config = fastGatewayConfig();
    config.token = Token;
    config.gatewayUrl = url;
    config.compression = Compression::None;
    config.backoffBaseMs = 100;
    config.backoffCapMs = 400;
    config.handshakeTimeoutMs = 300;
    config.helloTimeoutMs = 300;
    config.minIdentifyIntervalMs = 0;
    return config;
}

/// The ceiling of the @p attempt th reconnect delay (full jitter below it).
int backoffCeiling(const GatewayConfig &config, int attempt)
{
    return int(qMin<qint64>(config.backoffCapMs, qint64(config.backoffBaseMs) << (attempt - 1)));
}

} // namespace

class tst_SocketFaults : public QObject
{
    Q_OBJECT
private slots:
    void reconnectsWithBackoff_data();
    void reconnectsWithBackoff();
    void unresolvableResumeHostFallsBackToIdentify();
    void floodKeepsTheServersWriteBufferBounded();
    void closeFromReconnectScheduledStaysClosed();
};

void tst_SocketFaults::reconnectsWithBackoff_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("reason");
    QTest::newRow("no handshake") << int(BrokenGateway::Mode::NoHandshake)
                                  << u"handshake timed out"_s;
    QTest::newRow("closed mid-frame")
            << int(BrokenGateway::Mode::CloseMidFrame) << u"closed|disconnect"_s;
    QTest::newRow("half-open after hello")
            << int(BrokenGateway::Mode::SilentAfterHello) << u"HEARTBEAT_ACK|heartbeat"_s;
}

void tst_SocketFaults::reconnectsWithBackoff()
{
    QFETCH(int, mode);
    QFETCH(QString, reason);
    constexpr int Reconnects = 5;
    BrokenGateway server{BrokenGateway::Mode(mode)};
    const GatewayConfig config = brokenConfig(server.url());
    GatewayClient client;
    client.setConfig(config);
    QSignalSpy disconnects(&client, &GatewayClient::disconnected);
    QList<std::pair<int, int>> scheduled; // attempt, delay
    connect(&client, &GatewayClient::reconnectScheduled, this, [&](int attempt, int delayMs) {
        scheduled.append({attempt, delayMs});
        if (scheduled.size() == Reconnects)
            client.close();
    });
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(scheduled.size(), Reconnects, 60000);

    // No spin: every connection the server saw followed a scheduled delay, and the delays
    // follow the backoff schedule (attempt numbers grow, each delay under its ceiling).
    QTRY_COMPARE_WITH_TIMEOUT(server.attempts(), Reconnects, 5000);
    QCOMPARE(client.state(), GatewayClient::State::Disconnected);
    for (int i = 0; i < Reconnects; ++i) {
        QCOMPARE(scheduled.at(i).first, i + 1);
        QVERIFY2(
                scheduled.at(i).second < backoffCeiling(config, i + 1),
                qPrintable(u"delay %1 ms for attempt %2"_s.arg(scheduled.at(i).second).arg(i + 1)));
    }
    // A clear reason for each reconnect in the disconnect records.
    QVERIFY(disconnects.size() >= Reconnects);
    const QRegularExpression expected(reason, QRegularExpression::CaseInsensitiveOption);
    for (qsizetype i = 0; i < Reconnects; ++i) {
        const QString text = disconnects.at(i).at(1).toString();
        QVERIFY2(expected.match(text).hasMatch(), qPrintable(u"reason: "_s + text));
    }
}

void tst_SocketFaults::unresolvableResumeHostFallsBackToIdentify()
{
    Emulator::ServerConfig serverConfig;
    serverConfig.tokens = {Token};
    serverConfig.identifyWindowMs = 0;
    serverConfig.resumeGatewayUrl = QUrl(u"ws://gateway.invalid"_s);
    Emulator::EmulatorServer server(serverConfig);
    QVERIFY(server.start());
    QSignalSpy identified(&server, &Emulator::EmulatorServer::clientIdentified);
    QSignalSpy connected(&server, &Emulator::EmulatorServer::clientConnected);

    GatewayConfig config = brokenConfig(server.gatewayUrl());
    config.compression = Compression::ZlibStream;
    GatewayClient client;
    client.setConfig(config);
    QSignalSpy disconnects(&client, &GatewayClient::disconnected);
    QSignalSpy scheduled(&client, &GatewayClient::reconnectScheduled);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), GatewayClient::State::Ready, 10000);

    server.injectNow(Emulator::Fault::make(Emulator::Fault::Kind::DropTcp));
    QTRY_COMPARE_WITH_TIMEOUT(identified.size(), 2, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), GatewayClient::State::Ready, 10000);
    // The drop, then config.resumeUrlAttempts failed lookups, then Identify on the gateway URL.
    QCOMPARE(disconnects.size(), 1 + config.resumeUrlAttempts);
    for (int i = 1; i <= config.resumeUrlAttempts; ++i) {
        const QString reason = disconnects.at(i).at(1).toString();
        QVERIFY2(reason.contains(u"could not connect"_s) && reason.contains(u"not found"_s),
                 qPrintable(u"reason: "_s + reason));
    }
    QCOMPARE(disconnects.last().at(3).value<CloseCodes::Action>(), CloseCodes::Action::Identify);
    QCOMPARE(scheduled.size(), 1 + config.resumeUrlAttempts);
    for (qsizetype i = 0; i < scheduled.size(); ++i)
        QCOMPARE(scheduled.at(i).at(0).toInt(), int(i + 1));
    QCOMPARE(connected.size(), 2); // the lookups never reached a server
}

void tst_SocketFaults::floodKeepsTheServersWriteBufferBounded()
{
    constexpr qint64 Bound = 256 * 1024;
    Emulator::ServerConfig serverConfig;
    serverConfig.maxPendingBytes = Bound;
    serverConfig.traffic.messageShare = 1.0;
    serverConfig.heartbeatIntervalMs = 60000;
    Emulator::EmulatorServer server(serverConfig);
    QVERIFY(server.start());

    // A client that upgrades and identifies, then never reads: the kernel buffers fill and the
    // server's own write buffer is all that can grow.
    QTcpSocket reader;
    reader.connectToHost(QHostAddress::LocalHost, server.port());
    QTRY_COMPARE_WITH_TIMEOUT(reader.state(), QAbstractSocket::ConnectedState, 10000);
    reader.write("GET /?v=10&encoding=json HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "Sec-WebSocket-Version: 13\r\n\r\n");
    QByteArray response;
    // The server runs in this thread: wait in the event loop, never in waitForReadyRead().
    QTRY_VERIFY_WITH_TIMEOUT((response += reader.readAll()).contains("\r\n\r\n"), 10000);
    QVERIFY2(response.startsWith("HTTP/1.1 101"), response.constData());
    reader.setReadBufferSize(1);
    const QByteArray identify = R"({"op":2,"d":{"token":"test-token","intents":37377,)"
                                R"("properties":{"os":"linux","browser":"t","device":"t"}}})"_ba;
    QVERIFY(identify.size() < 126); // the 7-bit length form; Qt rejects a longer form
    QByteArray frame = "\x81"_ba + char(0x80 | identify.size()) + QByteArray(4, '\0'); // mask 0
    frame += identify;
    reader.write(frame);
    QSignalSpy identified(&server, &Emulator::EmulatorServer::clientIdentified);
    QVERIFY(identified.wait(10000));

    // Sample the server's write buffer on every turn of a 5 ms timer while it floods a client
    // that reads nothing; once it has reached the bound, keep sampling for 200 more turns.
    qint64 most = 0;
    int samplesAtBound = 0;
    QTimer sampler;
    connect(&sampler, &QTimer::timeout, this, [&] {
        most = qMax(most, server.pendingBytes());
        samplesAtBound += most >= Bound ? 1 : 0;
    });
    sampler.start(5);
    server.setEventsPerSecond(20000);
    QTRY_VERIFY_WITH_TIMEOUT(samplesAtBound >= 200, 120000);
    server.setEventsPerSecond(0);
    sampler.stop();
    // One tick may overshoot the bound by what it generates (at most 50 ms of the rate).
    QVERIFY2(most < Bound + 2 * 1024 * 1024, qPrintable(u"pending bytes reached %1"_s.arg(most)));
}

void tst_SocketFaults::closeFromReconnectScheduledStaysClosed()
{
    BrokenGateway server{BrokenGateway::Mode::CloseMidFrame};
    GatewayClient client;
    client.setConfig(brokenConfig(server.url()));
    int delayMs = -1;
    connect(&client, &GatewayClient::reconnectScheduled, this, [&](int, int delay) {
        delayMs = delay;
        client.close();
    });
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(delayMs >= 0, 10000);
    // A timer armed now with the same delay fires after the client's reconnect timer would have.
    bool due = false;
    QTimer::singleShot(delayMs + 1, this, [&] { due = true; });
    QTRY_VERIFY_WITH_TIMEOUT(due, 10000);
    QCoreApplication::processEvents();
    QCOMPARE(client.state(), GatewayClient::State::Disconnected);
    QCOMPARE(server.attempts(), 1);
}

QTEST_MAIN(tst_SocketFaults)
#include "tst_socketfaults.moc"
