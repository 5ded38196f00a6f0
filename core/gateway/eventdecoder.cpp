#include "core/gateway/eventdecoder.h"

#include "core/gateway/zlibstreaminflater.h"
#include "core/store/stringinterner.h"

#include <simdjson.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

using Kind = GatewayEvent::Kind;

/// The record kind of a dispatch type; Other for everything that is not a message record
/// (MESSAGE_REACTION_*, MESSAGE_POLL_VOTE_* included).
Kind messageKindOf(QStringView type)
{
    if (!type.startsWith("MESSAGE_"_L1))
        return Kind::Other;
    if (type == "MESSAGE_CREATE"_L1)
        return Kind::MessageCreate;
    if (type == "MESSAGE_UPDATE"_L1)
        return Kind::MessageUpdate;
    if (type == "MESSAGE_DELETE"_L1)
        return Kind::MessageDelete;
    if (type == "MESSAGE_DELETE_BULK"_L1)
        return Kind::MessageDeleteBulk;
    return Kind::Other;
}

void markMalformed(GatewayEvent &event)
{
    event.kind = Kind::Malformed;
    event.error = u"%1 without an object as \"d\""_s.arg(event.type);
}

/// A message event that names no usable message (an id missing, 0, negative, beyond 64 bits or
/// not a number) is Malformed as well: handed on, it would become a row without a message id.
void rejectWithoutId(GatewayEvent &event)
{
    quint64 id = 0;
    switch (event.kind) {
    case Kind::MessageCreate:
        id = event.message.id;
        break;
    case Kind::MessageUpdate:
        id = event.update ? event.update->values.id : 0;
        break;
    case Kind::MessageDelete:
        id = event.deletedIds.value(0);
        break;
    case Kind::MessageDeleteBulk:
    case Kind::Other:
    case Kind::Malformed:
        return;
    }
    if (id != 0)
        return;
    event.kind = Kind::Malformed;
    event.message = Message();
    event.update.reset();
    event.deletedIds.clear();
    event.error = u"%1 without a valid message id"_s.arg(event.type);
}

} // namespace

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

// ---- the simdjson path --------------------------------------------------------------------

namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

static_assert(EventDecoder::PaddingBytes >= qsizetype(simdjson::SIMDJSON_PADDING));
static_assert(ZlibStreamInflater::OutputPadding >= EventDecoder::PaddingBytes);

// Returns a simdjson error from the calling function.
#define GS_TRY(expr) \
    do { \
        if (const error_code tryError = (expr); tryError != SUCCESS) \
            return tryError; \
    } while (false)

/// The text between the quotes at @p quote when it holds no escape (nothing then needs
/// unescaping or checking: stage 1 validated UTF-8 and control characters); nullopt otherwise.
std::optional<std::string_view> plainText(const char *quote)
{
    const char *begin = quote + 1;
    const char *end = begin;
    while (*end != '"' && *end != '\\')
        ++end;
    if (*end == '\\')
        return std::nullopt;
    return std::string_view(begin, std::size_t(end - begin));
}

/// plainText() for a string value's token, which runs from its opening quote to the next
/// structural character: past the closing quote there is only whitespace, so the closing quote
/// is found from the end and the text searched for a backslash at memchr's speed.
std::optional<std::string_view> plainString(std::string_view token)
{
    std::size_t end = token.size();
    while (end > 1 && token[end - 1] != '"')
        --end;
    if (end < 2)
        return plainText(token.data()); // not a well-formed token: let simdjson judge it
    const std::string_view text = token.substr(1, end - 2);
    if (std::memchr(text.data(), '\\', text.size()))
        return std::nullopt;
    return text;
}

/// A string value; escapes are decoded only where there are any (simdjson's get_string() copies
/// every string into its buffer, which most of Discord's strings do not need).
error_code readString(od::value &value, std::string_view &text)
{
    if (const std::optional<std::string_view> plain = plainString(value.raw_json_token())) {
        od::raw_json_string consumed;
        GS_TRY(value.get_raw_json_string().get(consumed));
        text = *plain;
        return SUCCESS;
    }
    return value.get_string().get(text);
}

/// Calls @p onField(key, value) for each field of @p object, in document order.
template<typename OnField>
error_code forEachField(od::object &object, OnField &&onField)
{
    for (auto result : object) {
        od::field field;
        GS_TRY(std::move(result).get(field));
        // key().raw() points just after the opening quote.
        std::string_view key;
        if (const std::optional<std::string_view> plain = plainText(field.key().raw() - 1))
            key = *plain;
        else
            GS_TRY(field.unescaped_key().get(key));
        GS_TRY(onField(key, field.value()));
    }
    return SUCCESS;
}

