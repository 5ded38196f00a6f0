#include "ui/savedfilters.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
const auto SavedKey = u"filters/saved"_s;
}

bool SavedFilters::contains(const QString &query) const
{
    return m_filters.contains(query.trimmed());
}

void SavedFilters::save(const QString &query)
{
    const QString trimmed = query.trimmed();
    if (trimmed.isEmpty())
        return;
    if (!m_filters.isEmpty() && m_filters.first() == trimmed)
        return;
    m_filters.removeAll(trimmed);
    m_filters.prepend(trimmed);
    while (m_filters.size() > Cap)
        m_filters.removeLast();
    emit changed();
}

bool SavedFilters::markUsed(const QString &query)
{
    const QString trimmed = query.trimmed();
    if (!m_filters.contains(trimmed))
        return false;
    save(trimmed);
    return true;
}

void SavedFilters::remove(const QString &query)
{
    if (m_filters.removeAll(query.trimmed()) > 0)
        emit changed();
}

void SavedFilters::clear()
{
    if (m_filters.isEmpty())
        return;
    m_filters.clear();
    emit changed();
}

void SavedFilters::load(const QSettings &settings)
{
    QStringList loaded;
    const QStringList stored = settings.value(SavedKey).toStringList();
    for (const QString &query : stored) {
        const QString trimmed = query.trimmed();
        if (!trimmed.isEmpty() && !loaded.contains(trimmed) && loaded.size() < Cap)
            loaded.append(trimmed);
    }
    if (loaded == m_filters)
        return;
    m_filters = loaded;
    emit changed();
}

void SavedFilters::store(QSettings &settings) const
{
    settings.setValue(SavedKey, m_filters);
}

} // namespace Gatescope::Ui
