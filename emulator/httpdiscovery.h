#pragma once

#include <QObject>

class QTcpSocket;

namespace Gatescope::Emulator {

class EmulatorServer;
struct HttpRequest;

/// The server's plain-HTTP side: reads each new TCP connection's request head, answers
/// `GET /api/v10/gateway` and `/gateway/bot` (with session_start_limit), and hands WebSocket
/// upgrades on `/` and `/resume` to the server's QWebSocketServer untouched (peeked, not read).
/// An unavailable resume endpoint drops its upgrades before the handshake.
///
/// Thread affinity: the server's. A child of EmulatorServer.
class HttpDiscovery : public QObject
{
    Q_OBJECT
public:
    explicit HttpDiscovery(EmulatorServer &server);

    /// Takes the connections waiting on the server's QTcpServer.
    void onTcpConnection();

private:
    void onHttpData(QTcpSocket *socket);
    void answerHttp(QTcpSocket *socket, const HttpRequest &request);

    EmulatorServer &m_server;
};

} // namespace Gatescope::Emulator