/// Calls @p onElement(value) for each element of @p array.
template<typename OnElement>
error_code forEachElement(od::array &array, OnElement &&onElement)
{
    for (auto element : array) {
        od::value item;
        GS_TRY(element.get(item));
        GS_TRY(onElement(item));
    }
    return SUCCESS;
}

/// Walks (and so validates) one value completely; @p depth is its nesting level if it is an
/// object or array. simdjson's on-demand API only checks what is read, so nothing is skipped
/// unread: a payload is valid JSON exactly when this walk succeeds.
error_code skipValue(od::value &value, int depth);

error_code skipObject(od::object &object, int depth)
{
    return forEachField(object, [depth](std::string_view, od::value &value) {
        return skipValue(value, depth + 1);
    });
}

error_code skipValue(od::value &value, int depth)
{
    od::json_type type;
    GS_TRY(value.type().get(type));
    switch (type) {
    case od::json_type::object: {
        if (depth > EventDecoder::MaxDepth)
            return simdjson::DEPTH_ERROR;
        od::object object;
        GS_TRY(value.get_object().get(object));
        return skipObject(object, depth);
    }
    case od::json_type::array: {
        if (depth > EventDecoder::MaxDepth)
            return simdjson::DEPTH_ERROR;
        od::array array;
        GS_TRY(value.get_array().get(array));
        return forEachElement(array,
                              [depth](od::value &item) { return skipValue(item, depth + 1); });
    }
    case od::json_type::string: {
        std::string_view text;
        return readString(value, text);
    }
    case od::json_type::number: {
        double number;
        return value.get_double().get(number);
    }
    case od::json_type::boolean: {
        bool flag;
        return value.get_bool().get(flag);
    }
    case od::json_type::null: {
        bool isNull = false;
        GS_TRY(value.is_null().get(isNull));
        return isNull ? SUCCESS : simdjson::N_ATOM_ERROR;
    }
    }
    return simdjson::TAPE_ERROR;
}

/// A JSON number as QJsonValue holds it: integers that fit qint64 exactly, the rest as double.
struct QtNumber
{
    bool isInteger = false;
    qint64 integer = 0;
    double real = 0;

    double toDouble() const { return isInteger ? double(integer) : real; }
    /// QJsonValue::toInteger(): a double converts when it is integral and inside qint64.
    std::optional<qint64> toInteger() const
    {
        if (isInteger)
            return integer;
        if (!(real >= -9223372036854775808.0 && real < 9223372036854775808.0)
            || qint64(real) != real)
            return std::nullopt;
        return qint64(real);
    }
};

error_code readNumber(od::value &value, QtNumber &number)
{
    od::number_type type;
    GS_TRY(value.get_number_type().get(type));
    // A failed get_int64() leaves the value unread, so get_double() can still take it.
    int64_t integer = 0;
    if (type != od::number_type::floating_point_number
        && value.get_int64().get(integer) == SUCCESS) {
        number = {true, integer, 0};
        return SUCCESS;
    }
    number = {};
    return value.get_double().get(number.real);
}

/// Snowflake::parse() on UTF-8: 1–20 ASCII digits that fit quint64.
quint64 idFromText(std::string_view text)
{
    // 19 digits always fit; 20 digits fit up to quint64's maximum, compared as text.
    constexpr std::string_view Max = "18446744073709551615";
    if (text.empty() || text.size() > Max.size())
        return 0;
    quint64 id = 0;
    for (const char c : text) {
        const unsigned digit = unsigned(c) - unsigned('0');
        if (digit > 9)
            return 0;
        id = id * 10 + digit;
    }
    return text.size() == Max.size() && text > Max ? 0 : id;
}

QString toQString(std::string_view utf8)
{
    return QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
}

/// Discord's own form, "2017-07-11T17:27:07.299000+00:00", read without the general parser;
/// nullopt for anything else (which parseTimestamp() then reads, with the same result here).
std::optional<qint64> discordTimestamp(std::string_view text)
{
    constexpr std::string_view Shape = "0000-00-00T00:00:00.000000+00:00";
    if (text.size() != Shape.size())
        return std::nullopt;
    for (std::size_t i = 0; i < Shape.size(); ++i) {
        const bool digit = text[i] >= '0' && text[i] <= '9';
        if (Shape[i] == '0' ? !digit : text[i] != Shape[i])
            return std::nullopt;
    }
    const auto number = [text](std::size_t at, std::size_t length) {
        int value = 0;
        for (std::size_t i = at; i < at + length; ++i)
            value = value * 10 + (text[i] - '0');
        return value;
    };
    const int month = number(5, 2);
    const int day = number(8, 2);
    const int hour = number(11, 2);
    const int minute = number(14, 2);
    const int second = number(17, 2);
    // The shape fixes the sign as '+'; the offset's digits still count ("+00:40" is valid).
    const int offsetHours = number(27, 2);
    const int offsetMinutes = number(30, 2);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60
        || offsetHours > 23 || offsetMinutes > 59)
        return std::nullopt;
    const qint64 days = MessageParser::daysFromCivil(number(0, 4), month, day);
    const qint64 seconds = days * 86400 + hour * 3600 + minute * 60 + second
                           - (offsetHours * 60 + offsetMinutes) * 60;
    return seconds * 1000 + number(20, 3);
}

