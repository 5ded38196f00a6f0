#include "core/gateway/payload.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Gatescope {

QString knownOpcodeName(int op)
{
    switch (static_cast<Opcode>(op)) {
    case Opcode::Dispatch:
        return u"DISPATCH"_s;
    case Opcode::Heartbeat:
        return u"HEARTBEAT"_s;
    case Opcode::Identify:
        return u"IDENTIFY"_s;
    case Opcode::PresenceUpdate:
        return u"PRESENCE_UPDATE"_s;
    case Opcode::VoiceStateUpdate:
        return u"VOICE_STATE_UPDATE"_s;
    case Opcode::Resume:
        return u"RESUME"_s;
    case Opcode::Reconnect:
        return u"RECONNECT"_s;
    case Opcode::RequestGuildMembers:
        return u"REQUEST_GUILD_MEMBERS"_s;
    case Opcode::InvalidSession:
        return u"INVALID_SESSION"_s;
    case Opcode::Hello:
        return u"HELLO"_s;
    case Opcode::HeartbeatAck:
        return u"HEARTBEAT_ACK"_s;
    case Opcode::RequestSoundboardSounds:
        return u"REQUEST_SOUNDBOARD_SOUNDS"_s;
    case Opcode::RequestChannelInfo:
        return u"REQUEST_CHANNEL_INFO"_s;
    }
    return QString();
}

QString opcodeName(int op)
{
    const QString name = knownOpcodeName(op);
    return name.isEmpty() ? u"op %1"_s.arg(op) : name;
}

QByteArray Payload::serialize() const
{
    QJsonObject object;
    object.insert("op"_L1, op);
    object.insert("d"_L1, d.isUndefined() ? QJsonValue(QJsonValue::Null) : d);
    if (op == int(Opcode::Dispatch)) {
        object.insert("s"_L1, s ? QJsonValue(*s) : QJsonValue(QJsonValue::Null));
        object.insert("t"_L1, t.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(t));
    } else {
        object.insert("s"_L1, QJsonValue::Null);
        object.insert("t"_L1, QJsonValue::Null);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Payload Payload::make(Opcode op, const QJsonValue &d)
{
    Payload payload;
    payload.op = int(op);
    payload.d = d;
    return payload;
}

Payload Payload::dispatch(const QString &type, qint64 seq, const QJsonValue &d)
{
    Payload payload = make(Opcode::Dispatch, d);
    payload.s = seq;
    payload.t = type;
    return payload;
}

namespace {

PayloadParseResult failure(PayloadError::Kind kind, QString message)
{
    PayloadParseResult result;
    result.error = {kind, std::move(message)};
    return result;
}

// JSON numbers arrive as doubles; accept only exact, non-negative integers for op and s.
std::optional<qint64> exactInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (!std::isfinite(number) || number < 0 || number > 9007199254740992.0
        || std::floor(number) != number)
        return std::nullopt;
    return qint64(number);
}

} // namespace

PayloadParseResult parsePayload(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return failure(PayloadError::Kind::InvalidJson,
                       u"invalid JSON at byte %1: %2"_s.arg(parseError.offset)
                               .arg(parseError.errorString()));
    }
    if (!document.isObject())
        return failure(PayloadError::Kind::NotAnObject, u"payload is not a JSON object"_s);
    return payloadFromObject(document.object());
}

PayloadParseResult payloadFromObject(const QJsonObject &object)
{
    const std::optional<qint64> op = exactInteger(object.value("op"_L1));
    if (!op || *op > 255)
        return failure(PayloadError::Kind::MissingOp, u"payload has no integer \"op\""_s);

    PayloadParseResult result;
    result.payload.op = int(*op);
    result.payload.d = object.value("d"_L1);
    if (result.payload.d.isUndefined())
        result.payload.d = QJsonValue::Null;

    const QJsonValue s = object.value("s"_L1);
    if (!s.isNull() && !s.isUndefined()) {
        result.payload.s = exactInteger(s);
        if (!result.payload.s)
            return failure(PayloadError::Kind::BadSequence,
                           u"payload \"s\" is not a sequence number"_s);
    }
    const QJsonValue t = object.value("t"_L1);
    if (t.isString())
        result.payload.t = t.toString();
    else if (!t.isNull() && !t.isUndefined())
        return failure(PayloadError::Kind::BadEventName, u"payload \"t\" is not a string"_s);
    return result;
}

} // namespace Gatescope
