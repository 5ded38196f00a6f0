#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace Gatescope {

class BotToken;
struct Payload;

/// The one place that keeps the bot token out of logs, raw-frame views, recordings and exports.
///
/// Every secret in use is registered once (GatewayClient does it when it is given a token), and
/// every dump goes through redact()/redactPayload(). The registry is process-wide and
/// thread-safe, because log lines may come from any thread.
class Redaction
{
public:
    static inline const QString Placeholder = QStringLiteral("[redacted]");

    /// Remembers @p secret so that later redact() calls hide it. Empty strings are ignored.
    static void registerSecret(const QString &secret);
    /// Remembers @p token's text (the one way a BotToken reaches the registry).
    static void registerSecret(const BotToken &token);
    static void clearSecrets();

    /// Replaces every registered secret inside @p text with the placeholder.
    static QString redact(const QString &text);
    static QByteArray redact(const QByteArray &text);

    /// A copy of @p payload's data with `d.token` (Identify, Resume) replaced by the placeholder,
    /// and any registered secret found in string values hidden too.
    static QJsonValue redactPayloadData(int op, const QJsonValue &d);
    /// The payload serialised for display or recording, token hidden.
    static QByteArray redactedJson(const Payload &payload);
};

} // namespace Gatescope