/// MessageParser::parseTimestamp() on UTF-8; Discord's ASCII timestamps skip the QString.
std::optional<qint64> timestampFromText(std::string_view utf8)
{
    if (const std::optional<qint64> time = discordTimestamp(utf8))
        return time;
    char16_t utf16[48];
    if (utf8.size() > std::size(utf16))
        return MessageParser::parseTimestamp(toQString(utf8));
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        if (uchar(utf8[i]) >= 0x80)
            return MessageParser::parseTimestamp(toQString(utf8));
        utf16[i] = char16_t(uchar(utf8[i]));
    }
    return MessageParser::parseTimestamp(QStringView(utf16, qsizetype(utf8.size())));
}

/// The keys of a message's `d` that MessageParser reads.
enum class MessageKey {
    Id,
    ChannelId,
    GuildId,
    WebhookId,
    Author,
    Content,
    Timestamp,
    EditedTimestamp,
    Attachments,
    Mentions,
    Embeds,
    Type,
    Flags,
    MentionEveryone,
    Tts,
    MessageReference,
    StickerItems,
    Other,
};

/// Which key @p name is; parseUpdate() does not read `timestamp`, `type`, `tts`, `webhook_id`.
MessageKey messageKeyOf(std::string_view name, bool update)
{
    using K = MessageKey;
    const auto either = [name](std::string_view a, K ka, std::string_view b, K kb) {
        return name == a ? ka : name == b ? kb : K::Other;
    };
    switch (name.size()) { // one comparison or two instead of sixteen
    case 2:
        return name == "id" ? K::Id : K::Other;
    case 3:
        return !update && name == "tts" ? K::Tts : K::Other;
    case 4:
        return !update && name == "type" ? K::Type : K::Other;
    case 5:
        return name == "flags" ? K::Flags : K::Other;
    case 6:
        return either("author", K::Author, "embeds", K::Embeds);
    case 7:
        return name == "content" ? K::Content : K::Other;
    case 8:
        return either("guild_id", K::GuildId, "mentions", K::Mentions);
    case 9:
        return !update && name == "timestamp" ? K::Timestamp : K::Other;
    case 10:
        return either("channel_id", K::ChannelId, "webhook_id", update ? K::Other : K::WebhookId);
    case 11:
        return name == "attachments" ? K::Attachments : K::Other;
    case 16:
        return either("edited_timestamp", K::EditedTimestamp, "mention_everyone",
                      K::MentionEveryone);
    case 13:
        return !update && name == "sticker_items" ? K::StickerItems : K::Other;
    case 17:
        return name == "message_reference" ? K::MessageReference : K::Other;
    default:
        return K::Other;
    }
}

/// Reads the fields of one message event's `d` with MessageParser's rules (see
/// MessageParser::parse(), parseUpdate(), and EventDecoder::classify() for the deletes).
class MessageReader
{
public:
    explicit MessageReader(StringInterner *interner)
        : m_interner(interner)
    { }

    error_code read(od::object &d, GatewayEvent &event)
    {
        switch (event.kind) {
        case Kind::MessageCreate:
            return readMessage(d, event.message, nullptr);
        case Kind::MessageUpdate: {
            auto update = std::make_shared<MessageUpdate>();
            event.update = update;
            return readMessage(d, update->values, &update->fields);
        }
        case Kind::MessageDelete:
        case Kind::MessageDeleteBulk:
            return readDelete(d, event);
        case Kind::Other:
        case Kind::Malformed:
            break;
        }
        return SUCCESS;
    }

private:
    static constexpr int DataDepth = 2; // `d` inside the payload object

    QString intern(const QString &text) const
    {
        return m_interner ? m_interner->intern(text) : text;
    }

    static error_code readId(od::value &value, int depth, quint64 &id)
    {
        od::json_type type;
        GS_TRY(value.type().get(type));
        id = 0;
        if (type == od::json_type::string) {
            std::string_view text;
            GS_TRY(readString(value, text));
            id = idFromText(text);
            return SUCCESS;
        }
        if (type == od::json_type::number) {
            QtNumber number;
            GS_TRY(readNumber(value, number));
            const std::optional<qint64> integer = number.toInteger();
            id = integer && *integer > 0 ? quint64(*integer) : 0;
            return SUCCESS;
        }
        return skipValue(value, depth);
    }

