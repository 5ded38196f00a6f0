#include "core/gateway/exponentialbackoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace Gatescope {

ExponentialBackoff::ExponentialBackoff(int baseMs, int capMs, Random random)
    : m_baseMs(std::max(1, baseMs))
    , m_capMs(std::max(m_baseMs, capMs))
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = [] {
            return QRandomGenerator::global()->generateDouble();
        };
}

int ExponentialBackoff::currentCeilingMs() const
{
    // Shift by at most 30 so the multiplication cannot overflow; the cap applies long before.
    const qint64 ceiling = qint64(m_baseMs) << std::min(m_attempt, 30);
    return int(std::min<qint64>(ceiling, m_capMs));
}

int ExponentialBackoff::next()
{
    const int ceiling = currentCeilingMs();
    ++m_attempt;
    const double r = std::clamp(m_random(), 0.0, 1.0);
    return std::min(ceiling - 1, int(r * ceiling));
}

} // namespace Gatescope
