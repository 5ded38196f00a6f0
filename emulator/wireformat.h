#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

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
/// Compact JSON of any value (objects and arrays via QJsonDocument).
QByteArray json(const QJsonValue &value);

} // namespace WireFormat
} // namespace Gatescope::Emulator