    /// QJsonValue::toInteger(-1) of any value: -1 for non-numbers and non-integers.
    static error_code readInteger(od::value &value, int depth, qint64 &integer)
    {
        od::json_type type;
        GS_TRY(value.type().get(type));
        integer = -1;
        if (type != od::json_type::number)
            return skipValue(value, depth);
        QtNumber number;
        GS_TRY(readNumber(value, number));
        integer = number.toInteger().value_or(-1);
        return SUCCESS;
    }

    /// MessageParser::contentOf(): strings as they are, numbers as QString::number(double).
    static error_code readText(od::value &value, int depth, QString &text)
    {
        od::json_type type;
        GS_TRY(value.type().get(type));
        text = QString();
        if (type == od::json_type::string) {
            std::string_view utf8;
            GS_TRY(readString(value, utf8));
            text = toQString(utf8);
            return SUCCESS;
        }
        if (type == od::json_type::number) {
            QtNumber number;
            GS_TRY(readNumber(value, number));
            text = QString::number(number.toDouble());
            return SUCCESS;
        }
        return skipValue(value, depth);
    }

    /// QJsonValue::toBool(): true only for JSON true.
    static error_code readBool(od::value &value, int depth, bool &flag)
    {
        od::json_type type;
        GS_TRY(value.type().get(type));
        flag = false;
        if (type == od::json_type::boolean)
            return value.get_bool().get(flag);
        return skipValue(value, depth);
    }

    /// parseTimestamp(value.toString()): nullopt for non-strings.
    static error_code readTimestamp(od::value &value, int depth, std::optional<qint64> &time)
    {
        od::json_type type;
        GS_TRY(value.type().get(type));
        time.reset();
        if (type != od::json_type::string)
            return skipValue(value, depth);
        std::string_view utf8;
        GS_TRY(readString(value, utf8));
        time = timestampFromText(utf8);
        return SUCCESS;
    }

    /// When @p value is an object, calls @p onField(key, value) for each field and sets
    /// @p isObject; otherwise walks the value.
    template<typename OnField>
    static error_code readObject(od::value &value, int depth, bool &isObject, OnField &&onField)
    {
        od::json_type type;
        GS_TRY(value.type().get(type));
        isObject = type == od::json_type::object;
        if (!isObject)
            return skipValue(value, depth);
        if (depth > EventDecoder::MaxDepth)
            return simdjson::DEPTH_ERROR;
        od::object object;
        GS_TRY(value.get_object().get(object));
        return forEachField(object, onField);
    }

    /// When @p value is an array, calls @p onElement(value) for each element; otherwise walks
    /// the value.
    template<typename OnElement>
    static error_code readArray(od::value &value, int depth, OnElement &&onElement)
    {
        od::json_type type;
        GS_TRY(value.type().get(type));
        if (type != od::json_type::array)
            return skipValue(value, depth);
        if (depth > EventDecoder::MaxDepth)
            return simdjson::DEPTH_ERROR;
        od::array array;
        GS_TRY(value.get_array().get(array));
        return forEachElement(array, onElement);
    }

    /// MessageParser::readAuthor(): each occurrence of `author` replaces the previous one.
    error_code readAuthor(od::value &value, int depth, Message &m, quint32 &read) const
    {
        m.authorId = 0;
        m.authorName = QString();
        m.authorGlobalName = QString();
        setFlag(m, Message::AuthorIsBot, false);
        read = 0;
        bool isObject = false;
        return readObject(value, depth, isObject, [&](std::string_view key, od::value &item) {
            QString text;
            bool bot = false;
            if (key == "id") {
                read |= MessageUpdate::AuthorId;
                return readId(item, depth + 1, m.authorId);
            }
            if (key == "username") {
                read |= MessageUpdate::AuthorName;
                GS_TRY(readText(item, depth + 1, text));
                m.authorName = intern(text);
            } else if (key == "global_name") {
                read |= MessageUpdate::AuthorGlobalName;
                GS_TRY(readText(item, depth + 1, text));
                m.authorGlobalName = intern(text);
            } else if (key == "bot") {
                read |= MessageUpdate::AuthorBot;
                GS_TRY(readBool(item, depth + 1, bot));
                setFlag(m, Message::AuthorIsBot, bot);
            } else {
                return skipValue(item, depth + 1);
            }
            return SUCCESS;
        });
    }

    /// MessageParser::readAttachments(): non-empty objects become attachments.
    static error_code readAttachments(od::value &value, int depth, QList<Attachment> &list)
    {
        list.clear();
        return readArray(value, depth, [&](od::value &item) {
            Attachment attachment;
            bool isObject = false;
            bool empty = true;
            GS_TRY(readObject(item, depth + 1, isObject,
                              [&](std::string_view key, od::value &field) {
                                  empty = false;
                                  return readAttachmentField(key, field, depth + 2, attachment);
                              }));
            if (isObject && !empty)
                list.append(std::move(attachment));
            return SUCCESS;
        });
    }

