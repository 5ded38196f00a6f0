#include "core/gateway/sendlimiter.h"

#include <algorithm>

namespace Gatescope {

SendLimiter::SendLimiter(int limit, qint64 windowMs)
    : m_limit(std::max(1, limit))
    , m_windowMs(std::max<qint64>(1, windowMs))
{ }

void SendLimiter::setReserved(int reserved)
{
    m_reserved = std::clamp(reserved, 0, m_limit - 1);
}

void SendLimiter::setHeartbeatReserved(int reserved)
{
    m_heartbeatReserved = std::clamp(reserved, 0, m_limit - 1);
}

int SendLimiter::capacity(Priority priority) const
{
    switch (priority) {
    case Priority::Heartbeat:
        return m_limit;
    case Priority::Reserved:
        return m_limit - m_heartbeatReserved;
    case Priority::Normal:
        break;
    }
    return m_limit - std::max(m_reserved, m_heartbeatReserved);
}

void SendLimiter::expire(qint64 nowMs) const
{
    while (!m_sent.empty() && m_sent.front() <= nowMs - m_windowMs)
        m_sent.pop_front();
}

int SendLimiter::used(qint64 nowMs) const
{
    expire(nowMs);
    return int(m_sent.size());
}

bool SendLimiter::tryAcquire(Priority priority, qint64 nowMs)
{
    if (used(nowMs) >= capacity(priority))
        return false;
    m_sent.push_back(nowMs);
    return true;
}

qint64 SendLimiter::waitMs(Priority priority, qint64 nowMs) const
{
    const int excess = used(nowMs) - capacity(priority);
    if (excess < 0)
        return 0;
    // The (excess+1)-th oldest send must leave the window before one more fits.
    const qint64 leavesAt = m_sent[size_t(excess)] + m_windowMs;
    return std::max<qint64>(1, leavesAt - nowMs);
}

} // namespace Gatescope
