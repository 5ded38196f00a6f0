// ClientConnection's compressed output (zstd-stream here; zlib-stream is in tst_emulatorserver),
// read back with plain libzstd and QJsonDocument, never with Gatescope's own inflater, so that
// the client and the emulator cannot share a mistake.
#include "emulator/emulatorserver.h"
#include "emulator/serverconfig.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

#include <zstd.h>

#include <memory>

using namespace Gatescope;
using namespace Gatescope::Emulator;
using namespace Qt::StringLiterals;

namespace {
const QByteArray Identify = "{\"op\":2,\"d\":{\"token\":\"test-token\",\"intents\":37377,"
                            "\"properties\":{\"os\":\"linux\",\"browser\":\"raw\",\"device\":"
                            "\"raw\"}}}";

/// A raw QWebSocket with one plain ZSTD_DCtx. A payload is complete when the decompressed bytes
/// gathered since the last one parse as a JSON object (no prefix of an object does).
struct ZstdClient
{
    QWebSocket socket;
    ZSTD_DCtx *context = ZSTD_createDCtx();
    QList<QByteArray> messages;
    QByteArray gathered;
    QList<QJsonObject> payloads;
    int messagesEndingMidPayload = 0;
    QString zstdError;

    ZstdClient()
    {
        QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &socket,
                         [this](const QByteArray &message) { onMessage(message); });
    }
    ~ZstdClient() { ZSTD_freeDCtx(context); }

    void onMessage(const QByteArray &message)
    {
        messages.append(message);
        ZSTD_inBuffer in{message.constData(), std::size_t(message.size()), 0};
        char chunk[4096];
        for (;;) {
            ZSTD_outBuffer out{chunk, sizeof chunk, 0};
            const std::size_t rc = ZSTD_decompressStream(context, &out, &in);
            if (ZSTD_isError(rc)) {
                zstdError = QString::fromLatin1(ZSTD_getErrorName(rc));
                return;
            }
            gathered.append(chunk, qsizetype(out.pos));
            if (in.pos == in.size && out.pos < out.size)
                break;
        }
        const QJsonDocument document = QJsonDocument::fromJson(gathered);
        if (!document.isObject()) {
            ++messagesEndingMidPayload;
            return;
        }
        payloads.append(document.object());
        gathered.clear();
    }
    bool hasDispatch(const QString &type) const
    {
        for (const QJsonObject &payload : payloads) {
            if (payload.value("t"_L1).toString() == type)
                return true;
        }
        return false;
    }
};

std::unique_ptr<EmulatorServer> startServer(const ServerConfig &config)
{
    auto server = std::make_unique<EmulatorServer>(config);
    QString error;
    if (!server->start(&error))
        qFatal("cannot start the emulator: %s", qPrintable(error));
    return server;
}

QUrl zstdUrl(const EmulatorServer &server)
{
    QUrl url = server.gatewayUrl();
    url.setPath(u"/"_s);
    url.setQuery(u"v=10&encoding=json&compress=zstd-stream"_s);
    return url;
}
} // namespace

class tst_ClientConnection : public QObject
{
    Q_OBJECT

private slots:
    void zstdStreamDecompressesWithPlainZstd_data();
    void zstdStreamDecompressesWithPlainZstd();
    void zstdStreamCanBeRefused();
};

void tst_ClientConnection::zstdStreamDecompressesWithPlainZstd_data()
{
    QTest::addColumn<bool>("split");
    QTest::newRow("one payload per message") << false;
    QTest::newRow("split frames") << true;
}

void tst_ClientConnection::zstdStreamDecompressesWithPlainZstd()
{
    QFETCH(bool, split);
    ServerConfig config;
    config.heartbeatIntervalMs = 5000;
    config.traffic.guildCount = 3;
    config.splitFrames = split;
    auto server = startServer(config);
    ZstdClient client;
    QSignalSpy connected(&client.socket, &QWebSocket::connected);
    client.socket.open(zstdUrl(*server));
    QVERIFY(connected.wait(10000));
    client.socket.sendTextMessage(QString::fromUtf8(Identify));
    QTRY_VERIFY_WITH_TIMEOUT(client.hasDispatch(u"READY"_s) || !client.zstdError.isEmpty(), 10000);
    server->generateEvents(200);
    client.socket.sendTextMessage(u"{\"op\":1,\"d\":1}"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
            (!client.payloads.isEmpty() && client.payloads.last().value("op"_L1).toInt() == 11)
                    || !client.zstdError.isEmpty(),
            10000);

    QVERIFY2(client.zstdError.isEmpty(), qPrintable(client.zstdError));
    // One frame for the connection's life: its magic once, at the very start.
    QVERIFY(client.messages.first().startsWith("\x28\xb5\x2f\xfd"));
    for (qsizetype i = 1; i < client.messages.size(); ++i)
        QVERIFY(!client.messages.at(i).startsWith("\x28\xb5\x2f\xfd"));
    QCOMPARE(client.payloads.first().value("op"_L1).toInt(), 10);
    QVERIFY2(client.payloads.size() > 50, qPrintable(QString::number(client.payloads.size())));
    QVERIFY(client.gathered.isEmpty());
    if (split) {
        QVERIFY(client.messagesEndingMidPayload > 0);
        QVERIFY(client.messages.size() > client.payloads.size());
    } else {
        // Flushed per payload: every message is exactly one payload.
        QCOMPARE(client.messagesEndingMidPayload, 0);
        QCOMPARE(client.messages.size(), client.payloads.size());
    }
}

void tst_ClientConnection::zstdStreamCanBeRefused()
{
    ServerConfig config;
    config.allowZstdStream = false;
    auto server = startServer(config);
    QWebSocket socket;
    QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
    socket.open(zstdUrl(*server));
    QVERIFY(disconnected.wait(10000));
    QCOMPARE(int(socket.closeCode()), 1003);
    QVERIFY2(socket.closeReason().contains(u"zstd-stream"_s), qPrintable(socket.closeReason()));
}

QTEST_GUILESS_MAIN(tst_ClientConnection)
#include "tst_clientconnection.moc"
