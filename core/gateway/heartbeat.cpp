#include "core/gateway/heartbeat.h"

#include <QtMath>

namespace Gatescope {

void Heartbeat::reset()
{
    m_inFlight.clear();
    m_framesSinceBeat = 0;
    m_answerOutstanding = false;
}

Heartbeat::Due Heartbeat::due() const
{
    if (m_inFlight.empty())
        return Due::Beat;
    if (m_framesSinceBeat > 0 && beatsInFlight() < MaxBeatsInFlight)
        return Due::BusyBeat;
    return Due::Zombie;
}

void Heartbeat::noteBeatSent(qint64 nowMs)
{
    m_inFlight.push_back(nowMs);
    m_framesSinceBeat = 0;
}

void Heartbeat::noteRequestAnswered(qint64 nowMs)
{
    noteBeatSent(nowMs);
    m_answerOutstanding = true;
}

std::optional<int> Heartbeat::noteAck(qint64 nowMs)
{
    m_answerOutstanding = false;
    if (m_inFlight.empty())
        return std::nullopt;
    m_lastLatencyMs = int(nowMs - m_inFlight.front());
    m_inFlight.pop_front();
    m_smoothedLatencyMs
            = m_smoothedLatencyMs < 0
                      ? m_lastLatencyMs
                      : m_smoothedLatencyMs
                                + LatencySmoothing * (m_lastLatencyMs - m_smoothedLatencyMs);
    return m_lastLatencyMs;
}

int Heartbeat::smoothedLatencyMs() const
{
    return m_smoothedLatencyMs < 0 ? -1 : qRound(m_smoothedLatencyMs);
}

} // namespace Gatescope
