#include "ui/alertsettingsdialog.h"

#include "core/connection/durationtext.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
constexpr qint64 MinSilentAfterMs = 1000;
constexpr qint64 MaxSilentAfterMs = 7LL * 24 * 3600 * 1000;
} // namespace

AlertSettingsDialog::AlertSettingsDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Alerts and notifications"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_silentAfter = new QLineEdit(this);
    m_silentAfter->setObjectName(u"silentAfterEdit"_s);
    m_silentAfter->setPlaceholderText(u"10m"_s);
    m_silentAfter->setToolTip(tr("A shard whose heartbeats are acknowledged but that receives no "
                                 "event for this long is reported silent: 90s, 10m, 1h"));
    form->addRow(tr("Silent after"), m_silentAfter);
    m_error = new QLabel(this);
    m_error->setObjectName(u"silentAfterError"_s);
    m_error->setStyleSheet(u"color: #cf222e;"_s);
    m_error->setWordWrap(true);
    form->addRow(QString(), m_error);
    layout->addLayout(form);

    auto *box
            = new QGroupBox(tr("Desktop notifications (at most one of each kind a minute)"), this);
    auto *boxLayout = new QVBoxLayout(box);
    for (NotificationPolicy::Kind kind : NotificationPolicy::Kinds) {
        auto *check = new QCheckBox(NotificationPolicy::label(kind), box);
        check->setObjectName(u"notify%1"_s.arg(int(kind)));
        boxLayout->addWidget(check);
        m_checks.insert(kind, check);
    }
    layout->addWidget(box);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &AlertSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_silentAfter, &QLineEdit::textChanged, this, &AlertSettingsDialog::validate);
}

void AlertSettingsDialog::setValues(qint64 silentAfterMs, const NotificationPolicy &policy)
{
    m_silentAfter->setText(DurationText::format(silentAfterMs));
    for (auto it = m_checks.cbegin(); it != m_checks.cend(); ++it)
        it.value()->setChecked(policy.isEnabled(it.key()));
    validate();
}

std::optional<qint64> AlertSettingsDialog::silentAfterMs() const
{
    const std::optional<qint64> ms = DurationText::parseMs(m_silentAfter->text());
    if (!ms || *ms < MinSilentAfterMs || *ms > MaxSilentAfterMs)
        return std::nullopt;
    return ms;
}

bool AlertSettingsDialog::isEnabled(NotificationPolicy::Kind kind) const
{
    return m_checks.value(kind)->isChecked();
}

void AlertSettingsDialog::applyTo(NotificationPolicy &policy) const
{
    for (NotificationPolicy::Kind kind : NotificationPolicy::Kinds)
        policy.setEnabled(kind, isEnabled(kind));
}

QString AlertSettingsDialog::errorText() const
{
    return m_error->text();
}

void AlertSettingsDialog::validate()
{
    QString error;
    const std::optional<qint64> ms = DurationText::parseMs(m_silentAfter->text(), &error);
    if (ms && (*ms < MinSilentAfterMs || *ms > MaxSilentAfterMs))
        error = tr("\"%1\" is outside 1s to 7d").arg(m_silentAfter->text());
    else if (ms)
        error.clear();
    m_error->setText(error);
}

void AlertSettingsDialog::accept()
{
    validate();
    if (!silentAfterMs())
        return;
    QDialog::accept();
}

} // namespace Gatescope::Ui
