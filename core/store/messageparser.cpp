#include "core/store/messageparser.h"

#include "core/gateway/snowflake.h"
#include "core/store/stringinterner.h"

#include <QJsonArray>

#include <limits>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

template<typename T>
T boundedInt(const QJsonValue &value, T fallback)
{
    const qint64 v = value.toInteger(-1);
    if (v < 0 || quint64(v) > quint64(std::numeric_limits<T>::max()))
        return fallback;
    return T(v);
}

void setFlag(Message &message, Message::Flag flag, bool on)
{
    if (on)
        message.flags |= flag;
    else
        message.flags &= quint8(~flag);
}

int digits(QStringView text, qsizetype &pos, int count, bool *ok)
{
    int value = 0;
    for (int i = 0; i < count; ++i, ++pos) {
        if (pos >= text.size() || text[pos] < u'0' || text[pos] > u'9') {
            *ok = false;
            return 0;
        }
        value = value * 10 + (text[pos].unicode() - u'0');
    }
    return value;
}

bool at(QStringView text, qsizetype pos, char16_t c)
{
    return pos < text.size() && text[pos] == c;
}

} // namespace

MessageParser::MessageParser(StringInterner *interner)
    : m_interner(interner)
{ }

QString MessageParser::intern(const QString &text) const
{
    return m_interner ? m_interner->intern(text) : text;
}

quint64 MessageParser::parseId(const QJsonValue &value)
{
    if (value.isString())
        return Snowflake::parse(value.toString()).value_or(0);
    // toInteger() only succeeds for numbers stored exactly as integers: no double round trip.
    const qint64 number = value.toInteger(-1);
    return number > 0 ? quint64(number) : 0;
}

qint64 MessageParser::daysFromCivil(int year, int month, int day)
{
    // Howard Hinnant's days_from_civil.
    year -= month <= 2 ? 1 : 0;
    const qint64 era = (year >= 0 ? year : year - 399) / 400;
    const unsigned yoe = unsigned(year - era * 400);
    const unsigned doy = (153 * unsigned(month + (month > 2 ? -3 : 9)) + 2) / 5 + unsigned(day) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

std::optional<qint64> MessageParser::parseTimestamp(QStringView text)
{
    text = text.trimmed();
    bool ok = true;
    qsizetype pos = 0;
    const int year = digits(text, pos, 4, &ok);
    if (!ok || !at(text, pos++, u'-'))
        return std::nullopt;
    const int month = digits(text, pos, 2, &ok);
    if (!ok || !at(text, pos++, u'-'))
        return std::nullopt;
    const int day = digits(text, pos, 2, &ok);
    if (!ok || month < 1 || month > 12 || day < 1 || day > 31)
        return std::nullopt;
    if (!at(text, pos, u'T') && !at(text, pos, u't') && !at(text, pos, u' '))
        return std::nullopt;
    ++pos;
    const int hour = digits(text, pos, 2, &ok);
    if (!ok || !at(text, pos++, u':'))
        return std::nullopt;
    const int minute = digits(text, pos, 2, &ok);
    if (!ok)
        return std::nullopt;
    int second = 0;
    int millis = 0;
    if (at(text, pos, u':')) {
        ++pos;
        second = digits(text, pos, 2, &ok);
        if (!ok)
            return std::nullopt;
        if (at(text, pos, u'.') || at(text, pos, u',')) {
            ++pos;
            int scale = 100;
            const qsizetype start = pos;
            while (pos < text.size() && text[pos] >= u'0' && text[pos] <= u'9') {
                millis += (text[pos].unicode() - u'0') * scale;
                scale /= 10;
                ++pos;
            }
            if (pos == start)
                return std::nullopt;
        }
    }
    if (hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    qint64 offsetMinutes = 0;
    if (at(text, pos, u'Z') || at(text, pos, u'z')) {
        ++pos;
    } else if (at(text, pos, u'+') || at(text, pos, u'-')) {
        const int sign = text[pos] == u'-' ? -1 : 1;
        ++pos;
        const int oh = digits(text, pos, 2, &ok);
        if (at(text, pos, u':'))
            ++pos;
        const int om = digits(text, pos, 2, &ok);
        if (!ok || oh > 23 || om > 59)
            return std::nullopt;
        offsetMinutes = sign * (oh * 60 + om);
    }
    if (pos != text.size())
        return std::nullopt;
    const qint64 days = daysFromCivil(year, month, day);
    const qint64 seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
    return seconds * 1000 + millis;
}

QString MessageParser::searchKeyFor(const QString &content)
{
    for (const QChar c : content) {
        if (c.unicode() >= 0x80)
            return content.toCaseFolded();
    }
    return {};
}

QString MessageParser::contentOf(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble());
    return {};
}

quint32 MessageParser::readAuthor(Message &message, const QJsonObject &author) const
{
    quint32 read = 0;
    if (author.contains("id"_L1)) {
        message.authorId = parseId(author.value("id"_L1));
        read |= MessageUpdate::AuthorId;
    }
    if (author.contains("username"_L1)) {
        message.authorName = intern(contentOf(author.value("username"_L1)));
        read |= MessageUpdate::AuthorName;
    }
    if (author.contains("global_name"_L1)) {
        message.authorGlobalName = intern(contentOf(author.value("global_name"_L1)));
        read |= MessageUpdate::AuthorGlobalName;
    }
    if (author.contains("bot"_L1)) {
        setFlag(message, Message::AuthorIsBot, author.value("bot"_L1).toBool());
        read |= MessageUpdate::AuthorBot;
    }
    return read;
}

void MessageParser::readAttachments(Message &message, const QJsonValue &value)
{
    message.attachments.clear();
    const QJsonArray array = value.toArray();
    message.attachments.reserve(array.size());
    for (const QJsonValue &item : array) {
        const QJsonObject object = item.toObject();
        if (object.isEmpty())
            continue;
        message.attachments.append({contentOf(object.value("filename"_L1)),
                                    qMax<qint64>(0, object.value("size"_L1).toInteger(0)),
                                    contentOf(object.value("url"_L1))});
    }
}

void MessageParser::readMentions(Message &message, const QJsonValue &value)
{
    message.mentionIds.clear();
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array) {
        // Users normally; tolerate bare id strings too.
        const quint64 id
                = item.isObject() ? parseId(item.toObject().value("id"_L1)) : parseId(item);
        if (id != 0)
            message.mentionIds.append(id);
    }
}