    static error_code readAttachmentField(std::string_view key, od::value &value, int depth,
                                          Attachment &attachment)
    {
        if (key == "filename")
            return readText(value, depth, attachment.filename);
        if (key == "url")
            return readText(value, depth, attachment.url);
        if (key != "size")
            return skipValue(value, depth);
        qint64 size = -1;
        GS_TRY(readInteger(value, depth, size));
        attachment.size = qMax<qint64>(0, size);
        return SUCCESS;
    }

    /// MessageParser::readMentions(): user objects' ids, or bare ids; zeros dropped.
    static error_code readMentions(od::value &value, int depth, QList<quint64> &ids)
    {
        ids.clear();
        return readArray(value, depth, [&](od::value &item) {
            od::json_type type;
            GS_TRY(item.type().get(type));
            quint64 id = 0;
            if (type == od::json_type::object)
                GS_TRY(readIdField(item, depth + 1, "id", id));
            else
                GS_TRY(readId(item, depth + 1, id));
            if (id != 0)
                ids.append(id);
            return SUCCESS;
        });
    }

    /// parseId(value.toObject().value(@p name)): 0 when @p value is no object or lacks it.
    static error_code readIdField(od::value &value, int depth, std::string_view name, quint64 &id)
    {
        id = 0;
        bool isObject = false;
        return readObject(value, depth, isObject, [&](std::string_view key, od::value &item) {
            return key == name ? readId(item, depth + 1, id) : skipValue(item, depth + 1);
        });
    }

    /// MessageParser::readEmbeds(): the count (capped at 0xFFFF) and each embed's title.
    static error_code readEmbeds(od::value &value, int depth, Message &m)
    {
        m.embedTitles.clear();
        GS_TRY(readArray(value, depth, [&](od::value &item) {
            return readStringField(item, depth + 1, "title", m.embedTitles.emplace_back());
        }));
        m.embedCount = quint16(qMin<qsizetype>(m.embedTitles.size(), 0xFFFF));
        return SUCCESS;
    }

    /// MessageParser::readStickers(): the non-empty names of sticker_items' objects.
    static error_code readStickers(od::value &value, int depth, QStringList &names)
    {
        names.clear();
        return readArray(value, depth, [&](od::value &item) {
            QString name;
            GS_TRY(readStringField(item, depth + 1, "name", name));
            if (!name.isEmpty())
                names.append(std::move(name));
            return SUCCESS;
        });
    }

    /// contentOf(value.toObject().value(@p name)): empty when @p value is no object or lacks it.
    static error_code readStringField(od::value &value, int depth, std::string_view name,
                                      QString &text)
    {
        text = QString();
        bool isObject = false;
        return readObject(value, depth, isObject, [&](std::string_view key, od::value &item) {
            return key == name ? readText(item, depth + 1, text) : skipValue(item, depth + 1);
        });
    }

    /// MessageParser::parse() when @p fields is null, else parseUpdate() (which reads fewer
    /// keys and records in @p fields which ones the update carried).
    error_code readMessage(od::object &d, Message &m, quint32 *fields) const
    {
        const bool update = fields != nullptr;
        quint32 carried = 0;
        quint32 authorRead = 0;
        std::optional<qint64> timestamp;
        std::optional<qint64> edited;
        qint64 messageFlags = -1; // as read, -1 when absent or unusable
        qint64 type = -1;
        constexpr int depth = DataDepth + 1; // of the values inside `d`
        GS_TRY(forEachField(d, [&](std::string_view name, od::value &value) {
            bool on = false;
            switch (messageKeyOf(name, update)) {
            case MessageKey::Id:
                return readId(value, depth, m.id);
            case MessageKey::ChannelId:
                return readId(value, depth, m.channelId);
            case MessageKey::GuildId:
                carried |= MessageUpdate::GuildId;
                return readId(value, depth, m.guildId);
            case MessageKey::WebhookId:
                return readId(value, depth, m.webhookId);
            case MessageKey::Author:
                return readAuthor(value, depth, m, authorRead);
            case MessageKey::Content:
                carried |= MessageUpdate::Content;
                return readText(value, depth, m.content);
            case MessageKey::Timestamp:
                return readTimestamp(value, depth, timestamp);
            case MessageKey::EditedTimestamp:
                return readTimestamp(value, depth, edited);
            case MessageKey::Attachments:
                carried |= MessageUpdate::Attachments;
                return readAttachments(value, depth, m.attachments);
            case MessageKey::Mentions:
                carried |= MessageUpdate::Mentions;
                return readMentions(value, depth, m.mentionIds);
            case MessageKey::Embeds:
                carried |= MessageUpdate::Embeds;
                return readEmbeds(value, depth, m);
            case MessageKey::Type:
                return readInteger(value, depth, type);
            case MessageKey::Flags:
                carried |= MessageUpdate::MessageFlags;
                return readInteger(value, depth, messageFlags);
            case MessageKey::MentionEveryone:
                carried |= MessageUpdate::MentionEveryone;
                GS_TRY(readBool(value, depth, on));
                setFlag(m, Message::MentionsEveryone, on);
                return SUCCESS;
            case MessageKey::Tts:
                GS_TRY(readBool(value, depth, on));
                setFlag(m, Message::Tts, on);
                return SUCCESS;
            case MessageKey::MessageReference:
                carried |= MessageUpdate::Reference;
                return readIdField(value, depth, "message_id", m.replyToId);
            case MessageKey::StickerItems:
                return readStickers(value, depth, m.stickerNames);
            case MessageKey::Other:
                break;
            }
            return skipValue(value, depth);
        }));
        const bool flagsValid
                = messageFlags >= 0 && quint64(messageFlags) <= std::numeric_limits<quint32>::max();
        if (update)
            finishUpdate(m, *fields, carried, authorRead, edited, flagsValid);
        else
            finishMessage(m, timestamp, edited, type);
        if (flagsValid)
            m.messageFlags = quint32(messageFlags);
        return SUCCESS;
    }

