#pragma once

#include <QtGlobal>

#include <functional>

namespace Gatescope {

/// Reconnect delays: exponential growth with "full jitter" (a uniformly random delay between 0
/// and min(cap, base × 2^attempt)), so many clients that lost the same server do not return in
/// lockstep. A small value type with no timers; GatewayClient arms a single-shot QTimer with
/// next() and calls reset() after READY or RESUMED.
class ExponentialBackoff
{
public:
    /// Returns a uniformly distributed value in [0, 1).
    using Random = std::function<double()>;

    ExponentialBackoff(int baseMs = 1000, int capMs = 60000, Random random = {});

    /// The delay for the next attempt, then advances the attempt counter.
    int next();
    /// The upper bound next() will draw from, without advancing.
    int currentCeilingMs() const;
    /// Attempts made since the last reset().
    int attempt() const { return m_attempt; }
    void reset() { m_attempt = 0; }

    int baseMs() const { return m_baseMs; }
    int capMs() const { return m_capMs; }

private:
    int m_baseMs;
    int m_capMs;
    int m_attempt = 0;
    Random m_random;
};

} // namespace Gatescope
