#include "ui/tokenvault.h"

#include "ui/fallbacktokenvault.h"
#include "ui/keyringtokenvault.h"

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

TokenVault *TokenVault::createDefault(QObject *parent)
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return new FallbackTokenVault(parent);
    return new KeyringTokenVault(parent);
}

QString TokenVault::fallbackNotice(const QString &reason)
{
    return tr("%1, so the token is not remembered. Give it with --token-file PATH (a file only "
              "you can read) or $DISCORD_TOKEN instead, or type it each time.")
            .arg(reason);
}

} // namespace Gatescope::Ui
