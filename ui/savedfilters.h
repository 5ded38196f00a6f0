#pragma once

#include <QObject>
#include <QStringList>

class QSettings;

namespace Gatescope::Ui {

/// The filters a user saved, most recently used first: saving or using one moves it to the
/// front, and beyond Cap the least recently used goes. Kept in QSettings (`filters/saved`).
/// GUI thread only.
class SavedFilters : public QObject
{
    Q_OBJECT

public:
    static constexpr int Cap = 20;

    using QObject::QObject;

    /// Most recently used first.
    QStringList filters() const { return m_filters; }
    bool contains(const QString &query) const;

    /// Saves @p query (trimmed; empty is ignored) as the most recent one.
    void save(const QString &query);
    /// Moves @p query to the front when it is saved; false (and nothing changes) when not.
    bool markUsed(const QString &query);
    void remove(const QString &query);
    void clear();

    void load(const QSettings &settings);
    void store(QSettings &settings) const;

signals:
    void changed();

private:
    QStringList m_filters;
};

} // namespace Gatescope::Ui
