#pragma once

#include "core/gateway/gatewaytypes.h"
#include "core/gateway/streamdeflater.h"
#include "emulator/clocktimer.h"

#include <QByteArray>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>

#include <deque>

class QWebSocket;

namespace Gatescope::Emulator {

/// The server's side of one WebSocket connection: how payloads are written (text, or
/// zlib-stream or zstd-stream binary messages, optionally split and paced) and the per-connection
/// protocol state that EmulatorServer keeps. Owns its QWebSocket; owned by the server. Its
/// deadlines and the slow-write pacing count on the server's EmulatorClock; the close
/// handshake's timeout is about the socket and stays on real time.
class ClientConnection : public QObject
{
    Q_OBJECT
public:
    enum class State {
        AwaitingAuth, ///< Hello sent, waiting for Identify or Resume
        Authenticated, ///< READY or RESUMED sent; live events flow
        Closing, ///< the server closed or aborted; nothing more is sent
    };
    Q_ENUM(State)

    ClientConnection(int id, QWebSocket *socket, Compression compression, int zlibLevel,
                     bool splitFrames, quint64 seed, EmulatorClock &clock,
                     QObject *parent = nullptr);
    ~ClientConnection() override;

    int id() const { return m_id; }
    QWebSocket *socket() const { return m_socket; }
    Compression compression() const { return m_compression; }
    bool isResumeEndpoint() const { return m_resumeEndpoint; }
    void setResumeEndpoint(bool resume) { m_resumeEndpoint = resume; }

    /// Writes one payload: a text message, or compressed and flushed binary message(s).
    void sendPayload(const QByteArray &json);
    /// Hands everything buffered to the kernel now instead of one chunk per event loop turn.
    void flush();
    /// Bytes written but not yet taken by the kernel.
    qint64 pendingBytes() const;
    /// Writes @p bytes untouched as one binary message (garbage faults).
    void sendRawBinary(const QByteArray &bytes);
    /// Writes the first half of @p json's compressed form (text mode: of the JSON itself).
    void sendTruncated(const QByteArray &json);
    /// Closes with a close frame; later payloads are dropped. Aborts if the peer never answers.
    void closeWith(int code, const QString &reason);
    /// Drops TCP without a close frame.
    void abort();
    /// Paces output at @p bytesPerSecond (0 = unpaced), message by message.
    void setSlowWrite(qint64 bytesPerSecond);
    /// Bytes that slow-write pacing still holds back (not yet given to the socket).
    qint64 heldBackBytes() const { return m_slowQueuedBytes; }

    bool closedByServer() const { return m_closedByServer; }
    int serverCloseCode() const { return m_serverCloseCode; }
    /// True if the client sent a close frame; peerCloseCode() is then its code.
    bool peerSentClose() const { return m_peerSentClose; }
    int peerCloseCode() const { return m_peerCloseCode; }
    quint64 payloadsSent() const { return m_payloadsSent; }
    quint32 randomBounded(quint32 lowest, quint32 highest)
    {
        return m_random.bounded(lowest, highest + 1);
    }

    // Protocol state, read and written by EmulatorServer.
    State state = State::AwaitingAuth;
    QString sessionId; ///< the attached session, empty before READY/RESUMED
    std::deque<qint64> recentPayloadMs; ///< client payload times inside the rate-limit window
    ClockTimer heartbeatDeadline; ///< fires when the client missed its heartbeat
    ClockTimer authDeadline; ///< fires when no Identify/Resume came in time
    bool heartbeatRequested = false; ///< the server sent op 1 and waits for the answer
    /// Fault::Kind::Silence: dispatches are recorded in the session but not sent; heartbeats
    /// are still ACKed.
    bool silenced = false;

signals:
    /// The socket is gone (close handshake done or TCP lost).
    void finished();

private:
    void write(const QByteArray &data, bool binary);
    void writeNow(const QByteArray &data, bool binary);
    void drainSlowQueue();
    void writeFirstHeldBack();
    void clearSlowQueue();

    int m_id = 0;
    QWebSocket *m_socket = nullptr;
    Compression m_compression = Compression::None;
    bool m_splitFrames = false;
    bool m_resumeEndpoint = false;
    std::unique_ptr<StreamDeflater> m_deflater; ///< null for uncompressed connections
    QRandomGenerator m_random;
    bool m_closedByServer = false;
    int m_serverCloseCode = 0;
    bool m_peerSentClose = false;
    int m_peerCloseCode = 0;
    quint64 m_payloadsSent = 0;

    struct Pending
    {
        QByteArray data;
        bool binary = false;
    };
    qint64 m_slowBytesPerSecond = 0;
    double m_slowBudget = 0;
    std::deque<Pending> m_slowQueue;
    qint64 m_slowQueuedBytes = 0;
    ClockTimer m_slowTimer;
    QTimer m_closeTimeout;
};

} // namespace Gatescope::Emulator