void MessageParser::readEmbeds(Message &message, const QJsonValue &value)
{
    const QJsonArray array = value.toArray();
    message.embedCount = quint16(qMin<qsizetype>(array.size(), 0xFFFF));
    message.embedTitles.clear();
    for (const QJsonValue &item : array)
        message.embedTitles.append(contentOf(item.toObject().value("title"_L1)));
}

void MessageParser::readStickers(Message &message, const QJsonValue &value)
{
    message.stickerNames.clear();
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array) {
        QString name = contentOf(item.toObject().value("name"_L1));
        if (!name.isEmpty())
            message.stickerNames.append(std::move(name));
    }
}

Message MessageParser::parse(const QJsonObject &d) const
{
    Message m;
    m.id = parseId(d.value("id"_L1));
    m.channelId = parseId(d.value("channel_id"_L1));
    m.guildId = parseId(d.value("guild_id"_L1));
    m.webhookId = parseId(d.value("webhook_id"_L1));
    readAuthor(m, d.value("author"_L1).toObject());
    m.content = contentOf(d.value("content"_L1));
    completeParsed(m, parseTimestamp(d.value("timestamp"_L1).toString()),
                   parseTimestamp(d.value("edited_timestamp"_L1).toString()));
    readAttachments(m, d.value("attachments"_L1));
    readMentions(m, d.value("mentions"_L1));
    readEmbeds(m, d.value("embeds"_L1));
    readStickers(m, d.value("sticker_items"_L1));
    m.type = boundedInt<quint8>(d.value("type"_L1), 0);
    m.messageFlags = boundedInt<quint32>(d.value("flags"_L1), 0);
    setFlag(m, Message::MentionsEveryone, d.value("mention_everyone"_L1).toBool());
    setFlag(m, Message::Tts, d.value("tts"_L1).toBool());
    m.replyToId = parseId(d.value("message_reference"_L1).toObject().value("message_id"_L1));
    return m;
}

void MessageParser::completeParsed(Message &m, std::optional<qint64> timestamp,
                                   std::optional<qint64> edited)
{
    setFlag(m, Message::FromWebhook, m.webhookId != 0);
    m.searchKey = searchKeyFor(m.content);
    m.timestampMs = timestamp ? *timestamp : (m.id ? Snowflake::timestampMs(m.id) : 0);
    if (edited) {
        m.editedAtMs = *edited;
        m.flags |= Message::Edited;
    }
}

bool MessageParser::applyUpdate(Message &m, const QJsonObject &d, qint64 nowMs) const
{
    return applyUpdate(m, parseUpdate(d), nowMs);
}

