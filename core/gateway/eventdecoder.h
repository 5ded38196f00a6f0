#pragma once

#include "core/gateway/gatewayevent.h"
#include "core/gateway/payload.h"
#include "core/store/messageparser.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

#include <memory>
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
/// decode() reads the payload once with simdjson's on-demand API: every value is walked (and so
/// validated), message fields are read where they stand, and `d` is kept as the bytes received.
/// Its results equal decodeWithJsonTree()'s (the property test in tst_eventdecoder holds it to
/// that), apart from these documented differences:
/// - invalid UTF-8 is replaced by U+FFFD as QString::fromUtf8() does, and the payload decoded
///   again (rawData then holds the repaired bytes); the tree path refuses it as InvalidJson;
/// - nesting deeper than MaxDepth is refused as InvalidJson (QJsonDocument allows 1024 levels);
/// - rawData is `d` as received rather than re-serialised (same JSON, possibly other bytes).
/// Input that simdjson refuses for any other reason (bad syntax, lone surrogate escapes and raw
/// control characters, which QJsonDocument accepts, numbers beyond double) is handed to
/// decodeWithJsonTree(), so errors carry exactly parsePayload()'s kinds and messages.
/// Duplicate keys: the last one wins, as in QJsonObject.
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

    /// simdjson reads up to this many bytes past the end of its input (SIMDJSON_PADDING).
    static constexpr qsizetype PaddingBytes = 64;
    /// The deepest nesting of objects and arrays decode() accepts (the root object is level 1).
    /// Discord's payloads nest about 8 deep; the bound keeps hostile input from costing stack.
    static constexpr int MaxDepth = 128;

    /// Decodes @p payload (copied into a reused padded buffer first; see decodePadded()).
    Result decode(QByteArrayView payload);
    /// Decodes @p payload without copying it: at least PaddingBytes readable bytes must follow
    /// its end, as they do after ZlibStreamInflater's payload views.
    Result decodePadded(QByteArrayView payload);

    /// The reference decoder: a QJsonDocument tree read by MessageParser. Slower; kept as the
    /// oracle that the property tests compare decode() with. rawData is `d` re-serialised.
    Result decodeWithJsonTree(const QByteArray &payload) const;

    /// Fills the message part of @p event (kind, message, update, deletedIds, …) from the
    /// JSON object @p d, exactly as decodeWithJsonTree() does: for callers that only have a tree
    /// (recordings, tests).
    void classify(GatewayEvent &event, const QJsonValue &d) const;

private:
    struct Simd;

    MessageParser m_parser;
    std::unique_ptr<Simd> m_simd;
};

} // namespace Gatescope
