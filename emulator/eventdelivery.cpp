#include "emulator/eventdelivery.h"

#include "core/gateway/intents.h"
#include "core/gateway/snowflake.h"
#include "emulator/wireformat.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator {

namespace {

void blankContent(QJsonObject &m)
{
    m.insert(u"content"_s, QString());
    m.insert(u"embeds"_s, QJsonArray());
    m.insert(u"attachments"_s, QJsonArray());
    m.insert(u"components"_s, QJsonArray());
    m.remove(u"poll"_s);
}

bool reaches(const TrafficGenerator::Event &event, int shardId, int shardCount, quint32 intents)
{
    const int count = std::max(1, shardCount);
    const int target = event.guildId != 0 ? Snowflake::shardFor(event.guildId, count) : 0;
    return shardId == target
           && (event.requiredIntent == 0 || (intents & event.requiredIntent) != 0);
}

/// True if MESSAGE_CONTENT blanking applies (it may still leave the content visible).
bool mayBlank(const TrafficGenerator::Event &event, quint32 intents)
{
    const bool isMessage = event.type == "MESSAGE_CREATE"_L1 || event.type == "MESSAGE_UPDATE"_L1;
    return isMessage && (intents & Intents::MessageContent) == 0;
}

} // namespace

std::optional<QJsonObject> EventDelivery::deliver(const TrafficGenerator::Event &event, int shardId,
                                                  int shardCount, quint32 intents)
{
    if (!reaches(event, shardId, shardCount, intents))
        return std::nullopt;
    if (!mayBlank(event, intents))
        return event.data;

    QJsonObject d = event.data;
    const bool dm = event.guildId == 0;
    if (!dm && !event.mentionsBot && !event.fromBot)
        blankContent(d);
    if (!event.referencedContentVisible && d.contains(u"referenced_message"_s)) {
        QJsonObject referenced = d.value(u"referenced_message"_s).toObject();
        blankContent(referenced);
        d.insert(u"referenced_message"_s, referenced);
    }
    return d;
}

std::optional<QByteArray> EventDelivery::deliverJson(const TrafficGenerator::Event &event,
                                                     int shardId, int shardCount, quint32 intents)
{
    if (!event.json.isEmpty() && reaches(event, shardId, shardCount, intents)
        && !mayBlank(event, intents))
        return event.json;
    const std::optional<QJsonObject> d = deliver(event, shardId, shardCount, intents);
    if (!d)
        return std::nullopt;
    return WireFormat::json(*d);
}

} // namespace Gatescope::Emulator
