#include "ui/fallbacktokenvault.h"

#include <QTimer>

namespace Gatescope::Ui {

QString FallbackTokenVault::notice()
{
    return fallbackNotice(tr("No system keyring (Secret Service or KWallet) can be reached"));
}

void FallbackTokenVault::read()
{
    QTimer::singleShot(0, this, [this] { emit readFinished(BotToken(), notice()); });
}

void FallbackTokenVault::write(const BotToken &)
{
    QTimer::singleShot(0, this, [this] { emit writeFinished(false, notice()); });
}

void FallbackTokenVault::erase()
{
    // Nothing was ever kept: forgetting succeeds.
    QTimer::singleShot(0, this, [this] { emit eraseFinished(true, QString()); });
}

} // namespace Gatescope::Ui
