#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>

class QWebSocketServer;
class QWebSocket;

/// A minimal gateway for measuring ingest: Hello, READY after Identify, then every prepared
/// zlib-stream frame as fast as the socket takes them. ACKs heartbeats. Runs in its own thread so
/// the client under test has the other core.
class BlastServer : public QObject
{
    Q_OBJECT

public:
    /// @p payloads are the dispatches (JSON) to send after READY, in order.
    explicit BlastServer(const QList<QByteArray> &payloads, QObject *parent = nullptr);
    ~BlastServer() override;

    /// Listens on 127.0.0.1; returns the port (0 on failure).
    Q_INVOKABLE quint16 listen();
    /// Compressed size of the whole stream.
    qint64 wireBytes() const { return m_wireBytes; }

private:
    void onNewConnection();
    void onText(QWebSocket *socket, const QString &message);
    void blast(QWebSocket *socket);

    QWebSocketServer *m_server = nullptr;
    QList<QByteArray> m_payloads;
    qint64 m_wireBytes = 0;
};
