#pragma once

#include <QtGlobal>

#include <functional>

namespace Gatescope {

/// A monotonic clock (ms, for durations) and a wall clock (Unix ms, for times people read),
/// both replaceable, so classes that measure time (ShardHealth, IdentifyBudget) can be tested by
/// moving time on instead of waiting. A value type; any thread.
class InjectableClock
{
public:
    using Clock = std::function<qint64()>;

    /// Replaces the clocks; an empty function restores the real one.
    void set(Clock monotonicMs, Clock wallMs);
    /// Monotonic ms (the real one counts from its first use in the process).
    qint64 now() const;
    /// Unix ms.
    qint64 wallNow() const;

private:
    Clock m_monotonic;
    Clock m_wall;
};

} // namespace Gatescope
