#pragma once

#include "core/gateway/bottoken.h"

#include <QObject>

namespace Gatescope::Ui {

/// Where the connect dialog's "Remember the token" keeps the bot token between runs.
///
/// KeyringTokenVault keeps it in the system keyring (Secret Service or KWallet, through
/// QtKeychain); FallbackTokenVault, used where no keyring can be reached (no D-Bus session:
/// headless machines, CI), keeps nothing and says so, pointing at the sources that remain
/// (`--token-file`, `$DISCORD_TOKEN`). A keyring that fails at run time gives the same notice.
/// The token never goes to QSettings, a log line or a title on any of these paths.
///
/// Every operation answers with one signal, always later (never inside the call), so callers
/// handle both kinds alike. Only the window creates a vault: headless runs never touch one.
/// GUI thread only.
class TokenVault : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    /// The keyring where a D-Bus session bus is set (`DBUS_SESSION_BUS_ADDRESS`), else the
    /// fallback: without a session bus no keyring can answer, and D-Bus must not be started.
    static TokenVault *createDefault(QObject *parent = nullptr);
    /// What a user reads when the token cannot be remembered, with the sources that remain.
    static QString fallbackNotice(const QString &reason);

    /// True for a real keyring (which may still fail at run time).
    virtual bool isKeyring() const = 0;
    /// Reads the remembered token: readFinished().
    virtual void read() = 0;
    /// Remembers @p token: writeFinished().
    virtual void write(const BotToken &token) = 0;
    /// Forgets the token: eraseFinished().
    virtual void erase() = 0;

signals:
    /// @p token is empty when none is remembered; @p notice is set when the vault could not be
    /// read (no keyring), empty when there simply is no token.
    void readFinished(const Gatescope::BotToken &token, const QString &notice);
    void writeFinished(bool stored, const QString &notice);
    void eraseFinished(bool erased, const QString &notice);
};

} // namespace Gatescope::Ui
