#pragma once

// A deliberately independent test client for the emulator's conformance suites: a raw QWebSocket,
// hand-written JSON and plain zlib inflate (not ZlibStreamInflater, not GatewayClient), so that
// the client code and the emulator cannot share a mistake.

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTest>
#include <QUrl>
#include <QWebSocket>

#include <zlib.h>

#include <functional>

class RawClient : public QObject
{
    Q_OBJECT
public:
    explicit RawClient(QObject *parent = nullptr)
        : QObject(parent)
    {
        connect(&socket, &QWebSocket::connected, this, [this] { connected = true; });
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            disconnected = true;
            closeCode = int(socket.closeCode());
            closeReason = socket.closeReason();
        });
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            textMessages.append(text.toUtf8());
            addPayload(text.toUtf8());
        });
        connect(&socket, &QWebSocket::binaryMessageReceived, this,
                [this](const QByteArray &data) { onBinary(data); });
    }
    ~RawClient() override
    {
        // Qt 6.4's ~QWebSocket on a socket still open sends a close frame and leaks the QString
        // of its reason (LeakSanitizer, issue 17); the connection ends here anyway.
        socket.abort();
        if (m_inflating)
            inflateEnd(&m_stream);
    }

    /// Opens @p base + @p query; @p zlib turns on inflating of binary messages.
    void open(const QUrl &base, const QString &query, bool zlib = false)
    {
        if (zlib) {
            m_stream = z_stream{};
            m_inflating = inflateInit(&m_stream) == Z_OK;
        }
        QUrl url = base;
        if (url.path().isEmpty())
            url.setPath(QStringLiteral("/"));
        url.setQuery(query);
        socket.open(url);
    }
    bool openAndWait(const QUrl &base, const QString &query = QStringLiteral("v=10&encoding=json"),
                     bool zlib = false)
    {
        open(base, query, zlib);
        return QTest::qWaitFor([this] { return connected || disconnected; }, 5000) && connected;
    }

    void send(const QByteArray &json) { socket.sendTextMessage(QString::fromUtf8(json)); }
    void identify(quint32 intents = 37377, const QByteArray &token = "test-token",
                  const QByteArray &extra = {})
    {
        send("{\"op\":2,\"d\":{\"token\":\"" + token
             + "\",\"intents\":" + QByteArray::number(intents)
             + ",\"properties\":{\"os\":\"linux\",\"browser\":\"raw\",\"device\":\"raw\"}" + extra
             + "}}");
    }
    void resume(const QString &sessionId, qint64 seq, const QByteArray &token = "test-token")
    {
        send("{\"op\":6,\"d\":{\"token\":\"" + token + "\",\"session_id\":\"" + sessionId.toUtf8()
             + "\",\"seq\":" + QByteArray::number(seq) + "}}");
    }

    /// The first payload matching @p predicate, or an empty object.
    QJsonObject find(const std::function<bool(const QJsonObject &)> &predicate) const
    {
        for (const QJsonObject &payload : payloads) {
            if (predicate(payload))
                return payload;
        }
        return {};
    }
    QJsonObject dispatch(const QString &type) const
    {
        return find([&](const QJsonObject &p) { return p.value(QLatin1StringView("t")) == type; });
    }
    int countOp(int op) const
    {
        int n = 0;
        for (const QJsonObject &payload : payloads)
            n += payload.value(QLatin1StringView("op")).toInt(-1) == op;
        return n;
    }
    int countDispatch(const QString &type) const
    {
        int n = 0;
        for (const QJsonObject &payload : payloads)
            n += payload.value(QLatin1StringView("t")) == type;
        return n;
    }
    bool waitForDispatch(const QString &type, int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] { return !dispatch(type).isEmpty(); }, timeoutMs);
    }
    bool waitForOp(int op, int count = 1, int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] { return countOp(op) >= count; }, timeoutMs);
    }
    bool waitForClose(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([this] { return disconnected; }, timeoutMs);
    }

    QWebSocket socket;
    bool connected = false;
    bool disconnected = false;
    int closeCode = 0;
    QString closeReason;
    QList<QJsonObject> payloads;
    QList<QByteArray> rawPayloads; ///< decoded payload bytes (inflated in zlib mode)
    QList<QByteArray> textMessages;
    QList<QByteArray> binaryMessages;
    int invalidPayloads = 0; ///< payloads that were not JSON objects
    bool inflateFailed = false;
    bool everyPayloadEndedWithMarker = true;

private:
    void addPayload(const QByteArray &bytes)
    {
        rawPayloads.append(bytes);
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            ++invalidPayloads;
            return;
        }
        payloads.append(document.object());
    }

    void onBinary(const QByteArray &data)
    {
        binaryMessages.append(data);
        if (!m_inflating) {
            ++invalidPayloads;
            return;
        }
        m_buffer += data;
        if (!m_buffer.endsWith(QByteArrayView("\x00\x00\xff\xff", 4)))
            return;
        QByteArray out;
        m_stream.next_in = reinterpret_cast<Bytef *>(m_buffer.data());
        m_stream.avail_in = uInt(m_buffer.size());
        char chunk[16384];
        do {
            m_stream.next_out = reinterpret_cast<Bytef *>(chunk);
            m_stream.avail_out = sizeof chunk;
            const int rc = inflate(&m_stream, Z_SYNC_FLUSH);
            if (rc != Z_OK && rc != Z_BUF_ERROR) {
                inflateFailed = true;
                m_buffer.clear();
                return;
            }
            out.append(chunk, qsizetype(sizeof chunk - m_stream.avail_out));
        } while (m_stream.avail_in > 0 || m_stream.avail_out == 0);
        m_buffer.clear();
        addPayload(out);
    }

    z_stream m_stream{};
    bool m_inflating = false;
    QByteArray m_buffer;
};
