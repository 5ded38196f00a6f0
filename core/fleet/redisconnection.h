#pragma once

#include "core/fleet/redisendpoint.h"
#include "core/fleet/redisreply.h"

#include <QByteArrayList>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>

class QSslSocket;
class QTcpSocket;

namespace Gatescope {

/// One asynchronous, pipelined connection to Redis. hiredis does the protocol only
/// (`redisFormatCommandArgv` encodes each command, a `redisReader` parses the replies); the I/O
/// is Qt's: a QTcpSocket for redis://, a QSslSocket for rediss://, in this object's event loop,
/// so TLS works (Debian's hiredis 0.14 has none) and nothing blocks.
///
/// Commands may be sent as fast as the caller likes: they are written at once (the socket
/// buffers them) and their replies come back in order, each to its own callback. A caller with
/// many commands encodes them into one buffer (RespWriter) and hands it to sendPipeline(): one
/// write, one callback for all their replies. AUTH, when
/// the endpoint has a password, is the first command of every connection; connected() follows
/// its OK. When the connection ends, every reply still owed is answered with
/// RedisReply::error(…, lost = true), disconnected() is emitted, and a new attempt follows
/// after reconnectIntervalMs (until close()).
///
/// Lives in the thread that created it (not thread-safe); owns its socket and reader.
class RedisConnection : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const RedisReply &)>;

    explicit RedisConnection(const RedisEndpoint &endpoint, QObject *parent = nullptr);
    ~RedisConnection() override;

    const RedisEndpoint &endpoint() const { return m_endpoint; }
    /// Between attempts after a failure or a lost connection (default 1000 ms).
    void setReconnectInterval(int ms) { m_reconnectTimer.setInterval(ms); }

    /// Connects (and keeps reconnecting until close()).
    void open();
    /// Disconnects; owed replies are answered as lost. No reconnect follows.
    void close();
    /// Connected and authenticated: send() reaches the server.
    bool isConnected() const { return m_ready; }
    /// Replies still owed.
    qsizetype pendingReplies() const { return m_owedReplies; }
    /// Bytes written to the socket and not yet sent.
    qint64 bytesToWrite() const;

    /// Sends one command (@p arguments, binary-safe); @p callback gets its reply, in order.
    /// When not connected the callback is answered at once with a lost error.
    void send(const QByteArrayList &arguments, Callback callback = {});
    /// Sends @p count commands that @p commands holds already encoded (RespWriter), as one
    /// write that goes out at once; @p callback gets each of their replies, in order. When not
    /// connected it is answered at once, @p count times, with a lost error.
    void sendPipeline(const QByteArray &commands, qsizetype count, Callback callback);
    /// hiredis' encoding of one command, for callers that build a pipeline themselves.
    static QByteArray format(const QByteArrayList &arguments);

signals:
    void connected();
    /// The connection ended or could not be made; @p reason is one line.
    void disconnected(const QString &reason);

private:
    void connectSocket();
    void onSocketConnected();
    void onReadyRead();
    void onSocketGone(const QString &reason);
    void failAll(const QString &reason);
    void sendRaw(const QByteArrayList &arguments, Callback callback);
    /// Hands on every whole reply the reader holds; false when the connection ended meanwhile.
    bool takeReplies(void *hiredisReader);
    void dispatch(const RedisReply &reply);

    struct ReaderDeleter
    {
        void operator()(void *reader) const;
    };

    RedisEndpoint m_endpoint;
    QTcpSocket *m_socket = nullptr; ///< child; a QSslSocket for rediss://
    std::unique_ptr<void, ReaderDeleter> m_reader; ///< hiredis redisReader
    /// Commands written (one callback for the `replies` of a pipeline), oldest first. Shared,
    /// so a callback that closes the connection is not destroyed while it runs.
    struct Owed
    {
        std::shared_ptr<const Callback> callback;
        qsizetype replies = 1;
    };
    std::deque<Owed> m_callbacks;
    qsizetype m_owedReplies = 0;
    QTimer m_reconnectTimer;
    bool m_wanted = false; ///< open() until close()
    bool m_ready = false;
    bool m_reportedDown = false; ///< disconnected() emitted since the last connected()
};

} // namespace Gatescope
