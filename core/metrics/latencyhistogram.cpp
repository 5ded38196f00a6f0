#include "core/metrics/latencyhistogram.h"

#include <algorithm>

namespace Gatescope {

void LatencyHistogram::observe(int ms)
{
    ms = std::max(ms, 0);
    const auto bound = std::lower_bound(BoundsMs.cbegin(), BoundsMs.cend(), ms);
    ++m_counts[std::size_t(bound - BoundsMs.cbegin())];
    ++m_count;
    m_sumMs += quint64(ms);
}

void LatencyHistogram::add(const LatencyHistogram &other)
{
    for (std::size_t i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_count += other.m_count;
    m_sumMs += other.m_sumMs;
}

quint64 LatencyHistogram::cumulativeCount(qsizetype bucket) const
{
    quint64 total = 0;
    for (qsizetype i = 0; i <= bucket && i < qsizetype(m_counts.size()); ++i)
        total += m_counts[std::size_t(i)];
    return total;
}

} // namespace Gatescope
