#pragma once

#include <QtGlobal>

#include <deque>

namespace Gatescope {

/// Discord allows 120 payloads per 60 s per connection, heartbeats included (protocol §7); one
/// more closes the connection with 4008. This sliding-window counter keeps room reserved for
/// heartbeats, Identify and Resume, so ordinary payloads can never starve them.
///
/// Time is passed in (monotonic ms), so tests drive it with an injected clock.
class SendLimiter
{
public:
    enum class Priority { Normal, Reserved };

    static constexpr int DefaultLimit = 120;
    static constexpr qint64 DefaultWindowMs = 60000;

    explicit SendLimiter(int limit = DefaultLimit, qint64 windowMs = DefaultWindowMs);

    /// How many of the limit only Reserved sends may use. Clamped to [0, limit - 1].
    void setReserved(int reserved);
    int reserved() const { return m_reserved; }
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
    mutable std::deque<qint64> m_sent;
};

} // namespace Gatescope
