#include "ui/notificationpolicy.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

NotificationPolicy::NotificationPolicy()
{
    for (Kind kind : Kinds)
        m_enabled.insert(kind, true);
}

void NotificationPolicy::setEnabled(Kind kind, bool enabled)
{
    m_enabled.insert(kind, enabled);
}

bool NotificationPolicy::isEnabled(Kind kind) const
{
    return m_enabled.value(kind, true);
}

void NotificationPolicy::setMinIntervalMs(qint64 ms)
{
    m_minIntervalMs = std::max<qint64>(0, ms);
}

void NotificationPolicy::setClock(Clock clock)
{
    m_clock.set(std::move(clock), {});
}

bool NotificationPolicy::allow(Kind kind)
{
    if (!isEnabled(kind))
        return false;
    const qint64 at = m_clock.now();
    const auto last = m_lastShown.constFind(kind);
    if (last != m_lastShown.cend() && at - *last < m_minIntervalMs) {
        ++m_heldBack[kind];
        return false;
    }
    m_lastShown.insert(kind, at);
    return true;
}

QString NotificationPolicy::label(Kind kind)
{
    switch (kind) {
    case Kind::FatalClose:
        return QObject::tr("A shard stops (fatal close)");
    case Kind::SilentShard:
        return QObject::tr("A shard goes silent");
    case Kind::BudgetWarning:
        return QObject::tr("Identify budget warning");
    }
    return {};
}

QString NotificationPolicy::settingsKey(Kind kind)
{
    switch (kind) {
    case Kind::FatalClose:
        return u"alerts/notifyFatalClose"_s;
    case Kind::SilentShard:
        return u"alerts/notifySilentShard"_s;
    case Kind::BudgetWarning:
        return u"alerts/notifyBudgetWarning"_s;
    }
    return {};
}

void NotificationPolicy::load(const QSettings &settings)
{
    for (Kind kind : Kinds)
        setEnabled(kind, settings.value(settingsKey(kind), true).toBool());
}

void NotificationPolicy::save(QSettings &settings) const
{
    for (Kind kind : Kinds)
        settings.setValue(settingsKey(kind), isEnabled(kind));
}

} // namespace Gatescope::Ui
