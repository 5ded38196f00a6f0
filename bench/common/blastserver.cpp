#include "blastserver.h"

#include "core/gateway/closecodes.h"
#include "core/gateway/payload.h"
#include "core/gateway/streamdeflater.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Gatescope;

namespace {

/// One connection's outgoing stream. Every frame, including heartbeat ACKs sent after the blast,
/// goes through the same deflater, in the order the frames are sent.
struct Stream
{
    QWebSocket *socket = nullptr;
    bool identified = false;
    std::unique_ptr<StreamDeflater> deflater; ///< zlib-stream or zstd-stream; null: text frames

    QByteArray encode(const QByteArray &json) { return deflater ? deflater->compress(json) : json; }

    void send(const QByteArray &frame)
    {
        if (deflater)
            socket->sendBinaryMessage(frame);
        else
            socket->sendTextMessage(QString::fromUtf8(frame));
    }

    void close(CloseCodes::Code code, const QString &reason)
    {
        socket->close(QWebSocketProtocol::CloseCode(int(code)), reason);
    }
};

/// Why an Identify's data would be refused, or an empty string. Any token is accepted.
QString identifyProblem(const QJsonValue &d)
{
    const QJsonObject identify = d.toObject();
    if (!d.isObject())
        return u"Identify d is not an object"_s;
    if (identify.value("token"_L1).toString().isEmpty())
        return u"Identify without a token"_s;
    if (!identify.value("intents"_L1).isDouble())
        return u"Identify without intents"_s;
    const QJsonObject properties = identify.value("properties"_L1).toObject();
    for (const auto key : {"os"_L1, "browser"_L1, "device"_L1}) {
        if (!properties.value(key).isString())
            return u"Identify properties.%1 is missing"_s.arg(key);
    }
    return {};
}

} // namespace

BlastServer::BlastServer(const QList<QByteArray> &payloads, QObject *parent)
    : QObject(parent)
    , m_payloads(payloads)
{ }

BlastServer::~BlastServer() = default;

quint16 BlastServer::listen(quint16 port)
{
    m_server = new QWebSocketServer(u"blast"_s, QWebSocketServer::NonSecureMode, this);
    connect(m_server, &QWebSocketServer::newConnection, this, &BlastServer::onNewConnection);
    return m_server->listen(QHostAddress::LocalHost, port) ? m_server->serverPort() : 0;
}

void BlastServer::onNewConnection()
{
    auto stream = std::make_shared<Stream>();
    stream->socket = m_server->nextPendingConnection();
    const QString compress = QUrlQuery(stream->socket->requestUrl()).queryItemValue(u"compress"_s);
    stream->deflater
            = StreamDeflater::create(compressionFromName(compress).value_or(Compression::None));
    const QJsonObject ready{
            {u"v"_s, 10},
            {u"session_id"_s, u"blast"_s},
            {u"resume_gateway_url"_s, m_server->serverUrl().toString()},
            {u"user"_s,
             QJsonObject{{u"id"_s, u"1"_s}, {u"username"_s, u"bench"_s}, {u"bot"_s, true}}},
            {u"guilds"_s, QJsonArray()}};
    const QByteArray readyJson = Payload::dispatch(u"READY"_s, 1, ready).serialize();

    const auto onPayload = [this, stream, readyJson](const QByteArray &json) {
        const PayloadParseResult parsed = parsePayload(json);
        if (!parsed.ok())
            return stream->close(CloseCodes::DecodeError, parsed.error.message);
        switch (Opcode(parsed.payload.op)) {
        case Opcode::Heartbeat:
            stream->send(stream->encode(Payload::make(Opcode::HeartbeatAck).serialize()));
            return;
        case Opcode::Identify: {
            if (stream->identified)
                return stream->close(CloseCodes::AlreadyAuthenticated, u"already identified"_s);
            if (const QString problem = identifyProblem(parsed.payload.d); !problem.isEmpty())
                return stream->close(CloseCodes::DecodeError, problem);
            stream->identified = true;
            // Everything is encoded before READY goes out, so the measured part (READY → last
            // message) is only the transfer and the client's work.
            QList<QByteArray> frames;
            frames.reserve(m_payloads.size() + 1);
            frames.append(stream->encode(readyJson));
            for (const QByteArray &payload : std::as_const(m_payloads))
                frames.append(stream->encode(payload));
            for (const QByteArray &frame : std::as_const(frames))
                stream->send(frame);
            stream->socket->flush();
            return;
        }
        default:
            if (!stream->identified)
                return stream->close(CloseCodes::NotAuthenticated, u"identify first"_s);
        }
    };
    connect(stream->socket, &QWebSocket::textMessageReceived, this,
            [onPayload](const QString &text) { onPayload(text.toUtf8()); });
    connect(stream->socket, &QWebSocket::binaryMessageReceived, this, onPayload);
    connect(stream->socket, &QWebSocket::disconnected, this, [this, stream] {
        stream->socket->deleteLater();
        emit connectionEnded();
    });
    stream->send(stream->encode(Payload::make(Opcode::Hello, QJsonObject{{u"heartbeat_interval"_s,
                                                                          m_heartbeatIntervalMs}})
                                        .serialize()));
}
