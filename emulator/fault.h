#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include <optional>

namespace Gatescope::Emulator {

/// One misbehaviour the emulator can inflict on its clients, and when.
///
/// Spec grammar (command line `--fault`, fault files, Fault::parse):
///
///     SPEC     := ACTION [ "@" WHEN ]
///     ACTION   := drop | stop-acks | resume-acks | ack-delay:MS[-MS] | op7 | op9:true|false
///               | close:CODE[:REASON] | garbage[:BYTES] | truncated-zlib | invalid-json
///               | oversized[:BYTES] | op1 | slow:BYTES_PER_SECOND | silence[:SHARD]
///               | end-silence[:SHARD]
///     WHEN     := at:DURATION | every:DURATION | after:MESSAGES
///     DURATION := N "ms" | N "s" | N "m"          BYTES := N | N "k" | N "m" (KiB, MiB)
///
/// Lasting modes (stop-acks, resume-acks, ack-delay, slow) apply at once when WHEN is omitted;
/// one-shot actions need a WHEN. `at:` counts from the server's start, `after:` counts generated
/// MESSAGE_CREATE events (fires once), `every:` repeats.
struct Fault
{
    Q_GADGET
public:
    enum class Kind {
        DropTcp, ///< abort the TCP connection, no close frame
        StopAcks, ///< stop answering heartbeats (lasting)
        ResumeAcks, ///< answer heartbeats again, without delay (lasting)
        AckDelay, ///< answer each heartbeat after a uniform random delay in [min, max] ms (lasting)
        Reconnect, ///< send op 7, close with 4000 a little later if the client does not
        InvalidSession, ///< send op 9 with `resumable`; false also destroys the session
        Close, ///< close with closeCode and closeReason
        Garbage, ///< send `bytes` random bytes as a binary message
        TruncatedZlib, ///< send the first half of a compressed payload (text: of the JSON)
        InvalidJson, ///< send a payload that is not JSON (compressed properly in zlib mode)
        Oversized, ///< send one valid dispatch of at least `bytes` bytes
        RequestHeartbeat, ///< send op 1; the client must answer within the grace time
        SlowWrite, ///< pace every connection's output at `bytes` per second, 0 = off (lasting)
        /// The live connections (of `shard` only, when ≥ 0) get no more dispatches but go on
        /// ACKing heartbeats: a "connected but silent" shard. Their sessions keep recording what
        /// they miss, so a Resume on a new connection (which is not silenced) replays it.
        Silence,
        /// The silenced live connections (of `shard` only, when ≥ 0) get dispatches again, from
        /// the next one on (what they missed stays missed, as the sequence gap shows).
        EndSilence,
    };
    Q_ENUM(Kind)

    enum class Trigger {
        Now, ///< when added to a plan (or given to injectNow)
        At, ///< once, triggerValue ms after the server started
        Every, ///< every triggerValue ms
        AfterMessages, ///< once, when triggerValue MESSAGE_CREATE events have been generated
    };
    Q_ENUM(Trigger)

    Kind kind = Kind::DropTcp;
    int closeCode = 4000;
    QString closeReason;
    bool resumable = false;
    int minDelayMs = 0;
    int maxDelayMs = 0;
    qint64 bytes = 0;
    Trigger trigger = Trigger::Now;
    qint64 triggerValue = 0;
    int shard = -1; ///< Silence, EndSilence: the shard whose connections, -1 = every connection

    /// Parses one spec (grammar above). On failure returns nullopt and a one-line reason.
    static std::optional<Fault> parse(const QString &spec, QString *error = nullptr);
    /// The spec this fault would be parsed from.
    QString toSpec() const;
    /// True for the lasting modes (acks, ack delay, slow writes), which change every connection.
    bool isMode() const;
    /// The grammar as help text for `gatescope-emulator --help`.
    static QString grammarHelp();

    static Fault make(Kind kind);
    static Fault close(int code, const QString &reason = {});
    static Fault ackDelay(int minMs, int maxMs);
    static Fault invalidSession(bool resumable);
    static Fault withBytes(Kind kind, qint64 bytes);
    /// Silence (or, with @p end, its end) for the connections of @p shard (-1 = every one).
    static Fault silence(int shard = -1, bool end = false);
    /// A close code a server may send: RFC 6455 §7.4 as Qt 6.4 validates it (1012–1014 are
    /// rejected by QWebSocket as a protocol error, so they are not offered).
    static bool isSendableCloseCode(int code);
};

} // namespace Gatescope::Emulator

Q_DECLARE_METATYPE(Gatescope::Emulator::Fault)
