#include "emulator/emulatorclock.h"

#include "emulator/clocktimer.h"

#include <algorithm>

namespace Gatescope::Emulator {

EmulatorClock::EmulatorClock()
{
    m_elapsed.start();
}

EmulatorClock::~EmulatorClock()
{
    for (ClockTimer *timer : m_timers)
        timer->forgetClock();
}

qint64 EmulatorClock::nowMs() const
{
    return m_manual ? m_manualNowMs : m_elapsed.elapsed();
}

void EmulatorClock::useManualTime()
{
    if (m_manual)
        return;
    m_manualNowMs = m_elapsed.elapsed();
    m_manual = true;
    for (ClockTimer *timer : m_timers)
        timer->switchToManual(m_manualNowMs);
}

void EmulatorClock::advance(qint64 ms)
{
    if (!m_manual)
        return;
    const qint64 target = m_manualNowMs + qMax<qint64>(0, ms);
    // Found anew after every firing: a timer's slot may start, stop or delete timers.
    while (ClockTimer *timer = firstDue(target)) {
        m_manualNowMs = qMax(m_manualNowMs, timer->m_dueMs);
        timer->fireManually();
    }
    m_manualNowMs = target;
}

void EmulatorClock::add(ClockTimer *timer)
{
    m_timers.push_back(timer);
}

void EmulatorClock::remove(ClockTimer *timer)
{
    m_timers.erase(std::remove(m_timers.begin(), m_timers.end(), timer), m_timers.end());
}

ClockTimer *EmulatorClock::firstDue(qint64 untilMs) const
{
    ClockTimer *first = nullptr;
    for (ClockTimer *timer : m_timers) {
        if (!timer->m_manualActive || timer->m_dueMs > untilMs)
            continue;
        if (!first || timer->m_dueMs < first->m_dueMs
            || (timer->m_dueMs == first->m_dueMs && timer->m_startOrder < first->m_startOrder))
            first = timer;
    }
    return first;
}

} // namespace Gatescope::Emulator
