#pragma once

#include <QtGlobal>

#include <array>

namespace Gatescope {

/// Heartbeat round trips (op 1 sent → op 11 received) counted in fixed buckets, for the
/// `gatescope_heartbeat_latency_seconds` histogram. A small value type: GatewayClient keeps one
/// in its GatewayMetrics, so it is copied with the other counters once a second and summed over
/// a range like them.
///
/// The bounds suit a gateway round trip: a few ms on loopback, 20–150 ms to Discord, seconds
/// only when a connection is choking. They never change, so series stay comparable over time.
class LatencyHistogram
{
public:
    /// Upper bounds of the buckets, in ms (a round trip of exactly a bound counts in it).
    static constexpr std::array<int, 12> BoundsMs{5,   10,  25,  50,   75,   100,
                                                  150, 250, 500, 1000, 2500, 5000};

    /// Counts one round trip of @p ms (negative values count as 0).
    void observe(int ms);
    /// Adds @p other's counts (a range's shards summed).
    void add(const LatencyHistogram &other);

    /// Round trips counted.
    quint64 count() const { return m_count; }
    /// Their sum, in ms.
    quint64 sumMs() const { return m_sumMs; }
    /// Round trips of at most BoundsMs[@p bucket] ms (cumulative, as Prometheus wants them).
    quint64 cumulativeCount(qsizetype bucket) const;

    bool operator==(const LatencyHistogram &other) const = default;

private:
    /// Per bucket, not cumulative; the last one holds round trips above every bound.
    std::array<quint64, BoundsMs.size() + 1> m_counts{};
    quint64 m_count = 0;
    quint64 m_sumMs = 0;
};

} // namespace Gatescope
