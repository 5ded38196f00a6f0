#pragma once

#include <QHash>

#include <utility>

namespace Gatescope::Ui {

/// A bounded cache in two generations: when the newer one holds @p capacity entries it becomes
/// the older one and the entries of the previous older one are dropped. An entry found only in
/// the older generation moves to the newer one, so what is in use (the rows on screen) survives
/// a turnover, and a paint never has to build every visible cell again at once, as starting
/// over did. Holds at most 2 × capacity entries. Not thread-safe.
template<typename Key, typename Value>
class GenerationalCache
{
public:
    explicit GenerationalCache(qsizetype capacity)
        : m_capacity(capacity)
    { }

    /// The entry for @p key for which @p isCurrent holds, from the newer generation or moved up
    /// from the older one; nullptr when there is none (then insert() it). The pointer stays
    /// valid until the next call.
    template<typename IsCurrent>
    const Value *find(const Key &key, IsCurrent isCurrent)
    {
        const auto newer = m_newer.constFind(key);
        if (newer != m_newer.cend() && isCurrent(*newer))
            return &*newer;
        if (m_newer.size() >= m_capacity)
            m_older = std::exchange(m_newer, {});
        const auto older = m_older.constFind(key);
        if (older != m_older.cend() && isCurrent(*older))
            return &*m_newer.insert(key, *older);
        return nullptr;
    }

    /// The entry for @p key found by find() lacking or stale: stored in the newer generation.
    const Value &insert(Key key, Value value)
    {
        return *m_newer.insert(std::move(key), std::move(value));
    }

    qsizetype size() const { return m_newer.size() + m_older.size(); }

private:
    qsizetype m_capacity;
    QHash<Key, Value> m_newer;
    QHash<Key, Value> m_older;
};

} // namespace Gatescope::Ui
