#pragma once

#include "core/gateway/closecodes.h"
#include "core/gateway/exponentialbackoff.h"
#include "core/gateway/gatewaytypes.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

namespace Gatescope {

/// The session state machine of one gateway connection, with no socket, timer or signal
/// inside: it is told what happened (HELLO, a dispatch's sequence, READY, RESUMED, op 7, op 9,
/// a connection's end, an Identify sent) and answers what to do next (identify or resume, when
/// the first heartbeat falls due, reconnect after N ms to resume or identify, or stop and why).
/// GatewayClient owns one and carries out its answers with its transport, timers and send
/// queue; tst_gatewaysession drives it directly.
///
/// What it keeps: the session (id, resume URL, user, guilds), the last sequence (it only moves
/// forward; READY restarts it), the reconnect backoff, the resume-URL failures, the Identify
/// spacing, the closes before READY in a row, and the session starts left.
///
/// Time and randomness come from the injected clock (monotonic ms) and random source (uniform
/// in [0, 1)). A value type; not thread-safe (used in the client's thread).
class GatewaySession
{
    Q_GADGET

public:
    using Clock = std::function<qint64()>;
    using Random = std::function<double()>;

    /// What follows the end of a connection.
    enum class Next {
        Resume, ///< reconnect to the resume URL and send Resume
        Identify, ///< the session is gone: reconnect and Identify anew
        Stop, ///< no retry: a fatal close, closes before READY in a row, no session starts left
    };
    Q_ENUM(Next)

    struct Decision
    {
        Next next = Next::Identify;
        int delayMs = 0; ///< reconnect after this long (Resume/Identify)
        int attempt = 0; ///< the reconnect attempt since the last READY/RESUMED, from 1
        QString explanation; ///< Stop: a sentence for a person
        /// The close-code table's words for it, for `disconnected`.
        CloseCodes::Action action() const;
    };

    /// What HELLO starts.
    struct HelloPlan
    {
        bool valid = false; ///< false: HELLO had no usable heartbeat_interval
        int intervalMs = 0; ///< the server's, or a shorter override (clamped)
        int firstBeatMs = 0; ///< intervalMs × a random draw
        bool resume = false; ///< send Resume (else Identify)
    };

    /// Closes before READY in a row (each after an Identify) that stop the client.
    static constexpr int MaxClosesBeforeReady = 3;
    /// Heartbeats may use at most half of the send budget, whatever the override asks for.
    static constexpr int MinHeartbeatIntervalMs = 1000;

    GatewaySession();

    void setConfig(const GatewayConfig &config);
    /// Empty functions restore the real clock / random source.
    void setClock(Clock clock);
    void setRandom(Random random);
    /// A draw from the random source, kept inside [0, 1).
    double draw() const;

    /// open(): a fresh start (backoff, failures and the closes before READY forgotten).
    void start();
    /// Discovery's `session_start_limit`: Identifies stop once `remaining` is spent.
    void setBotInfo(const GatewayBotInfo &info);

    /// Whether the next connection goes to the resume URL.
    bool wantsResume() const;
    void connectionStarted(bool toResumeUrl);
    /// The WebSocket opened (a resume URL that opens is reachable again).
    void connectionOpened();
    HelloPlan onHello(int serverIntervalMs);

    /// Why no Identify may be sent now (session start limit spent), or nothing.
    std::optional<QString> identifyRefusal() const;
    void identifySent();

    /// A dispatch's sequence (-1 when null): true when it moved the sequence forward.
    bool noteSequence(const QString &type, qint64 seq);
    std::optional<qint64> lastSequence() const { return m_lastSeq; }

    /// READY's `d`; @p fallbackResumeUrl stands in for a missing or invalid resume URL.
    void onReady(const QJsonObject &d, const QUrl &fallbackResumeUrl);
    void onResumed();

    /// A connection ended with @p closeCode; @p action is what the close-code table says (the
    /// caller passes Resume for a socket that never opened). @p opened: the WebSocket had
    /// opened (a resume URL that fails to open twice in a row is given up for Identify).
    /// @p closedByServer: only a close the server chose counts towards the closes before READY
    /// that stop the client; the client's own zombie close or a drop of the network says
    /// nothing about the token, and a monitor must ride out a network outage.
    Decision onConnectionEnded(int closeCode, CloseCodes::Action action, bool opened,
                               bool closedByServer = true);
    /// op 9: resumable with a session → resume; otherwise the session is dropped and Identify
    /// follows after a random wait (or the client stops: closes before READY).
    Decision onInvalidSession(bool resumable);
    /// Discovery failed (not with 401): try again after the backoff.
    Decision onDiscoveryFailed();

    void dropSession();
    const SessionInfo &info() const { return m_info; }

    /// A session saved by an earlier run (`--session-file`): the next connection goes to
    /// @p resumeUrl and sends Resume with @p sequence (-1: none yet) instead of Identify. A
    /// failed resume (op 9 false, 4007/4009, the URL unreachable twice) drops it and Identify
    /// follows, as after any lost session. Call after start(); an empty id or an invalid URL
    /// leaves the machine as it is.
    void restoreSession(const QString &sessionId, const QUrl &resumeUrl, qint64 sequence);

private:
    /// Counts a pre-READY end of a connection that sent Identify; a Stop after too many.
    std::optional<Decision> stopIfNeverReady(int closeCode, bool counts = true);
    QString neverReadyExplanation() const;
    Decision reconnect(bool resume, int minimumDelayMs = 0);
    qint64 now() const { return m_clock(); }

    GatewayConfig m_config;
    Clock m_clock;
    Random m_random;
    ExponentialBackoff m_backoff;
    SessionInfo m_info;
    std::optional<qint64> m_lastSeq;
    bool m_toResumeUrl = false;
    int m_resumeUrlFailures = 0;
    qint64 m_lastIdentifyAt = -1; ///< clock ms of the last Identify
    bool m_identifiedOnThisConnection = false; ///< Identify sent, READY not yet received
    QList<int> m_closesBeforeReady; ///< codes of the closes in a row that came before READY
    std::optional<GatewayBotInfo> m_botInfo;
    std::optional<int> m_sessionStartsLeft;
};

} // namespace Gatescope
