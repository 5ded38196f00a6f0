#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>

class QWebSocketServer;
class QWebSocket;

/// A minimal but strict gateway for measuring ingest. Sends Hello (with a configurable, long
/// heartbeat_interval), ACKs heartbeats, checks Identify's shape (any token), answers READY with a
/// session id and resume_gateway_url, then sends every prepared dispatch as fast as the socket
/// takes them and idles. `compress=zlib-stream` in the URL gives one deflate stream per connection
/// with a Z_SYNC_FLUSH per payload, `compress=zstd-stream` one zstd stream flushed per payload;
/// without either, frames are text. Closes 4002 on a payload it cannot
/// decode or a malformed Identify, 4003 on anything but Identify or a heartbeat before Identify,
/// 4005 on a second Identify.
///
/// Lives in the thread it was moved to; listen() must be called there. The socket objects are
/// its children.
class BlastServer : public QObject
{
    Q_OBJECT

public:
    /// @p payloads are the dispatches (JSON) to send after READY, in order.
    explicit BlastServer(const QList<QByteArray> &payloads, QObject *parent = nullptr);
    ~BlastServer() override;

    /// Hello's heartbeat_interval; 41250 ms (Discord's usual) by default.
    void setHeartbeatIntervalMs(int ms) { m_heartbeatIntervalMs = ms; }

    /// Listens on 127.0.0.1:@p port (0 = any free port); returns the port (0 on failure).
    Q_INVOKABLE quint16 listen(quint16 port = 0);

signals:
    /// A client's connection ended (closed by either side or dropped).
    void connectionEnded();

private:
    void onNewConnection();

    QWebSocketServer *m_server = nullptr;
    QList<QByteArray> m_payloads;
    int m_heartbeatIntervalMs = 41250;
};
