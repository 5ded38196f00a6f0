#pragma once

#include "core/connection/injectableclock.h"

#include <QHash>
#include <QObject>
#include <QString>

class QSettings;

namespace Gatescope::Ui {

/// Which desktop notifications are wanted and how often: each kind can be switched off, and a
/// kind shown less than minIntervalMs() ago (one minute by default) is held back, so a flapping
/// shard cannot flood the desktop. The clock is injectable, so tests check the limit without
/// waiting. Plain logic; no tray needed.
class NotificationPolicy
{
    Q_GADGET

public:
    enum class Kind {
        FatalClose, ///< a shard stopped for good (4004, 4014 …)
        SilentShard, ///< a shard is connected but receives nothing
        BudgetWarning, ///< the identify budget runs low, or identifies loop
    };
    Q_ENUM(Kind)

    using Clock = InjectableClock::Clock;

    static constexpr qint64 DefaultMinIntervalMs = 60000;
    static constexpr Kind Kinds[] = {Kind::FatalClose, Kind::SilentShard, Kind::BudgetWarning};

    NotificationPolicy();

    void setEnabled(Kind kind, bool enabled);
    bool isEnabled(Kind kind) const;
    void setMinIntervalMs(qint64 ms);
    qint64 minIntervalMs() const { return m_minIntervalMs; }
    /// Replaces the monotonic clock (ms); an empty function restores the real one.
    void setClock(Clock clock);

    /// Whether a notification of @p kind may be shown now; if so, it counts as shown.
    bool allow(Kind kind);
    /// Notifications of @p kind held back by the rate limit so far.
    int heldBack(Kind kind) const { return m_heldBack.value(kind); }

    /// "Fatal close", "Silent shard", "Identify budget warning" (the settings' labels).
    static QString label(Kind kind);
    void load(const QSettings &settings);
    void save(QSettings &settings) const;

private:
    static QString settingsKey(Kind kind);

    QHash<Kind, bool> m_enabled;
    QHash<Kind, qint64> m_lastShown;
    QHash<Kind, int> m_heldBack;
    qint64 m_minIntervalMs = DefaultMinIntervalMs;
    InjectableClock m_clock;
};

} // namespace Gatescope::Ui
