#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace Gatescope {

/// Gateway v10 opcodes (protocol reference §2).
enum class Opcode : int {
    Dispatch = 0,
    Heartbeat = 1,
    Identify = 2,
    PresenceUpdate = 3,
    VoiceStateUpdate = 4,
    Resume = 6,
    Reconnect = 7,
    RequestGuildMembers = 8,
    InvalidSession = 9,
    Hello = 10,
    HeartbeatAck = 11,
    RequestSoundboardSounds = 31,
    RequestChannelInfo = 43,
};

/// Protocol name of an opcode ("HEARTBEAT"), or an empty string for one we do not know.
QString knownOpcodeName(int op);
/// Human name of an opcode ("HEARTBEAT"), or "op N" for one we do not know.
QString opcodeName(int op);

/// Why a payload could not be decoded. Never thrown: returned inside PayloadParseResult.
struct PayloadError
{
    enum class Kind {
        None,
        InvalidJson, ///< not JSON at all, or invalid UTF-8 inside
        NotAnObject, ///< valid JSON, but not an object
        MissingOp, ///< no "op", or "op" is not an integer
        BadSequence, ///< "s" present but neither null nor a non-negative integer
        BadEventName, ///< "t" present but neither null nor a string
    };
    Kind kind = Kind::None;
    QString message; ///< one line a person can read, with the offset for JSON errors
};

/// One gateway payload `{op, d, s, t}`. Unknown fields are ignored on parse and never written.
struct Payload
{
    int op = -1;
    QJsonValue d = QJsonValue::Null;
    std::optional<qint64> s; ///< only set for dispatches (op 0)
    QString t; ///< event name for dispatches, empty otherwise

    /// Compact JSON, ready to send as a text frame.
    QByteArray serialize() const;

    static Payload make(Opcode op, const QJsonValue &d = QJsonValue::Null);
    static Payload dispatch(const QString &type, qint64 seq, const QJsonValue &d);
};

struct PayloadParseResult
{
    Payload payload;
    PayloadError error;
    bool ok() const { return error.kind == PayloadError::Kind::None; }
};

/// Decodes one (already decompressed) payload. Never crashes on hostile input.
PayloadParseResult parsePayload(const QByteArray &json);
/// Decodes a payload that is already a JSON object (a recording's line holds one), with the same
/// checks as parsePayload().
PayloadParseResult payloadFromObject(const QJsonObject &object);

} // namespace Gatescope