    static void finishUpdate(Message &m, quint32 &fields, quint32 carried, quint32 authorRead,
                             std::optional<qint64> edited, bool flagsValid)
    {
        if (!flagsValid)
            carried &= ~quint32(MessageUpdate::MessageFlags);
        fields = carried | authorRead;
        if (edited) {
            m.editedAtMs = *edited;
            fields |= MessageUpdate::EditedTimestamp;
        }
    }

    static void finishMessage(Message &m, std::optional<qint64> timestamp,
                              std::optional<qint64> edited, qint64 type)
    {
        MessageParser::completeParsed(m, timestamp, edited);
        m.type = type >= 0 && type <= 0xFF ? quint8(type) : 0;
    }

    static void setFlag(Message &m, Message::Flag flag, bool on)
    {
        m.flags = on ? quint8(m.flags | flag) : quint8(m.flags & ~flag);
    }

    /// classify()'s deletes: `id` (or `ids`), `channel_id`, `guild_id`.
    static error_code readDelete(od::object &d, GatewayEvent &event)
    {
        constexpr int depth = DataDepth + 1;
        const bool bulk = event.kind == Kind::MessageDeleteBulk;
        quint64 id = 0;
        GS_TRY(forEachField(d, [&](std::string_view key, od::value &value) {
            if (key == "channel_id")
                return readId(value, depth, event.channelId);
            if (key == "guild_id")
                return readId(value, depth, event.guildId);
            if (!bulk && key == "id")
                return readId(value, depth, id);
            if (bulk && key == "ids")
                return readIds(value, depth, event.deletedIds);
            return skipValue(value, depth);
        }));
        if (!bulk)
            event.deletedIds = {id};
        return SUCCESS;
    }

    static error_code readIds(od::value &value, int depth, QList<quint64> &ids)
    {
        ids.clear();
        return readArray(value, depth, [&](od::value &item) {
            quint64 id = 0;
            GS_TRY(readId(item, depth + 1, id));
            ids.append(id);
            return SUCCESS;
        });
    }

    StringInterner *m_interner = nullptr;
};

/// The envelope as read so far; a repeated key replaces what the earlier one said.
struct Envelope
{
    std::optional<qint64> op; ///< nullopt: absent or not an exact integer
    std::optional<qint64> s;
    bool badSequence = false;
    bool badEventName = false;
    QString t;
    Kind kind = Kind::Other; ///< the message kind `t` names
    std::string_view d; ///< the bytes of `d`, empty when absent
    bool dIsObject = false;
    /// `event` holds `d` decoded for this kind (Other: not decoded), from these bytes.
    Kind decodedKind = Kind::Other;
    std::string_view decodedFrom;
};

/// payload.cpp's exactInteger(): a non-negative integral double up to 2^53.
error_code readExactInteger(od::value &value, std::optional<qint64> &integer)
{
    od::json_type type;
    GS_TRY(value.type().get(type));
    integer.reset();
    if (type != od::json_type::number)
        return skipValue(value, 2);
    QtNumber number;
    GS_TRY(readNumber(value, number));
    const double real = number.toDouble();
    if (std::isfinite(real) && real >= 0 && real <= 9007199254740992.0 && std::floor(real) == real)
        integer = qint64(real);
    return SUCCESS;
}

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

