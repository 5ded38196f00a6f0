#pragma once

#include "core/gateway/gatewayevent.h"
#include "core/gateway/payload.h"
#include "core/store/messageparser.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace Gatescope {

class StringInterner;

/// Decodes one inflated gateway payload once: the envelope (`op`, `t`, `s`), the raw bytes of
/// `d`, and for dispatches the GatewayEvent, with message events already turned into Message
/// values. Control payloads (Hello, op 9, …) are small and rare; read their `d` with Result::d().
///
/// Hostile input never crashes it: malformed JSON gives Result::error, nesting is bounded, ids
/// never pass through double, and a message event whose `d` is unusable becomes a
/// GatewayEvent::Kind::Malformed event rather than an empty message.
///
/// Not thread-safe (it keeps parser state and, when given, a StringInterner); one per client.
class EventDecoder
{
public:
    struct Result
    {
        int op = -1;
        std::optional<qint64> s;
        QString t;
        QByteArray rawData; ///< the raw JSON of `d` ("null" when absent)
        GatewayEvent event; ///< dispatches (op 0) only
        PayloadError error;

        bool ok() const { return error.kind == PayloadError::Kind::None; }
        /// `d` as a JSON value, parsed from rawData (for control payloads).
        QJsonValue d() const;
    };

    /// @p interner (not owned, may be null) shares repeating author names.
    explicit EventDecoder(StringInterner *interner = nullptr);
    ~EventDecoder();
    EventDecoder(const EventDecoder &) = delete;
    EventDecoder &operator=(const EventDecoder &) = delete;

    /// Decodes @p payload.
    Result decode(const QByteArray &payload);

    /// The reference decoder: a QJsonDocument tree read by MessageParser. Slower; kept as the
    /// oracle that the property tests compare decode() with. rawData is `d` re-serialised.
    Result decodeWithJsonTree(const QByteArray &payload) const;

    /// Fills the message part of @p event (kind, message, update, deletedIds, …) from the
    /// JSON object @p d, exactly as decodeWithJsonTree() does: for callers that only have a tree
    /// (recordings, tests).
    void classify(GatewayEvent &event, const QJsonValue &d) const;

private:
    MessageParser m_parser;
};

} // namespace Gatescope
