#pragma once

#include <QtGlobal>

#include <deque>
#include <optional>

namespace Gatescope {

/// The heartbeat bookkeeping of one connection, with no timer or socket inside: which beats are
/// still un-ACKed, how many frames arrived since the last beat, what to do when a beat falls
/// due, and the round-trip latency. Times are passed in (ms), so tests drive it directly.
///
/// A beat due while an ACK is outstanding is a zombie only when no frame at all arrived since
/// the last beat: a connection still delivering frames is busy (its ACK is queued behind
/// them), so the beat is sent anyway — up to MaxBeatsInFlight un-ACKed beats, a server that
/// streams events but never ACKs. ACKs are matched to beats oldest first.
///
/// A value type; not thread-safe (GatewayClient keeps one, in its thread).
class Heartbeat
{
public:
    /// What a beat falling due means.
    enum class Due {
        Beat, ///< every earlier beat was ACKed: send the next one
        BusyBeat, ///< ACKs outstanding, but frames kept arriving: send it anyway
        Zombie, ///< ACK outstanding and no frame since the last beat (or too many beats in flight)
    };

    static constexpr qsizetype MaxBeatsInFlight = 16;
    static constexpr double LatencySmoothing = 0.2;

    /// A new connection: forgets beats in flight (their ACKs will not come) and frames.
    void reset();
    /// A frame of any kind arrived.
    void noteFrame() { ++m_framesSinceBeat; }
    /// The decision when the beat timer fires.
    Due due() const;
    /// A beat left at @p nowMs.
    void noteBeatSent(qint64 nowMs);
    /// Whether a server op 1 should be answered now: not while an earlier answer still waits
    /// for an ACK (that answer serves the new request too), so a flood of op 1 costs one send
    /// per ACK rather than one per request.
    bool shouldAnswerRequest() const { return !m_answerOutstanding; }
    /// The answer to a server op 1 left at @p nowMs (a beat like any other).
    void noteRequestAnswered(qint64 nowMs);
    /// An ACK arrived at @p nowMs: the round trip of the oldest beat in flight, in ms, or
    /// nothing when no beat was in flight (a stray ACK).
    std::optional<int> noteAck(qint64 nowMs);

    bool awaitingAck() const { return !m_inFlight.empty(); }
    qsizetype beatsInFlight() const { return qsizetype(m_inFlight.size()); }
    quint64 framesSinceBeat() const { return m_framesSinceBeat; }
    /// Last round trip in ms, -1 before the first ACK.
    int lastLatencyMs() const { return m_lastLatencyMs; }
    /// Exponentially smoothed round trip (α = LatencySmoothing) in ms, -1 before the first ACK.
    int smoothedLatencyMs() const;

private:
    std::deque<qint64> m_inFlight; ///< send times of un-ACKed beats, oldest first
    quint64 m_framesSinceBeat = 0;
    bool m_answerOutstanding = false; ///< an answer to op 1 waits for an ACK
    int m_lastLatencyMs = -1;
    double m_smoothedLatencyMs = -1;
};

} // namespace Gatescope
