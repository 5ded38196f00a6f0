#pragma once

#include "ui/notificationpolicy.h"

#include <QDialog>
#include <QHash>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace Gatescope::Ui {

/// Settings of the operator's alerts: the silent-shard threshold (a duration such as 90s, 10m,
/// 1h, checked as typed) and which desktop notifications are shown. OK is refused, with the
/// reason under the field, while the threshold cannot be read.
class AlertSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AlertSettingsDialog(QWidget *parent = nullptr);

    void setValues(qint64 silentAfterMs, const NotificationPolicy &policy);
    /// The threshold typed, or nullopt (with errorText()) when it is not a duration of 1s–7d.
    std::optional<qint64> silentAfterMs() const;
    bool isEnabled(NotificationPolicy::Kind kind) const;
    /// Puts the switches into @p policy.
    void applyTo(NotificationPolicy &policy) const;
    QString errorText() const;

    QLineEdit *silentAfterEdit() const { return m_silentAfter; }
    QCheckBox *checkBox(NotificationPolicy::Kind kind) const { return m_checks.value(kind); }

    void accept() override;

private:
    void validate();

    QLineEdit *m_silentAfter = nullptr;
    QLabel *m_error = nullptr;
    QHash<NotificationPolicy::Kind, QCheckBox *> m_checks;
};

} // namespace Gatescope::Ui
