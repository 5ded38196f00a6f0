// GatewayTransport's compressions against the real emulator, through GatewayClient (the one user
// of the transport): zstd-stream must hand over exactly what zlib-stream does.
#include "core/gateway/gatewayclient.h"
#include "core/gateway/gatewaytransport.h"
#include "core/gateway/zstdstreaminflater.h"
#include "emulator/emulatorserver.h"
#include "emulator/fault.h"
#include "fastgatewayconfig.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace Gatescope;
using namespace Gatescope::Emulator;
using namespace Qt::StringLiterals;

namespace {
const QString Token = u"transport.test.token"_s;

/// What a client handed over, one entry per dispatch, in order.
struct Received
{
    QList<qint64> seqs;
    QList<QString> types;
    QList<QByteArray> rawData;
    QList<quint64> messageIds;
    QList<QString> contents;

    qint64 lastSeq() const { return seqs.isEmpty() ? -1 : seqs.constLast(); }
};

ServerConfig serverConfig(bool splitFrames)
{
    ServerConfig config;
    config.tokens = {Token};
    config.heartbeatIntervalMs = 5000;
    config.heartbeatGraceMs = 5000;
    config.traffic.guildCount = 3;
    config.identifyWindowMs = 100;
    config.splitFrames = splitFrames;
    config.seed = 7;
    return config;
}

std::unique_ptr<GatewayClient> makeClient(const EmulatorServer &server, Compression compression,
                                          Received *received)
{
    GatewayConfig config = fastGatewayConfig();
    config.token = Token;
    config.gatewayUrl = server.gatewayUrl();
    config.compression = compression;
    config.minIdentifyIntervalMs = 150;
    auto client = std::make_unique<GatewayClient>();
    client->setConfig(config);
    QObject::connect(client.get(), &GatewayClient::eventsReady, client.get(),
                     [received](const GatewayEventBatch &events) {
                         for (const GatewayEvent &event : events) {
                             received->seqs.append(event.seq);
                             received->types.append(event.type);
                             received->rawData.append(event.rawData);
                             if (event.kind == GatewayEvent::Kind::MessageCreate) {
                                 received->messageIds.append(event.message.id);
                                 received->contents.append(event.message.content);
                             }
                         }
                     });
    return client;
}
} // namespace

class tst_GatewayTransport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void zstdStreamCarriesWhatZlibStreamCarries_data();
    void zstdStreamCarriesWhatZlibStreamCarries();
    void corruptZstdFrameReconnectsWithClearReason();
    void framesBeforeTheServersCloseAreRead();
};

void tst_GatewayTransport::initTestCase() { }

void tst_GatewayTransport::zstdStreamCarriesWhatZlibStreamCarries_data()
{
    QTest::addColumn<bool>("splitFrames");
    QTest::newRow("one payload per frame") << false;
    QTest::newRow("payloads split mid-payload") << true;
}

