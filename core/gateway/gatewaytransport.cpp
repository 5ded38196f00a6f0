#include "core/gateway/gatewaytransport.h"

#include "core/gateway/closecodes.h"
#include "core/gateway/redaction.h"
#include "core/logging.h"

#include <QTimer>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace Gatescope {

GatewayTransport::GatewayTransport(QObject *parent)
    : QObject(parent)
{ }

GatewayTransport::~GatewayTransport()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void GatewayTransport::open(const QNetworkRequest &request, Compression compression,
                            qint64 maxPayloadBytes)
{
    m_opened = false;
    m_inflater = inflaterFor(compression);
    if (m_inflater) {
        m_inflater->reset();
        m_inflater->setMaxPayloadBytes(maxPayloadBytes);
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(maxPayloadBytes));
    m_proxy = m_proxySettings.proxyFor(request.url());
    m_socket->setProxy(m_proxy);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_opened = true;
        emit opened();
    });
    // Queued: QWebSocket reads its socket in a queued slot, so when the peer's last frames and
    // its FIN arrive together, disconnected() can come before the frames are read. Handled
    // after them, the dispatches sent before a close and the close code itself are not lost
    // (a server's 4009 was taken for a 1006, its last dispatches dropped).
    connect(
            m_socket, &QWebSocket::disconnected, this,
            [this, socket = m_socket] {
                if (socket == m_socket)
                    onDisconnected();
            },
            Qt::QueuedConnection);
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &GatewayTransport::onSocketError);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &GatewayTransport::onBinaryMessage);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &GatewayTransport::onTextMessage);
    m_socket->open(request);
}

void GatewayTransport::retire(int closeCode, const QString &reason)
{
    if (!m_socket)
        return;
    QWebSocket *old = m_socket;
    m_socket = nullptr;
    old->disconnect(this);
    connect(old, &QWebSocket::disconnected, old, &QObject::deleteLater);
    if (old->state() == QAbstractSocket::ConnectedState) {
        old->close(QWebSocketProtocol::CloseCode(closeCode), reason);
        old->flush(); // the close frame leaves now, even when the client is deleted next
        // A peer that never answers the close frame must not keep the socket alive.
        QTimer::singleShot(2000, old, [old] { old->abort(); });
    } else {
        old->abort();
        old->deleteLater();
    }
}

bool GatewayTransport::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

bool GatewayTransport::send(const QByteArray &json)
{
    if (!isConnected())
        return false;
    m_socket->sendTextMessage(QString::fromUtf8(json));
    return true;
}

void GatewayTransport::onSocketError()
{
    if (!m_socket)
        return;
    const QString text = Redaction::redact(m_socket->errorString());
    qCInfo(lcGateway).noquote() << "socket error" << m_socket->error() << text;
    // Errors after the handshake are followed by disconnected(); only failed opens end here.
    if (m_opened)
        return;
    if (!reportProxyFailure())
        emit openFailed(u"could not connect: %1"_s.arg(text));
}

bool GatewayTransport::reportProxyFailure()
{
    const QString problem = ProxySettings::socketError(m_socket->error(), m_proxy);
    if (problem.isEmpty())
        return false;
    const QString text = Redaction::redact(m_socket->errorString());
    QWebSocket *old = m_socket;
    m_socket = nullptr;
    old->disconnect(this);
    old->deleteLater();
    emit openFailed(u"could not connect through a proxy: %1 (%2)"_s.arg(problem, text));
    return true;
}

void GatewayTransport::onDisconnected()
{
    if (!m_socket)
        return;
    // A proxy that fails the tunnel ends the socket without an error signal first: say whose
    // fault it was rather than "connection lost".
    if (!m_opened && reportProxyFailure())
        return;
    int code = m_socket->closeCode();
    QString reason = m_socket->closeReason();
    // Qt reports 1000 with an empty reason for a connection that ended without a close frame.
    if (code == QWebSocketProtocol::CloseCodeNormal && reason.isEmpty())
        code = QWebSocketProtocol::CloseCodeAbnormalDisconnection;
    if (reason.isEmpty()) {
        reason = CloseCodes::meaning(code);
        // Without a close frame the socket's error says what happened: a host that does not
        // resolve, a refused connection, a peer that vanished.
        if (code == QWebSocketProtocol::CloseCodeAbnormalDisconnection
            && m_socket->error() != QAbstractSocket::UnknownSocketError) {
            const QString text = Redaction::redact(m_socket->errorString());
            reason = m_opened ? u"%1: %2"_s.arg(reason, text)
                              : u"could not connect: %1"_s.arg(text);
        }
    }
    QWebSocket *old = m_socket;
    m_socket = nullptr;
    old->disconnect(this);
    old->deleteLater();
    emit closed(code, reason, m_opened);
}

StreamInflater *GatewayTransport::inflaterFor(Compression compression)
{
    switch (compression) {
    case Compression::ZlibStream:
        return &m_zlibInflater;
    case Compression::ZstdStream:
        return &m_zstdInflater;
    case Compression::None:
        break;
    }
    return nullptr;
}

void GatewayTransport::onBinaryMessage(const QByteArray &message)
{
    emit wireBytesReceived(message.size());
    if (!m_inflater) {
        emit streamFailed(u"unexpected binary frame on an uncompressed connection"_s);
        return;
    }
    const QWebSocket *socket = m_socket;
    QByteArrayView json;
    StreamInflater::Result result = m_inflater->feed(message, &json);
    // A zstd message may complete several payloads; a handler that ended this connection
    // (retire() or a new open()) gets none of the rest.
    while (result == StreamInflater::Result::PayloadReady) {
        emit payloadReceived(json, message.size(), true);
        if (m_socket != socket)
            return;
        result = m_inflater->nextPayload(&json);
    }
    if (result == StreamInflater::Result::Error) {
        // The stream cannot recover; the next open() brings a fresh inflater.
        emit streamFailed(m_inflater->errorString());
    }
}

void GatewayTransport::onTextMessage(const QString &message)
{
    const QByteArray json = message.toUtf8();
    emit wireBytesReceived(json.size());
    emit payloadReceived(json, json.size(), false);
}

} // namespace Gatescope
