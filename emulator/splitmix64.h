#pragma once

#include <QList>
#include <QtGlobal>

namespace Gatescope::Emulator {

/// splitmix64: tiny, fast, and identical everywhere. std distributions are avoided on purpose
/// because their output differs between standard library versions.
class SplitMix64
{
public:
    explicit SplitMix64(quint64 seed)
        : m_state(seed)
    { }
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n); 0 when n <= 0. The modulo bias is irrelevant for our small n.
    qsizetype below(qsizetype n) { return n <= 0 ? 0 : qsizetype(next() % quint64(n)); }
    /// Uniform in [lo, hi].
    qint64 range(qint64 lo, qint64 hi) { return lo + qint64(next() % quint64(hi - lo + 1)); }
    double unit() { return double(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    template<typename T>
    const T &pick(const QList<T> &list)
    {
        return list.at(below(list.size()));
    }

private:
    quint64 m_state;
};

} // namespace Gatescope::Emulator
