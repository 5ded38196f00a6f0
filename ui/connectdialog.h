#pragma once

#include "core/gateway/gatewaytypes.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QSpinBox;

namespace Gatescope::Ui {
class TokenVault;
}

namespace Gatescope::Ui {

/// Asks how to connect: token (hidden unless shown), gateway/API URL overrides, compression,
/// shard, and intents with the privileged ones marked and explained. It can also start demo
/// mode instead.
///
/// The token lives only in the dialog's fields and in the returned config: saveSettings()
/// stores every other field, never the token (and the proxy without its password). With a
/// TokenVault, "Remember the token" offers to keep it in the system keyring: the dialog fills
/// the field from the vault when it opens, and shows the vault's notice when there is no
/// keyring; the caller writes or erases it after the dialog is accepted.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    /// done() code when the user chose "Start demo".
    static constexpr int DemoResult = 2;

    explicit ConnectDialog(QWidget *parent = nullptr);

    void setConfig(const GatewayConfig &config);
    /// The config from the fields (after a successful validation).
    GatewayConfig config() const;

    /// Reads the connection settings (no token is ever stored there).
    void loadSettings(QSettings &settings);
    void saveSettings(QSettings &settings) const;

    /// Empty when the fields can be used, else a sentence saying what is wrong.
    QString validationError() const;

    QLineEdit *tokenEdit() const { return m_token; }
    QLineEdit *proxyEdit() const { return m_proxy; }
    QSpinBox *heartbeatBox() const { return m_heartbeat; }
    QCheckBox *intentBox(quint32 bit) const { return m_intentBoxes.value(bit); }
    QCheckBox *resumeBox() const { return m_resumeBox; }
    QLineEdit *sessionFileEdit() const { return m_sessionFile; }

    /// "Resume the session after a restart": the session file to use (`--session-file`), or
    /// empty when that is off.
    QString sessionFile() const;
    /// The same, as saveSettings() left it (the window reads it at start).
    static QString sessionFileFromSettings(QSettings &settings);
    /// Where the session file goes unless the user picks another path.
    static QString defaultSessionFile();
    QCheckBox *rememberBox() const { return m_remember; }
    /// The vault's notice (no keyring …), empty when there is none.
    QString tokenNotice() const;

    /// Reads the remembered token from @p vault into the empty token field (the dialog does
    /// not own the vault).
    void setTokenVault(TokenVault *vault);
    /// "Remember the token" is checked.
    bool rememberToken() const;
    /// The vault gave a remembered token when the dialog opened.
    bool vaultHadToken() const;
public slots:
    void accept() override;

signals:
    void demoRequested();

private:
    quint32 selectedIntents() const;
    void setSelectedIntents(quint32 intents);
    void updateWarnings();

    QLineEdit *m_token = nullptr;
    QCheckBox *m_remember = nullptr;
    QLabel *m_tokenNotice = nullptr;
    QString m_vaultNotice;
    QString m_vaultToken; ///< what the vault gave (a remembered token to forget if unchecked)
    QLineEdit *m_gatewayUrl = nullptr;
    QLineEdit *m_apiUrl = nullptr;
    QComboBox *m_compression = nullptr;
    QSpinBox *m_shardId = nullptr;
    QSpinBox *m_shardCount = nullptr;
    QLineEdit *m_proxy = nullptr;
    QSpinBox *m_heartbeat = nullptr;
    QCheckBox *m_resumeBox = nullptr;
    QLineEdit *m_sessionFile = nullptr;
    QHash<quint32, QCheckBox *> m_intentBoxes;
    QLabel *m_intentWarning = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_connectButton = nullptr;
    GatewayConfig m_base; ///< fields the dialog does not show are kept from setConfig()
};

} // namespace Gatescope::Ui
