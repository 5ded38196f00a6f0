#include "core/connection/injectableclock.h"

#include <QDateTime>
#include <QElapsedTimer>

namespace Gatescope {

void InjectableClock::set(Clock monotonicMs, Clock wallMs)
{
    m_monotonic = std::move(monotonicMs);
    m_wall = std::move(wallMs);
}

qint64 InjectableClock::now() const
{
    if (m_monotonic)
        return m_monotonic();
    static const QElapsedTimer started = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return started.elapsed();
}

qint64 InjectableClock::wallNow() const
{
    return m_wall ? m_wall() : QDateTime::currentMSecsSinceEpoch();
}

} // namespace Gatescope
