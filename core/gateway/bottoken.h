#pragma once

#include <QString>

class QDebug;

namespace Gatescope {

/// A bot token that cannot reach text by accident.
///
/// It is made from text (a file, the environment, the connect dialog), but there is no way back
/// to text except reveal(), which is called only where the token must leave the process: the
/// Identify and Resume payloads and the `Authorization` header of the discovery request (and the
/// connect dialog's own field). `qDebug() << token` prints `BotToken(<redacted>)`, and
/// QString::arg(), string concatenation and QJsonValue do not accept it, so a log line, a
/// payload dump or an export cannot carry it unless someone writes reveal().
///
/// A value type, cheap to copy (an implicitly shared QString inside); usable from any thread.
class BotToken
{
public:
    BotToken() = default;
    /// The bare token, without "Bot ". Implicit: holding text as a token is always safe.
    BotToken(const QString &token) // NOLINT(google-explicit-constructor)
        : m_token(token)
    { }

    /// True when there is no token, or only whitespace.
    bool isEmpty() const { return m_token.trimmed().isEmpty(); }
    void clear() { m_token.clear(); }

    /// The token as text. Only for the places that send it (Identify, Resume, the discovery
    /// request's Authorization header) and the field a user typed it in; never for a log line.
    const QString &reveal() const { return m_token; }

    friend bool operator==(const BotToken &a, const BotToken &b) { return a.m_token == b.m_token; }
    friend bool operator!=(const BotToken &a, const BotToken &b) { return !(a == b); }

private:
    QString m_token;
};

/// Prints `BotToken(<redacted>)` (or `BotToken()` when empty), never the token.
QDebug operator<<(QDebug debug, const BotToken &token);

} // namespace Gatescope
