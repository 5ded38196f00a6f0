#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

/// A tiny gateway for tests that need payloads the emulator would never send (a dispatch
/// without `d`, `d` as an array, hostile ids): Hello, READY after Identify, then the scripted
/// payloads exactly as given, text frames without compression (run the client with
/// `--compress none`). Heartbeats are ACKed. Records the close code of each connection.
class ScriptedGateway : public QObject
{
public:
    explicit ScriptedGateway(QList<QByteArray> afterReady, QObject *parent = nullptr)
        : QObject(parent)
        , m_server(QStringLiteral("scripted"), QWebSocketServer::NonSecureMode)
        , m_afterReady(std::move(afterReady))
    {
        QObject::connect(&m_server, &QWebSocketServer::newConnection, this,
                         [this] { onConnection(); });
    }

    bool start() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    /// The close code each finished connection ended with (as the client sent it).
    const QList<int> &closeCodes() const { return m_closeCodes; }
    int identifies() const { return m_identifies; }

private:
    void onConnection()
    {
        QWebSocket *socket = m_server.nextPendingConnection();
        if (!socket)
            return;
        socket->setParent(this);
        QObject::connect(socket, &QWebSocket::textMessageReceived, this,
                         [this, socket](const QString &text) { onText(socket, text.toUtf8()); });
        QObject::connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            m_closeCodes.append(int(socket->closeCode()));
            socket->deleteLater();
        });
        socket->sendTextMessage(QStringLiteral(R"({"op":10,"d":{"heartbeat_interval":45000}})"));
    }

    void onText(QWebSocket *socket, const QByteArray &json)
    {
        if (json.contains(R"("op":1,)") || json.contains(R"("op":1})")) {
            socket->sendTextMessage(QStringLiteral(R"({"op":11,"d":null})"));
            return;
        }
        if (!json.contains(R"("op":2,)") && !json.contains(R"("op":2})"))
            return;
        ++m_identifies;
        const QString ready
                = QStringLiteral(
                          R"({"t":"READY","s":1,"op":0,"d":{"v":10,"user":{"id":"10","username":"bot",)"
                          R"("bot":true},"guilds":[],"session_id":"scripted-session",)"
                          R"("resume_gateway_url":"%1","application":{"id":"10"}}})")
                          .arg(url().toString());
        socket->sendTextMessage(ready);
        for (const QByteArray &payload : std::as_const(m_afterReady))
            socket->sendTextMessage(QString::fromUtf8(payload));
    }

    QWebSocketServer m_server;
    QList<QByteArray> m_afterReady;
    QList<int> m_closeCodes;
    int m_identifies = 0;
};
