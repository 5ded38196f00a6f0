#include "core/gateway/eventdecoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Gatescope {

QJsonObject GatewayEvent::data() const
{
    return QJsonDocument::fromJson(rawData).object();
}

QJsonValue EventDecoder::Result::d() const
{
    if (rawData.isEmpty())
        return QJsonValue::Null;
    // Wrapping lets QJsonDocument read scalars (op 9's `true`, op 1's `null`) too.
    const QJsonDocument document = QJsonDocument::fromJson("[" + rawData + "]");
    return document.array().at(0);
}

EventDecoder::EventDecoder(StringInterner *interner)
    : m_parser(interner)
{ }

EventDecoder::~EventDecoder() = default;

EventDecoder::Result EventDecoder::decode(const QByteArray &payload)
{
    return decodeWithJsonTree(payload);
}

EventDecoder::Result EventDecoder::decodeWithJsonTree(const QByteArray &payload) const
{
    Result result;
    const PayloadParseResult parsed = parsePayload(payload);
    if (!parsed.ok()) {
        result.error = parsed.error;
        return result;
    }
    const Payload &p = parsed.payload;
    result.op = p.op;
    result.s = p.s;
    result.t = p.t;
    if (p.d.isObject())
        result.rawData = QJsonDocument(p.d.toObject()).toJson(QJsonDocument::Compact);
    else if (p.d.isArray())
        result.rawData = QJsonDocument(p.d.toArray()).toJson(QJsonDocument::Compact);
    else {
        const QByteArray wrapped = QJsonDocument(QJsonArray{p.d}).toJson(QJsonDocument::Compact);
        result.rawData = wrapped.mid(1, wrapped.size() - 2);
    }
    if (p.op == int(Opcode::Dispatch)) {
        result.event.type = p.t;
        result.event.seq = p.s.value_or(-1);
        result.event.rawData = result.rawData;
        classify(result.event, p.d);
    }
    return result;
}

void EventDecoder::classify(GatewayEvent &event, const QJsonValue &d) const
{
    using Kind = GatewayEvent::Kind;
    const QString &type = event.type;
    if (!type.startsWith("MESSAGE_"_L1))
        return;
    Kind kind = Kind::Other;
    if (type == "MESSAGE_CREATE"_L1)
        kind = Kind::MessageCreate;
    else if (type == "MESSAGE_UPDATE"_L1)
        kind = Kind::MessageUpdate;
    else if (type == "MESSAGE_DELETE"_L1)
        kind = Kind::MessageDelete;
    else if (type == "MESSAGE_DELETE_BULK"_L1)
        kind = Kind::MessageDeleteBulk;
    else
        return; // MESSAGE_REACTION_*, MESSAGE_POLL_VOTE_*: not message records
    if (!d.isObject()) {
        event.kind = Kind::Malformed;
        event.error = u"%1 without an object as \"d\""_s.arg(type);
        return;
    }
    const QJsonObject object = d.toObject();
    event.kind = kind;
    switch (kind) {
    case Kind::MessageCreate:
        event.message = m_parser.parse(object);
        break;
    case Kind::MessageUpdate:
        event.update = m_parser.parseUpdate(object);
        break;
    case Kind::MessageDelete:
        event.deletedIds = {MessageParser::parseId(object.value("id"_L1))};
        break;
    case Kind::MessageDeleteBulk: {
        const QJsonArray ids = object.value("ids"_L1).toArray();
        event.deletedIds.reserve(ids.size());
        for (const QJsonValue &id : ids)
            event.deletedIds.append(MessageParser::parseId(id));
        break;
    }
    case Kind::Other:
    case Kind::Malformed:
        break;
    }
    if (kind == Kind::MessageDelete || kind == Kind::MessageDeleteBulk) {
        event.channelId = MessageParser::parseId(object.value("channel_id"_L1));
        event.guildId = MessageParser::parseId(object.value("guild_id"_L1));
    }
}

} // namespace Gatescope
