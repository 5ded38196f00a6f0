#include "ui/openfleetdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {

const auto UrlKey = u"fleet/url"_s;
const auto PasswordFileKey = u"fleet/passwordFile"_s;
const auto PasswordEnvKey = u"fleet/passwordEnv"_s;
const auto FromNowKey = u"fleet/fromNow"_s;
const auto DefaultPasswordEnv = u"GATESCOPE_REDIS_PASSWORD"_s;

} // namespace

OpenFleetDialog::OpenFleetDialog(QWidget *parent)
    : QDialog(parent)
    , m_url(new QLineEdit(this))
    , m_passwordFile(new QLineEdit(this))
    , m_passwordEnv(new QLineEdit(DefaultPasswordEnv, this))
    , m_password(new QLineEdit(this))
    , m_fromNow(new QCheckBox(tr("From now: skip the history the streams keep"), this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Open fleet"));
    m_url->setObjectName(u"fleetUrlEdit"_s);
    m_url->setPlaceholderText(u"redis://127.0.0.1:6379/gatescope"_s);
    m_url->setToolTip(tr("redis://host:port[/prefix], or rediss:// for TLS. The prefix is the "
                         "collectors' --publish prefix (default gatescope)."));
    m_passwordFile->setObjectName(u"fleetPasswordFileEdit"_s);
    m_passwordFile->setPlaceholderText(tr("none"));
    m_passwordEnv->setObjectName(u"fleetPasswordEnvEdit"_s);
    m_password->setObjectName(u"fleetPasswordEdit"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("for this run only, never saved"));
    m_fromNow->setObjectName(u"fleetFromNowBox"_s);
    m_error->setObjectName(u"fleetErrorLabel"_s);
    m_error->setWordWrap(true);

    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &OpenFleetDialog::browsePasswordFile);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_passwordFile, 1);
    fileRow->addWidget(browse);

    auto *form = new QFormLayout;
    form->addRow(tr("Redis URL:"), m_url);
    form->addRow(tr("Password file:"), fileRow);
    form->addRow(tr("or environment variable:"), m_passwordEnv);
    form->addRow(tr("or password:"), m_password);
    form->addRow(QString(), m_fromNow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Open fleet"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Watch every shard of every collector that publishes to one "
                                "Redis (gatescope --headless --publish)."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(m_url, &QLineEdit::textChanged, this, &OpenFleetDialog::validate);
    validate();
}

void OpenFleetDialog::browsePasswordFile()
{
    const QString path
            = QFileDialog::getOpenFileName(this, tr("Redis password file"), m_passwordFile->text());
    if (!path.isEmpty())
        m_passwordFile->setText(path);
}

void OpenFleetDialog::validate()
{
    QString error;
    if (!m_url->text().trimmed().isEmpty()
        && !RedisEndpoint::parse(m_url->text().trimmed(), &error))
        m_error->setText(error);
    else
        m_error->clear();
}

std::optional<QByteArray> OpenFleetDialog::password(QString *error) const
{
    if (!m_password->text().isEmpty())
        return m_password->text().toUtf8();
    const QString path = m_passwordFile->text().trimmed();
    if (!path.isEmpty()) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = tr("Cannot read the password file %1: %2").arg(path, file.errorString());
            return std::nullopt;
        }
        const QByteArray password = file.read(4096).trimmed();
        if (password.isEmpty()) {
            *error = tr("The password file %1 is empty").arg(path);
            return std::nullopt;
        }
        return password;
    }
    const QString variable = m_passwordEnv->text().trimmed();
    return variable.isEmpty() ? QByteArray()
                              : qgetenv(variable.toLocal8Bit().constData()).trimmed();
}

std::optional<RedisEndpoint> OpenFleetDialog::endpoint(QString *error) const
{
    std::optional<RedisEndpoint> endpoint = RedisEndpoint::parse(m_url->text().trimmed(), error);
    if (!endpoint)
        return std::nullopt;
    const std::optional<QByteArray> secret = password(error);
    if (!secret)
        return std::nullopt;
    endpoint->password = *secret;
    return endpoint;
}

bool OpenFleetDialog::fromNow() const
{
    return m_fromNow->isChecked();
}

void OpenFleetDialog::accept()
{
    QString error;
    if (!endpoint(&error)) {
        m_error->setText(error);
        return;
    }
    QDialog::accept();
}

void OpenFleetDialog::loadSettings(QSettings &settings)
{
    m_url->setText(settings.value(UrlKey).toString());
    m_passwordFile->setText(settings.value(PasswordFileKey).toString());
    m_passwordEnv->setText(settings.value(PasswordEnvKey, DefaultPasswordEnv).toString());
    m_fromNow->setChecked(settings.value(FromNowKey, false).toBool());
}

void OpenFleetDialog::saveSettings(QSettings &settings) const
{
    // Never the typed password: it lasts as long as the dialog.
    settings.setValue(UrlKey, m_url->text().trimmed());
    settings.setValue(PasswordFileKey, m_passwordFile->text().trimmed());
    settings.setValue(PasswordEnvKey, m_passwordEnv->text().trimmed());
    settings.setValue(FromNowKey, m_fromNow->isChecked());
}

} // namespace Gatescope::Ui
