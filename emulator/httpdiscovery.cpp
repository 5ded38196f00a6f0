#include "emulator/httpdiscovery.h"

#include "emulator/emulatorlogging.h"
#include "emulator/emulatorserver.h"
#include "emulator/httprequest.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator {

namespace {

constexpr int HttpHeadTimeoutMs = 10000;

QByteArray httpResponse(int status, const QByteArray &statusText, const QJsonObject &body)
{
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + statusText
           + "\r\nContent-Type: application/json\r\nContent-Length: "
           + QByteArray::number(json.size()) + "\r\nConnection: close\r\n\r\n" + json;
}

QJsonObject httpError(int status, const QString &text)
{
    return {{u"message"_s, u"%1: %2"_s.arg(status).arg(text)}, {u"code"_s, 0}};
}

} // namespace

HttpDiscovery::HttpDiscovery(EmulatorServer &server)
    : QObject(&server)
    , m_server(server)
{ }

void HttpDiscovery::onTcpConnection()
{
    while (QTcpSocket *socket = m_server.m_tcp->nextPendingConnection()) {
        auto *deadline = new QTimer(socket);
        deadline->setObjectName(u"gatescopeHttpDeadline"_s);
        deadline->setSingleShot(true);
        connect(deadline, &QTimer::timeout, socket, &QTcpSocket::abort);
        deadline->start(HttpHeadTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onHttpData(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [socket] { socket->deleteLater(); });
        if (socket->bytesAvailable() > 0)
            onHttpData(socket);
    }
}

void HttpDiscovery::onHttpData(QTcpSocket *socket)
{
    // peek, not read: a WebSocket upgrade must reach QWebSocketServer untouched.
    const QByteArray head = socket->peek(HttpRequest::MaxHeadBytes + 1);
    HttpRequest request;
    const HttpRequest::Status status = HttpRequest::parse(head, &request);
    if (status == HttpRequest::Status::Incomplete)
        return;
    QObject::disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    delete socket->findChild<QTimer *>(u"gatescopeHttpDeadline"_s);
    if (status != HttpRequest::Status::Complete) {
        const bool tooLarge = status == HttpRequest::Status::TooLarge;
        socket->write(tooLarge
                              ? httpResponse(431, "Request Header Fields Too Large",
                                             httpError(431, u"Request Header Fields Too Large"_s))
                              : httpResponse(400, "Bad Request", httpError(400, u"Bad Request"_s)));
        socket->disconnectFromHost();
        return;
    }
    if (!request.isWebSocketUpgrade()) {
        socket->read(request.headBytes);
        answerHttp(socket, request);
        return;
    }
    const QByteArray path = request.path();
    if (path == EmulatorServer::ResumePath && !m_server.m_resumeAvailable) {
        qCInfo(lcEmulator) << "resume endpoint unavailable: dropping the upgrade";
        socket->abort();
        emit m_server.resumeUpgradeRefused();
        return;
    }
    if (path != "/" && path != EmulatorServer::ResumePath) {
        socket->read(request.headBytes);
        socket->write(httpResponse(404, "Not Found", httpError(404, u"Not Found"_s)));
        socket->disconnectFromHost();
        return;
    }
    QObject::disconnect(socket, nullptr, this, nullptr);
    // QWebSocketServer does not take ownership of the socket: remember it until the QWebSocket
    // exists, then tie the two together (see EmulatorServer::onWebSocketConnection()).
    socket->setParent(nullptr);
    m_server.m_upgrading.insert(socket->peerPort(), socket);
    // A failed handshake closes the socket but nobody deletes it.
    connect(socket, &QTcpSocket::disconnected, this, [this, port = socket->peerPort(), socket] {
        if (m_server.m_upgrading.value(port) == socket) {
            m_server.m_upgrading.remove(port);
            socket->deleteLater();
        }
    });
    m_server.m_webSockets->handleConnection(socket);
}

void HttpDiscovery::answerHttp(QTcpSocket *socket, const HttpRequest &request)
{
    QByteArray path = request.path();
    if (path.size() > 1 && path.endsWith('/'))
        path.chop(1);
    QByteArray response;
    if (path != "/api/v10/gateway" && path != "/api/v10/gateway/bot") {
        response = httpResponse(404, "Not Found", httpError(404, u"Not Found"_s));
    } else if (request.method != "GET") {
        response = httpResponse(405, "Method Not Allowed", httpError(405, u"Method Not Allowed"_s));
    } else if (path == "/api/v10/gateway") {
        response = httpResponse(200, "OK", {{u"url"_s, m_server.gatewayUrl().toString()}});
    } else {
        const QByteArray authorization = request.header("authorization");
        bool authorised = false;
        for (const QString &token : std::as_const(m_server.m_config.tokens))
            authorised = authorised || authorization == "Bot " + token.toUtf8();
        if (!authorised) {
            response = httpResponse(401, "Unauthorized", httpError(401, u"Unauthorized"_s));
        } else {
            m_server.refreshSessionStartWindow();
            const qint64 resetAfter = qMax<qint64>(
                    0, m_server.m_config.sessionStartResetAfterMs
                               - (m_server.nowMs() - m_server.m_sessionStartWindowStartMs));
            const QJsonObject limit{{u"total"_s, m_server.m_config.sessionStartTotal},
                                    {u"remaining"_s, m_server.m_sessionStartRemaining},
                                    {u"reset_after"_s, resetAfter},
                                    {u"max_concurrency"_s, m_server.m_config.maxConcurrency}};
            response = httpResponse(200, "OK",
                                    {{u"url"_s, m_server.gatewayUrl().toString()},
                                     {u"shards"_s, m_server.m_config.recommendedShards},
                                     {u"session_start_limit"_s, limit}});
        }
    }
    socket->write(response);
    socket->disconnectFromHost();
}

} // namespace Gatescope::Emulator