/// simdjson state kept between payloads: the parser's buffers are reused.
struct EventDecoder::Simd
{
    od::parser parser;
    std::vector<char> padded; ///< decode(const QByteArray&)'s copy of the payload
    StringInterner *interner = nullptr;
    /// Event types seen so far (a few dozen exist), so that `t` costs no allocation.
    QList<std::pair<QByteArray, QString>> types;

    QString typeNamed(std::string_view utf8)
    {
        const QByteArrayView bytes(utf8.data(), qsizetype(utf8.size()));
        for (const auto &[known, name] : std::as_const(types)) {
            if (known == bytes)
                return name;
        }
        QString name = toQString(utf8);
        if (types.size() < 128) // hostile streams of made-up types do not grow it further
            types.append({bytes.toByteArray(), name});
        return name;
    }

    QByteArrayView copyPadded(QByteArrayView bytes)
    {
        padded.resize(std::size_t(bytes.size() + PaddingBytes));
        std::memcpy(padded.data(), bytes.data(), std::size_t(bytes.size()));
        std::memset(padded.data() + bytes.size(), 0, std::size_t(PaddingBytes));
        return QByteArrayView(padded.data(), bytes.size());
    }

    error_code decode(QByteArrayView payload, Result &result);
    error_code readEnvelopeField(std::string_view key, od::value &value, od::document &doc,
                                 Envelope &envelope, GatewayEvent &event);
    error_code readData(od::value &value, od::document &doc, Envelope &envelope,
                        GatewayEvent &event);
    error_code decodeDataAgain(QByteArrayView payload, Envelope &envelope, GatewayEvent &event);
    /// Gives back the memory a huge payload made the parser take.
    void shrink()
    {
        if (parser.capacity() > 4 * 1024 * 1024)
            parser = od::parser();
        if (padded.capacity() > 4 * 1024 * 1024)
            padded = std::vector<char>();
    }
};

error_code EventDecoder::Simd::readEnvelopeField(std::string_view key, od::value &value,
                                                 od::document &doc, Envelope &envelope,
                                                 GatewayEvent &event)
{
    if (key == "t") {
        od::json_type type;
        GS_TRY(value.type().get(type));
        envelope.t = QString();
        envelope.badEventName = type != od::json_type::string && type != od::json_type::null;
        if (type != od::json_type::string)
            return skipValue(value, 2);
        std::string_view text;
        GS_TRY(readString(value, text));
        envelope.t = typeNamed(text);
        envelope.kind = messageKindOf(envelope.t);
        return SUCCESS;
    }
    if (key == "s") {
        od::json_type type;
        GS_TRY(value.type().get(type));
        envelope.s.reset();
        envelope.badSequence = false;
        if (type == od::json_type::null)
            return skipValue(value, 2); // checks that it really is `null`
        GS_TRY(readExactInteger(value, envelope.s));
        envelope.badSequence = !envelope.s;
        return SUCCESS;
    }
    if (key == "op")
        return readExactInteger(value, envelope.op);
    if (key == "d")
        return readData(value, doc, envelope, event);
    return skipValue(value, 2);
}

error_code EventDecoder::Simd::readData(od::value &value, od::document &doc, Envelope &envelope,
                                        GatewayEvent &event)
{
    const char *start = value.raw_json_token().data();
    od::json_type type;
    GS_TRY(value.type().get(type));
    envelope.dIsObject = type == od::json_type::object;
    envelope.decodedKind = Kind::Other;
    // Discord sends `t` before `d`: the message is read in this same pass. Otherwise `d` is
    // only walked here and read again from its bytes once `t` is known (decodeDataAgain()).
    if (envelope.dIsObject && envelope.kind != Kind::Other) {
        od::object object;
        GS_TRY(value.get_object().get(object));
        event = GatewayEvent();
        event.kind = envelope.kind;
        GS_TRY(MessageReader(interner).read(object, event));
        envelope.decodedKind = envelope.kind;
    } else {
        GS_TRY(skipValue(value, 2));
    }
    // The next token (`,` or `}`) ends `d`; whitespace before it is not part of the value.
    const char *end = nullptr;
    GS_TRY(doc.current_location().get(end));
    while (end > start && isJsonSpace(end[-1]))
        --end;
    envelope.d = std::string_view(start, std::size_t(end - start));
    envelope.decodedFrom = envelope.d;
    return SUCCESS;
}

