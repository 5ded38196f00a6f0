#include "blastserver.h"

#include "core/gateway/payload.h"
#include "core/gateway/zlibstreamdeflater.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;
using namespace Gatescope;

BlastServer::BlastServer(const QList<QByteArray> &payloads, QObject *parent)
    : QObject(parent)
    , m_payloads(payloads)
{ }

BlastServer::~BlastServer() = default;

quint16 BlastServer::listen()
{
    m_server = new QWebSocketServer(u"blast"_s, QWebSocketServer::NonSecureMode, this);
    connect(m_server, &QWebSocketServer::newConnection, this, &BlastServer::onNewConnection);
    return m_server->listen(QHostAddress::LocalHost) ? m_server->serverPort() : 0;
}

void BlastServer::onNewConnection()
{
    QWebSocket *socket = m_server->nextPendingConnection();
    const bool zlib
            = QUrlQuery(socket->requestUrl()).queryItemValue(u"compress"_s) == "zlib-stream"_L1;

    // Everything is encoded before Hello, so the measured part (READY → last message) is only
    // the transfer and the client's work.
    ZlibStreamDeflater deflater;
    const auto encode = [&](const QByteArray &json) {
        return zlib ? deflater.compress(json) : json;
    };
    const QByteArray hello
            = encode(Payload::make(Opcode::Hello, QJsonObject{{u"heartbeat_interval"_s, 41250}})
                             .serialize());
    const QJsonObject ready{
            {u"v"_s, 10},
            {u"session_id"_s, u"blast"_s},
            {u"resume_gateway_url"_s, m_server->serverUrl().toString()},
            {u"user"_s,
             QJsonObject{{u"id"_s, u"1"_s}, {u"username"_s, u"bench"_s}, {u"bot"_s, true}}},
            {u"guilds"_s, QJsonArray()}};
    auto frames = std::make_shared<QList<QByteArray>>();
    frames->reserve(m_payloads.size() + 1);
    frames->append(encode(Payload::dispatch(u"READY"_s, 1, ready).serialize()));
    for (const QByteArray &json : std::as_const(m_payloads))
        frames->append(encode(json));
    // The ACK is encoded on demand with a stream of its own only for uncompressed runs; the
    // client under test does not beat during a run (41 s interval, first beat jittered).
    for (const QByteArray &frame : std::as_const(*frames))
        m_wireBytes += frame.size();

    const auto send = [socket, zlib](const QByteArray &frame) {
        if (zlib)
            socket->sendBinaryMessage(frame);
        else
            socket->sendTextMessage(QString::fromUtf8(frame));
    };
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QWebSocket::textMessageReceived, this,
            [socket, frames, send](const QString &text) {
                if (parsePayload(text.toUtf8()).payload.op != int(Opcode::Identify))
                    return;
                for (const QByteArray &frame : std::as_const(*frames))
                    send(frame);
                socket->flush();
            });
    send(hello);
}
