#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>
#include <QStringView>

#include <optional>

namespace Gatescope::Emulator {

/// How the emulator writes payloads: compact JSON in Discord's observed key order `t,s,op,d`
/// (core's Payload::serialize() sorts keys alphabetically, which is also valid but less real).
namespace WireFormat {

/// `{"t":T|null,"s":S|null,"op":OP,"d":D}`; @p t empty → null.
QByteArray payload(int op, const QJsonValue &d, const QString &t = {},
                   std::optional<qint64> s = std::nullopt);
/// An op 0 dispatch.
QByteArray dispatch(const QString &type, qint64 seq, const QJsonValue &d);
/// An op 0 dispatch whose `d` is already compact JSON (serialised once for every session).
QByteArray dispatchJson(const QString &type, qint64 seq, QByteArrayView d);
/// Compact JSON of any value, byte for byte what QJsonDocument writes (keys in QJsonObject's
/// order, the same escaping and number forms), but about twice as fast.
QByteArray json(const QJsonValue &value);
/// Appends json(@p value) to @p out.
void appendJson(QByteArray &out, const QJsonValue &value);
/// Appends @p text as a JSON string exactly as QJsonDocument writes it: UTF-8, with `"`, the
/// backslash and control characters escaped (`\b \f \n \r \t` by name, others as `\u00xx`) and
/// an unpaired surrogate as `\uxxxx`.
void appendString(QByteArray &out, QStringView text);

} // namespace WireFormat
} // namespace Gatescope::Emulator