error_code EventDecoder::Simd::decodeDataAgain(QByteArrayView payload, Envelope &envelope,
                                               GatewayEvent &event)
{
    // `d` lies inside the padded payload, so the payload's rest and its padding follow it.
    const char *bufferEnd = payload.data() + payload.size() + PaddingBytes;
    od::document doc;
    GS_TRY(parser.iterate(envelope.d.data(), envelope.d.size(),
                          std::size_t(bufferEnd - envelope.d.data()))
                   .get(doc));
    od::object object;
    GS_TRY(doc.get_object().get(object));
    event = GatewayEvent();
    event.kind = envelope.kind;
    GS_TRY(MessageReader(interner).read(object, event));
    envelope.decodedKind = envelope.kind;
    return SUCCESS;
}

error_code EventDecoder::Simd::decode(QByteArrayView payload, Result &result)
{
    od::document doc;
    GS_TRY(parser.iterate(payload.data(), std::size_t(payload.size()),
                          std::size_t(payload.size() + PaddingBytes))
                   .get(doc));
    od::object root;
    GS_TRY(doc.get_object().get(root));
    Envelope envelope;
    GatewayEvent event;
    GS_TRY(forEachField(root, [&](std::string_view key, od::value &value) {
        return readEnvelopeField(key, value, doc, envelope, event);
    }));
    // Anything after the root object is garbage (simdjson does not look on its own).
    if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
        return simdjson::TRAILING_CONTENT;

    // The same checks, in the same order, as payloadFromObject().
    if (!envelope.op || *envelope.op > 255) {
        result.error = {PayloadError::Kind::MissingOp, u"payload has no integer \"op\""_s};
        return SUCCESS;
    }
    if (envelope.badSequence) {
        result.error
                = {PayloadError::Kind::BadSequence, u"payload \"s\" is not a sequence number"_s};
        return SUCCESS;
    }
    if (envelope.badEventName) {
        result.error = {PayloadError::Kind::BadEventName, u"payload \"t\" is not a string"_s};
        return SUCCESS;
    }
    result.op = int(*envelope.op);
    result.s = envelope.s;
    result.t = envelope.t;
    result.rawData = envelope.d.empty()
                             ? "null"_ba
                             : QByteArray(envelope.d.data(), qsizetype(envelope.d.size()));
    if (result.op != int(Opcode::Dispatch))
        return SUCCESS;
    if (envelope.kind != Kind::Other && !envelope.dIsObject) {
        event = GatewayEvent();
        event.type = envelope.t;
        markMalformed(event);
    } else if (envelope.kind != Kind::Other
               && (envelope.decodedKind != envelope.kind
                   || envelope.decodedFrom.data() != envelope.d.data())) {
        GS_TRY(decodeDataAgain(payload, envelope, event));
    } else if (envelope.kind == Kind::Other) {
        event = GatewayEvent();
    }
    event.type = envelope.t;
    event.seq = envelope.s.value_or(-1);
    event.rawData = result.rawData;
    rejectWithoutId(event);
    result.event = std::move(event);
    return SUCCESS;
}

#undef GS_TRY

EventDecoder::EventDecoder(StringInterner *interner)
    : m_parser(interner)
    , m_simd(std::make_unique<Simd>())
{
    m_simd->interner = interner;
}

EventDecoder::~EventDecoder() = default;

EventDecoder::Result EventDecoder::decode(QByteArrayView payload)
{
    return decodePadded(m_simd->copyPadded(payload));
}

EventDecoder::Result EventDecoder::decodePadded(QByteArrayView payload)
{
    Result result;
    error_code error = m_simd->decode(payload, result);
    QByteArray repaired;
    if (error == simdjson::UTF8_ERROR) {
        // simdjson refuses invalid UTF-8 outright. Replace each bad sequence with U+FFFD the way
        // QString::fromUtf8() does (so text reads as it would have), and decode the result.
        repaired = QString::fromUtf8(payload).toUtf8();
        result = Result();
        error = m_simd->decode(m_simd->copyPadded(repaired), result);
    }
    if (error == simdjson::DEPTH_ERROR) {
        result = Result();
        result.error = {PayloadError::Kind::InvalidJson,
                        u"invalid JSON: nested deeper than %1 levels"_s.arg(MaxDepth)};
    } else if (error != SUCCESS) {
        // Not JSON to simdjson: QJsonDocument gives parsePayload()'s error (or, for what it is
        // more lenient about, its reading).
        result = decodeWithJsonTree(repaired.isNull() ? payload.toByteArray() : repaired);
    }
    m_simd->shrink();
    return result;
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
    const Kind kind = messageKindOf(event.type);
    if (kind == Kind::Other)
        return;
    if (!d.isObject()) {
        markMalformed(event);
        return;
    }
    const QJsonObject object = d.toObject();
    event.kind = kind;
    switch (kind) {
    case Kind::MessageCreate:
        event.message = m_parser.parse(object);
        break;
    case Kind::MessageUpdate:
        event.update = std::make_shared<const MessageUpdate>(m_parser.parseUpdate(object));
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
    rejectWithoutId(event);
}

} // namespace Gatescope
