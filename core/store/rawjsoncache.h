#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QtGlobal>

#include <deque>

namespace Gatescope {

/// The raw JSON of recent messages, kept compactly (one compact UTF-8 document per message) for
/// the details pane.
///
/// Bounded both by the number of entries and by their total bytes; the oldest insertions are
/// dropped first. Not thread-safe.
class RawJsonCache
{
public:
    static constexpr qsizetype DefaultMaxEntries = 5000;
    static constexpr qsizetype DefaultMaxBytes = 16 * 1024 * 1024;

    /// Sets the bounds; 0 entries disables the cache. Trims at once.
    void setLimits(qsizetype maxEntries, qsizetype maxBytes);
    qsizetype maxEntries() const { return m_maxEntries; }
    qsizetype maxBytes() const { return m_maxBytes; }

    /// Stores @p object for @p id (replacing an earlier entry).
    void insert(quint64 id, const QJsonObject &object);
    /// Stores @p json (compact JSON of one message, as received) for @p id.
    void insertRaw(quint64 id, const QByteArray &json) { store(id, json); }
    /// Merges the keys of @p update into the entry of @p id, if it is still cached.
    void merge(quint64 id, const QJsonObject &update);
    /// The compact JSON of @p id, or an empty array once it has been dropped.
    QByteArray value(quint64 id) const { return m_entries.value(id); }
    bool contains(quint64 id) const { return m_entries.contains(id); }

    qsizetype size() const { return m_entries.size(); }
    qsizetype bytes() const { return m_bytes; }
    void clear();

private:
    void store(quint64 id, QByteArray json);
    void trim();

    QHash<quint64, QByteArray> m_entries;
    std::deque<quint64> m_order; ///< insertion order; may hold ids replaced or already dropped
    qsizetype m_bytes = 0;
    qsizetype m_maxEntries = DefaultMaxEntries;
    qsizetype m_maxBytes = DefaultMaxBytes;
};

} // namespace Gatescope
