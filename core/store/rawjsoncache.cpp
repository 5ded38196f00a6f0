#include "core/store/rawjsoncache.h"

#include <QJsonDocument>

namespace Gatescope {

void RawJsonCache::setLimits(qsizetype maxEntries, qsizetype maxBytes)
{
    m_maxEntries = qMax<qsizetype>(0, maxEntries);
    m_maxBytes = qMax<qsizetype>(0, maxBytes);
    trim();
}

void RawJsonCache::insert(quint64 id, const QJsonObject &object)
{
    if (m_maxEntries == 0)
        return;
    store(id, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void RawJsonCache::merge(quint64 id, const QJsonObject &update)
{
    const auto it = m_entries.constFind(id);
    if (it == m_entries.cend())
        return;
    QJsonObject merged = QJsonDocument::fromJson(*it).object();
    for (auto field = update.begin(); field != update.end(); ++field)
        merged.insert(field.key(), field.value());
    const QByteArray json = QJsonDocument(merged).toJson(QJsonDocument::Compact);
    m_bytes += json.size() - it->size();
    m_entries.insert(id, json);
    trim();
}

void RawJsonCache::clear()
{
    m_entries.clear();
    m_order.clear();
    m_bytes = 0;
}

void RawJsonCache::store(quint64 id, QByteArray json)
{
    const auto old = m_entries.constFind(id);
    if (old != m_entries.cend())
        m_bytes -= old->size();
    else
        m_order.push_back(id);
    m_bytes += json.size();
    m_entries.insert(id, std::move(json));
    trim();
}

void RawJsonCache::trim()
{
    while (!m_order.empty() && (m_entries.size() > m_maxEntries || m_bytes > m_maxBytes)) {
        const quint64 id = m_order.front();
        m_order.pop_front();
        const auto it = m_entries.constFind(id);
        if (it == m_entries.cend())
            continue;
        m_bytes -= it->size();
        m_entries.erase(it);
    }
}

} // namespace Gatescope
