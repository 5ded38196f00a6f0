#pragma once

#include "core/fleet/redisendpoint.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSettings;

namespace Gatescope::Ui {

/// File ▸ Open fleet…: where a fleet's Redis is (`redis://host:port[/prefix]` or `rediss://…`),
/// where its AUTH password comes from (a file, an environment variable, or typed for this run)
/// and whether to skip the history the streams keep ("From now").
///
/// The settings keep the URL, the password file's path, the variable's name and "From now",
/// never a password: a typed one lasts as long as the dialog.
class OpenFleetDialog : public QDialog
{
    Q_OBJECT

public:
    explicit OpenFleetDialog(QWidget *parent = nullptr);

    /// The endpoint with its password read from the chosen source; nullopt with @p error (one
    /// sentence) when the URL is wrong or the password cannot be read.
    std::optional<RedisEndpoint> endpoint(QString *error) const;
    bool fromNow() const;

    void loadSettings(QSettings &settings);
    void saveSettings(QSettings &settings) const;

    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *passwordFileEdit() const { return m_passwordFile; }
    QLineEdit *passwordEnvEdit() const { return m_passwordEnv; }
    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *fromNowBox() const { return m_fromNow; }

    void accept() override;

private:
    void browsePasswordFile();
    /// The password from the first source filled in: typed, file, then variable.
    std::optional<QByteArray> password(QString *error) const;
    void validate();

    QLineEdit *m_url;
    QLineEdit *m_passwordFile;
    QLineEdit *m_passwordEnv;
    QLineEdit *m_password;
    QCheckBox *m_fromNow;
    QLabel *m_error;
};

} // namespace Gatescope::Ui
