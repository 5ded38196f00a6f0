#include "core/gateway/gatewayclient.h"
#include "emulator/emulatorserver.h"
#include "fastgatewayconfig.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Gatescope;
using namespace Gatescope::Emulator;
using namespace Qt::StringLiterals;
using State = GatewayClient::State;

namespace {
const QString Token = u"MTE0.shutdown-secret.dG9rZW4"_s;
}

/// A user's disconnect in every state of a connection: no crash, the socket gone, no timer that
/// fires afterwards (no new connection), and a 1000 close only when the user asked for it.
class tst_Shutdown : public QObject
{
    Q_OBJECT

private slots:
    void closeInEveryState_data();
    void closeInEveryState();
};

void tst_Shutdown::closeInEveryState_data()
{
    QTest::addColumn<State>("target");
    QTest::addColumn<QString>("via"); ///< how the client is led into the state
    QTest::addColumn<bool>("socketOpen"); ///< a WebSocket is open when the user closes
    QTest::newRow("connecting") << State::Connecting << QString() << false;
    QTest::newRow("identifying") << State::Identifying << QString() << true;
    QTest::newRow("ready") << State::Ready << QString() << true;
    QTest::newRow("resuming after op 7") << State::Resuming << u"op7"_s << true;
    QTest::newRow("backoff after close 4000") << State::Reconnecting << u"close"_s << false;
}

void tst_Shutdown::closeInEveryState()
{
    QFETCH(State, target);
    QFETCH(QString, via);
    QFETCH(bool, socketOpen);

    ServerConfig serverConfig;
    serverConfig.tokens = {Token};
    serverConfig.heartbeatIntervalMs = 250;
    serverConfig.heartbeatGraceMs = 2000;
    serverConfig.reconnectCloseDelayMs = 500;
    serverConfig.identifyWindowMs = 100;
    EmulatorServer server(serverConfig);
    QVERIFY(server.start());
    QList<QPair<int, bool>> closes; // (code, by the server) as the emulator saw them
    connect(&server, &EmulatorServer::clientClosed, this, [&closes](int, int code, bool byServer) {
        closes.append({code, byServer});
    });
    QSignalSpy connected(&server, &EmulatorServer::clientConnected);

    auto client = std::make_unique<GatewayClient>();
    const QPointer<GatewayClient> watch = client.get();
    GatewayConfig config = fastGatewayConfig();
    config.token = Token;
    config.gatewayUrl = server.gatewayUrl();
    config.minIdentifyIntervalMs = 150;
    config.backoffBaseMs = 300; // long enough to be closed inside
    config.backoffCapMs = 300;
    client->setConfig(config);

    bool faultSent = false;
    bool userClosed = false;
    connect(client.get(), &GatewayClient::stateChanged, this, [&](State state) {
        if (!via.isEmpty() && state == State::Ready && !faultSent) {
            faultSent = true;
            server.injectNow(via == "op7"_L1 ? Fault::make(Fault::Kind::Reconnect)
                                             : Fault::close(4000, u"test"_s));
            return;
        }
        // Closed from inside the state change itself: the harshest moment.
        if (state == target && !userClosed && (via.isEmpty() || faultSent)) {
            userClosed = true;
            client->close();
        }
    });
    QSignalSpy states(client.get(), &GatewayClient::stateChanged);
    client->open();
    QTRY_VERIFY_WITH_TIMEOUT(userClosed, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), State::Disconnected, 15000);

    const int connectionsAtClose = int(connected.size());
    if (socketOpen) {
        // The emulator saw the user's close: 1000, from the client.
        QTRY_VERIFY_WITH_TIMEOUT(!closes.isEmpty() && !closes.constLast().second, 15000);
        QCOMPARE(closes.constLast().first, 1000);
    }
    // Every 1000 the emulator saw came from this one user close.
    int userCloses = 0;
    for (const auto &[code, byServer] : std::as_const(closes))
        userCloses += code == 1000 ? 1 : 0;
    QVERIFY(userCloses <= 1);
    QCOMPARE(userCloses, socketOpen ? 1 : 0);

    client.reset();
    QVERIFY(watch.isNull());
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 15000);
    // No timer of the dead client fires: no new connection within several backoff periods.
    QVERIFY(!connected.wait(4 * config.backoffCapMs));
    QCOMPARE(int(connected.size()), connectionsAtClose);
}

QTEST_GUILESS_MAIN(tst_Shutdown)
#include "tst_shutdown.moc"