void tst_GatewayTransport::zstdStreamCarriesWhatZlibStreamCarries()
{
    if (!ZstdStreamInflater::isSupported())
        QSKIP("built without zstd-stream support");
    QFETCH(bool, splitFrames);
    // One emulator, so both sessions get the very same generated events (serialised once).
    EmulatorServer server(serverConfig(splitFrames));
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QList<QUrl> urls;
    connect(&server, &EmulatorServer::clientConnected, this,
            [&urls](int, const QUrl &url) { urls.append(url); });

    Received zlib;
    Received zstd;
    const auto zlibClient = makeClient(server, Compression::ZlibStream, &zlib);
    const auto zstdClient = makeClient(server, Compression::ZstdStream, &zstd);
    QSignalSpy zlibErrors(zlibClient.get(), &GatewayClient::connectionError);
    QSignalSpy zstdErrors(zstdClient.get(), &GatewayClient::connectionError);
    QSignalSpy zlibReady(zlibClient.get(), &GatewayClient::sessionEstablished);
    QSignalSpy zstdReady(zstdClient.get(), &GatewayClient::sessionEstablished);
    zlibClient->open();
    QVERIFY(zlibReady.wait(10000));
    zstdClient->open();
    QVERIFY(zstdReady.wait(10000));
    QCOMPARE(QUrlQuery(urls.constLast()).queryItemValue(u"compress"_s), u"zstd-stream"_s);

    // Both sessions are past their GUILD_CREATEs, at the same sequence, before traffic starts.
    const qint64 zlibStart = server.lastSequence(zlibClient->session().sessionId);
    const qint64 zstdStart = server.lastSequence(zstdClient->session().sessionId);
    QTRY_COMPARE_WITH_TIMEOUT(zlib.lastSeq(), zlibStart, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(zstd.lastSeq(), zstdStart, 10000);
    const qsizetype zlibBefore = zlib.seqs.size();
    const qsizetype zstdBefore = zstd.seqs.size();
    const qsizetype zlibMessagesBefore = zlib.messageIds.size();
    const qsizetype zstdMessagesBefore = zstd.messageIds.size();

    server.generateEvents(500);
    const qint64 zlibEnd = server.lastSequence(zlibClient->session().sessionId);
    const qint64 zstdEnd = server.lastSequence(zstdClient->session().sessionId);
    QCOMPARE(zlibEnd - zlibStart, zstdEnd - zstdStart);
    QTRY_COMPARE_WITH_TIMEOUT(zlib.lastSeq(), zlibEnd, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(zstd.lastSeq(), zstdEnd, 20000);

    QCOMPARE(zstd.types.sliced(zstdBefore), zlib.types.sliced(zlibBefore));
    QCOMPARE(zstd.rawData.sliced(zstdBefore), zlib.rawData.sliced(zlibBefore));
    QCOMPARE(zstd.messageIds.sliced(zstdMessagesBefore),
             zlib.messageIds.sliced(zlibMessagesBefore));
    QCOMPARE(zstd.contents.sliced(zstdMessagesBefore), zlib.contents.sliced(zlibMessagesBefore));
    QVERIFY(zstd.messageIds.size() - zstdMessagesBefore > 100);
    QCOMPARE(zlibErrors.size(), 0);
    QCOMPARE(zstdErrors.size(), 0);
    // Split frames: more binary messages than payloads reached the client.
    if (splitFrames)
        QVERIFY(zstdClient->metrics().framesIn > quint64(zstd.seqs.size()));
}

void tst_GatewayTransport::corruptZstdFrameReconnectsWithClearReason()
{
    if (!ZstdStreamInflater::isSupported())
        QSKIP("built without zstd-stream support");
    EmulatorServer server(serverConfig(false));
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    Received received;
    const auto client = makeClient(server, Compression::ZstdStream, &received);
    QSignalSpy established(client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy disconnected(client.get(), &GatewayClient::disconnected);
    client->open();
    QVERIFY(established.wait(10000));
    server.generateEvents(20);
    const qint64 before = server.lastSequence(client->session().sessionId);
    QTRY_COMPARE_WITH_TIMEOUT(received.lastSeq(), before, 10000);

    server.injectNow(Fault::withBytes(Fault::Kind::Garbage, 64));
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 10000);
    // The disconnect history says what went wrong, and that we closed.
    QCOMPARE(disconnected.size(), 1);
    const QString reason = disconnected.at(0).at(1).toString();
    QVERIFY2(reason.contains(u"corrupt zstd stream"_s), qPrintable(reason));
    QCOMPARE(disconnected.at(0).at(2).value<GatewayClient::Initiator>(),
             GatewayClient::Initiator::Client);
    // A fresh decompression context reads the new connection's stream; nothing was lost.
    QVERIFY(established.at(1).at(1).toBool()); // resumed
    server.generateEvents(20);
    const qint64 after = server.lastSequence(client->session().sessionId);
    QTRY_COMPARE_WITH_TIMEOUT(received.lastSeq(), after, 10000);
    for (qsizetype i = 1; i < received.seqs.size(); ++i)
        QCOMPARE(received.seqs.at(i), received.seqs.at(i - 1) + 1);
}

void tst_GatewayTransport::framesBeforeTheServersCloseAreRead()
{
    // The long soak's lost messages: a server's last dispatches, its close frame and its FIN
    // arrive together. QWebSocket reads frames in a queued slot, so disconnected() can come
    // first; handled at once, the dispatches were dropped and a 4009 was taken for a 1006.
    EmulatorServer server(serverConfig(false));
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    GatewayTransport transport;
    QList<QByteArray> payloads;
    connect(&transport, &GatewayTransport::payloadReceived, this,
            [&payloads](QByteArrayView json) { payloads.append(json.toByteArray()); });
    QSignalSpy opened(&transport, &GatewayTransport::opened);
    QSignalSpy closed(&transport, &GatewayTransport::closed);
    QUrl url = server.gatewayUrl();
    url.setPath(u"/"_s);
    url.setQuery(u"v=10&encoding=json"_s);
    transport.open(QNetworkRequest(url), Compression::None, 1 << 20);
    QVERIFY(opened.wait(10000));
    QVERIFY(transport.send(R"({"op":2,"d":{"token":")" + Token.toUtf8()
                           + R"(","intents":513,"properties":{"os":"linux","browser":"t",)"
                             R"("device":"t"}}})"));
    QSignalSpy identified(&server, &EmulatorServer::clientIdentified);
    QVERIFY(identified.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(payloads.size(), 1 + 1 + 3, 10000); // Hello, READY, GUILD_CREATE

    for (int i = 0; i < 5; ++i)
        server.emitDispatch(u"LAST_WORDS"_s, {{u"n"_s, i}});
    server.injectNow(Fault::close(4009, u"timed out"_s));
    // Read the frames and the FIN without returning to the event loop in between: the order a
    // busy client sees them in.
    auto *tcp = transport.findChild<QTcpSocket *>();
    QVERIFY(tcp);
    QVERIFY(tcp->waitForReadyRead(10000));
    if (tcp->state() != QAbstractSocket::UnconnectedState)
        QVERIFY(tcp->waitForDisconnected(10000));

    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 10000);
    QCOMPARE(closed.first().at(0).toInt(), 4009);
    QCOMPARE(payloads.size(), 5 + 5);
    const QJsonObject last = QJsonDocument::fromJson(payloads.constLast()).object();
    QCOMPARE(last.value("t"_L1).toString(), u"LAST_WORDS"_s);
    QCOMPARE(last.value("s"_L1).toInteger(), 9); // READY 1, GUILD_CREATE 2-4, these 5-9
}

QTEST_GUILESS_MAIN(tst_GatewayTransport)
#include "tst_gatewaytransport.moc"
