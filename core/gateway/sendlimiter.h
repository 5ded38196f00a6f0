#pragma once

#include <QtGlobal>

#include <deque>

namespace Gatescope {

/// Discord allows 120 payloads per 60 s per connection, heartbeats included (protocol §7); one
/// more closes the connection with 4008. This sliding-window counter keeps room reserved for
/// heartbeats, Identify and Resume, so ordinary payloads can never starve them; and inside
/// that room a part only scheduled heartbeats may use, so a flood of server op 1 requests (whose
/// answers are Reserved sends) can never starve the beats that keep the connection alive.
///
/// Time is passed in (monotonic ms), so tests drive it with an injected clock.
class SendLimiter
{
public:
    enum class Priority {
        Normal, ///< application payloads: may not use the reserved room
        Reserved, ///< Identify, Resume, answers to op 1: may not use the heartbeat room
        Heartbeat, ///< the client's scheduled heartbeat: may use the whole limit
    };

    static constexpr int DefaultLimit = 120;
    static constexpr qint64 DefaultWindowMs = 60000;

    explicit SendLimiter(int limit = DefaultLimit, qint64 windowMs = DefaultWindowMs);

    /// How many of the limit only Reserved sends may use. Clamped to [0, limit - 1].
    void setReserved(int reserved);
    int reserved() const { return m_reserved; }
    /// How many of the limit only Heartbeat sends may use (part of reserved(), which grows to
    /// hold it). Clamped to [0, limit - 1].
    void setHeartbeatReserved(int reserved);
    int heartbeatReserved() const { return m_heartbeatReserved; }
    int limit() const { return m_limit; }

    /// Records a send at @p nowMs if one is allowed now; false if it must wait.
    bool tryAcquire(Priority priority, qint64 nowMs);
    /// Milliseconds until tryAcquire(priority) would succeed (0 = now).
    qint64 waitMs(Priority priority, qint64 nowMs) const;
    /// Sends counted in the window ending at @p nowMs.
    int used(qint64 nowMs) const;
    void reset() { m_sent.clear(); }

private:
    int capacity(Priority priority) const;
    void expire(qint64 nowMs) const;

    int m_limit;
    qint64 m_windowMs;
    int m_reserved = 0;
    int m_heartbeatReserved = 0;
    mutable std::deque<qint64> m_sent;
};

} // namespace Gatescope
