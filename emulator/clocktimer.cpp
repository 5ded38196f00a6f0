#include "emulator/clocktimer.h"

#include "emulator/emulatorclock.h"

#include <limits>

namespace Gatescope::Emulator {

ClockTimer::ClockTimer(EmulatorClock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(&clock)
{
    m_clock->add(this);
    connect(&m_timer, &QTimer::timeout, this, &ClockTimer::timeout);
}

ClockTimer::~ClockTimer()
{
    if (m_clock)
        m_clock->remove(this);
}

bool ClockTimer::isManual() const
{
    return m_clock && m_clock->isManual();
}

void ClockTimer::start()
{
    if (!isManual()) {
        m_timer.start();
        return;
    }
    m_dueMs = m_clock->nowMs() + qMax(0, m_timer.interval());
    m_startOrder = m_clock->nextStartOrder();
    m_manualActive = true;
}

void ClockTimer::start(int ms)
{
    m_timer.setInterval(ms);
    start();
}

void ClockTimer::stop()
{
    m_timer.stop();
    m_manualActive = false;
}

bool ClockTimer::isActive() const
{
    return isManual() ? m_manualActive : m_timer.isActive();
}

int ClockTimer::remainingTime() const
{
    if (!isManual())
        return m_timer.remainingTime();
    if (!m_manualActive)
        return -1;
    return int(
            qBound<qint64>(0, m_dueMs - m_clock->nowMs(), qint64(std::numeric_limits<int>::max())));
}

void ClockTimer::singleShot(EmulatorClock &clock, int ms, QObject *context,
                            std::function<void()> slot)
{
    auto *timer = new ClockTimer(clock, context);
    timer->setSingleShot(true);
    connect(timer, &ClockTimer::timeout, context, [timer, slot = std::move(slot)] {
        timer->deleteLater();
        slot();
    });
    timer->start(ms);
}

void ClockTimer::switchToManual(qint64 nowMs)
{
    if (!m_timer.isActive())
        return;
    m_dueMs = nowMs + qMax(0, m_timer.remainingTime());
    m_timer.stop();
    m_startOrder = m_clock->nextStartOrder();
    m_manualActive = true;
}

void ClockTimer::fireManually()
{
    if (isSingleShot()) {
        m_manualActive = false;
    } else {
        // A zero interval would fire forever within one advance(); QTimer fires it once per
        // event loop turn, a manual clock once per millisecond.
        m_dueMs += qMax(1, m_timer.interval());
        m_startOrder = m_clock->nextStartOrder();
    }
    emit timeout();
}

} // namespace Gatescope::Emulator
