#pragma once

#include "emulator/trafficgenerator.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>

namespace Gatescope::Emulator {

/// Decides what one session receives of a generated event: shard routing and intent filtering,
/// including MESSAGE_CONTENT blanking. Stateless, any thread.
class EventDelivery
{
public:
    using Event = TrafficGenerator::Event;

    /// See TrafficGenerator::deliver().
    static std::optional<QJsonObject> deliver(const Event &event, int shardId, int shardCount,
                                              quint32 intents);
    /// See TrafficGenerator::deliverJson().
    static std::optional<QByteArray> deliverJson(const Event &event, int shardId, int shardCount,
                                                 quint32 intents);
};

} // namespace Gatescope::Emulator
