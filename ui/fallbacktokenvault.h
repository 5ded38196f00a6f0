#pragma once

#include "ui/tokenvault.h"

namespace Gatescope::Ui {

/// The vault where there is no keyring: it keeps nothing, and every answer carries the notice
/// that names the remaining sources (`--token-file`, `$DISCORD_TOKEN`). Never writes a file.
class FallbackTokenVault : public TokenVault
{
    Q_OBJECT

public:
    using TokenVault::TokenVault;

    static QString notice();

    bool isKeyring() const override { return false; }
    void read() override;
    void write(const BotToken &token) override;
    void erase() override;
};

} // namespace Gatescope::Ui
