#pragma once

#include "core/store/message.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QStringView>

#include <optional>

namespace Gatescope {

class StringInterner;

/// Turns MESSAGE_CREATE / MESSAGE_UPDATE event data (the `d` of the dispatch, protocol reference
/// §11) into Message records.
///
/// Tolerant by design: a missing author, null content, numbers where strings are expected, or
/// malformed timestamps never throw or crash; the field is left at its default. Ids are read from
/// strings (or exact JSON integers), never through double.
///
/// The search key is the case-folded content only (not the author): bare words and phrases of the
/// filter language match content, and `from:` matches authors. It is stored only for content with
/// non-ASCII characters (see searchKeyFor()); when folding changes nothing it shares the content's
/// buffer, so it costs no memory.
///
/// Not thread-safe when an interner is set (the interner is not).
class MessageParser
{
public:
    /// @p interner (not owned, may be null) shares repeating author names.
    explicit MessageParser(StringInterner *interner = nullptr);

    /// Parses MESSAGE_CREATE data. The result has id 0 when @p d carries no usable id.
    /// A missing or unreadable timestamp falls back to the time encoded in the message id.
    Message parse(const QJsonObject &d) const;

    /// Merges MESSAGE_UPDATE data into @p message: a missing key leaves the field unchanged.
    /// A content change pushes the previous content into Message::revisions and sets Edited and
    /// editedAtMs (edited_timestamp, or @p nowMs when the update has none). Returns true when
    /// anything shown changed.
    bool applyUpdate(Message &message, const QJsonObject &d, qint64 nowMs) const;
    /// MESSAGE_UPDATE data as the fields it carries, for applyUpdate(Message&, MessageUpdate).
    MessageUpdate parseUpdate(const QJsonObject &d) const;
    /// Merges a decoded update into @p message, with the rules of the QJsonObject overload
    /// (which is this applied to parseUpdate(d)). Returns true when anything shown changed.
    static bool applyUpdate(Message &message, const MessageUpdate &update, qint64 nowMs);

    /// A snowflake from a JSON string (or an exact non-negative JSON integer); 0 otherwise.
    static quint64 parseId(const QJsonValue &value);
    /// ISO 8601 `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z|±HH[:]MM]` to ms since the epoch (UTC;
    /// no zone means UTC). Any number of fraction digits; nullopt for anything else.
    static std::optional<qint64> parseTimestamp(QStringView text);
    /// Message::searchKey for @p content: null for pure ASCII content (whose fold is its ASCII
    /// lower case, compared on the fly by MessageFilter), else content.toCaseFolded().
    static QString searchKeyFor(const QString &content);
    /// What parse() derives once the keys are read: the FromWebhook flag from webhookId, the
    /// searchKey, timestampMs from @p timestamp or else the id's time, and editedAtMs with the
    /// Edited flag when @p edited is set. For decoders that read the keys themselves.
    static void completeParsed(Message &message, std::optional<qint64> timestamp,
                               std::optional<qint64> edited);
    /// Days since 1970-01-01 of a proleptic Gregorian date (no validation).
    static qint64 daysFromCivil(int year, int month, int day);

private:
    QString intern(const QString &text) const;
    /// Reads the author keys present in @p author; returns the MessageUpdate bits of those read.
    quint32 readAuthor(Message &message, const QJsonObject &author) const;
    static void readAttachments(Message &message, const QJsonValue &value);
    static void readMentions(Message &message, const QJsonValue &value);
    /// embeds: the count and each embed's title (empty for none or a non-object).
    static void readEmbeds(Message &message, const QJsonValue &value);
    /// sticker_items: the non-empty names of its objects.
    static void readStickers(Message &message, const QJsonValue &value);
    static QString contentOf(const QJsonValue &value);

    StringInterner *m_interner = nullptr;
};

} // namespace Gatescope