MessageUpdate MessageParser::parseUpdate(const QJsonObject &d) const
{
    MessageUpdate u;
    Message &v = u.values;
    v.id = parseId(d.value("id"_L1));
    v.channelId = parseId(d.value("channel_id"_L1));
    if (d.contains("edited_timestamp"_L1)) {
        if (const auto edited = parseTimestamp(d.value("edited_timestamp"_L1).toString())) {
            v.editedAtMs = *edited;
            u.fields |= MessageUpdate::EditedTimestamp;
        }
    }
    if (d.contains("content"_L1)) {
        v.content = contentOf(d.value("content"_L1));
        u.fields |= MessageUpdate::Content;
    }
    if (d.contains("guild_id"_L1)) {
        v.guildId = parseId(d.value("guild_id"_L1));
        u.fields |= MessageUpdate::GuildId;
    }
    if (d.contains("author"_L1) && d.value("author"_L1).isObject())
        u.fields |= readAuthor(v, d.value("author"_L1).toObject());
    if (d.contains("attachments"_L1)) {
        readAttachments(v, d.value("attachments"_L1));
        u.fields |= MessageUpdate::Attachments;
    }
    if (d.contains("mentions"_L1)) {
        readMentions(v, d.value("mentions"_L1));
        u.fields |= MessageUpdate::Mentions;
    }
    if (d.contains("embeds"_L1)) {
        readEmbeds(v, d.value("embeds"_L1));
        u.fields |= MessageUpdate::Embeds;
    }
    if (d.contains("flags"_L1)) {
        const qint64 flags = d.value("flags"_L1).toInteger(-1);
        if (flags >= 0 && quint64(flags) <= std::numeric_limits<quint32>::max()) {
            v.messageFlags = quint32(flags);
            u.fields |= MessageUpdate::MessageFlags;
        }
    }
    if (d.contains("mention_everyone"_L1)) {
        setFlag(v, Message::MentionsEveryone, d.value("mention_everyone"_L1).toBool());
        u.fields |= MessageUpdate::MentionEveryone;
    }
    if (d.contains("message_reference"_L1)) {
        v.replyToId = parseId(d.value("message_reference"_L1).toObject().value("message_id"_L1));
        u.fields |= MessageUpdate::Reference;
    }
    return u;
}

bool MessageParser::applyUpdate(Message &m, const MessageUpdate &u, qint64 nowMs)
{
    const Message &v = u.values;
    bool changed = false;
    const std::optional<qint64> editedAt = u.has(MessageUpdate::EditedTimestamp)
                                                   ? std::optional<qint64>(v.editedAtMs)
                                                   : std::nullopt;
    if (u.has(MessageUpdate::Content) && v.content != m.content) {
        m.revisions.append({editedAt.value_or(nowMs), m.content});
        m.content = v.content;
        m.searchKey = searchKeyFor(v.content);
        m.flags |= Message::Edited;
        m.editedAtMs = editedAt.value_or(nowMs);
        changed = true;
    }
    if (editedAt && *editedAt != m.editedAtMs) {
        m.editedAtMs = *editedAt;
        m.flags |= Message::Edited;
        changed = true;
    }
    if (u.has(MessageUpdate::GuildId) && m.guildId == 0)
        m.guildId = v.guildId;
    const quint8 flagsBefore = m.flags;
    bool authorChanged = false;
    if (u.has(MessageUpdate::AuthorId))
        m.authorId = v.authorId;
    if (u.has(MessageUpdate::AuthorName)) {
        authorChanged |= m.authorName != v.authorName;
        m.authorName = v.authorName;
    }
    if (u.has(MessageUpdate::AuthorGlobalName)) {
        authorChanged |= m.authorGlobalName != v.authorGlobalName;
        m.authorGlobalName = v.authorGlobalName;
    }
    if (u.has(MessageUpdate::AuthorBot))
        setFlag(m, Message::AuthorIsBot, v.isBot());
    changed |= authorChanged || m.flags != flagsBefore;
    if (u.has(MessageUpdate::Attachments)) {
        m.attachments = v.attachments;
        changed = true;
    }
    if (u.has(MessageUpdate::Mentions))
        m.mentionIds = v.mentionIds;
    if (u.has(MessageUpdate::Embeds)) {
        changed |= v.embedCount != m.embedCount || v.embedTitles != m.embedTitles;
        m.embedCount = v.embedCount;
        m.embedTitles = v.embedTitles;
    }
    if (u.has(MessageUpdate::MessageFlags))
        m.messageFlags = v.messageFlags;
    if (u.has(MessageUpdate::MentionEveryone))
        setFlag(m, Message::MentionsEveryone, v.flags & Message::MentionsEveryone);
    if (u.has(MessageUpdate::Reference))
        m.replyToId = v.replyToId;
    return changed;
}

} // namespace Gatescope
