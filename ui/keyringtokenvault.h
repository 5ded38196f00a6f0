#pragma once

#include "ui/tokenvault.h"

namespace QKeychain {
class Job;
}

namespace Gatescope::Ui {

/// The token in the system keyring through QtKeychain (service "Gatescope", key "bot-token").
/// QtKeychain's insecure fallback (a plain-text QSettings entry) is never enabled: a keyring
/// that is missing or refuses gives the fallback notice instead, and nothing is stored.
class KeyringTokenVault : public TokenVault
{
    Q_OBJECT

public:
    static constexpr auto Service = "Gatescope";
    static constexpr auto Key = "bot-token";

    using TokenVault::TokenVault;

    bool isKeyring() const override { return true; }
    void read() override;
    void write(const BotToken &token) override;
    void erase() override;

private:
    /// The notice for a failed job (its error string is redacted: it never holds the token,
    /// but a keyring's message is not ours to trust).
    static QString noticeFor(const QKeychain::Job *job);
};

} // namespace Gatescope::Ui
