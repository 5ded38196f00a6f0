#include "app/eventlineformatter.h"

#include "core/gateway/redaction.h"
#include "core/io/exporttext.h"
#include "core/store/messageparser.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Gatescope::App {

namespace {

bool needsUnicodeEscape(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
           || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e
           || c == 0x200f || c == 0x061c;
}

/// " [2 attachments]", or nothing for none.
QString countNote(qsizetype count, const QString &noun)
{
    if (count <= 0)
        return QString();
    return u" [%1 %2%3]"_s.arg(count).arg(noun, count == 1 ? QString() : u"s"_s);
}

} // namespace

EventLineFormatter::EventLineFormatter(const Directory *directory)
    : m_directory(directory)
{ }

QString EventLineFormatter::escaped(QStringView text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        switch (c) {
        case u'\\':
            out += u"\\\\"_s;
            break;
        case u'\n':
            out += u"\\n"_s;
            break;
        case u'\r':
            out += u"\\r"_s;
            break;
        case u'\t':
            out += u"\\t"_s;
            break;
        default:
            if (needsUnicodeEscape(c))
                out += u"\\u%1"_s.arg(uint(c), 4, 16, QChar(u'0'));
            else
                out += ch;
        }
    }
    return out;
}

QString EventLineFormatter::timestamp(qint64 unixMs)
{
    return QString::fromLatin1(ExportText::isoUtc(unixMs));
}

QString EventLineFormatter::prefix(qint64 timeMs, int shard, qint64 seq, const QString &type)
{
    QString sequence = seq >= 0 ? QString::number(seq) : u"-"_s;
    if (shard >= 0)
        sequence = QString::number(shard) + u':' + sequence;
    return u"%1 #%2 %3"_s.arg(timestamp(timeMs), sequence, escaped(type));
}

QString EventLineFormatter::place(quint64 guildId, quint64 channelId) const
{
    const QString guild = guildId == 0 ? u"DM"_s : m_directory->guildName(guildId);
    return escaped(guild) + u"/#"_s + escaped(m_directory->channelName(channelId));
}

QString EventLineFormatter::messageLine(qint64 timeMs, int shard, qint64 seq,
                                        const Message &message) const
{
    QString line = prefix(timeMs, shard, seq, u"MESSAGE_CREATE"_s) + u' '
                   + place(message.guildId, message.channelId) + u' '
                   + escaped(message.displayAuthor());
    if (message.isBot())
        line += u" [bot]"_s;
    line += u": "_s + escaped(Redaction::redact(message.content));
    line += countNote(message.attachments.size(), u"attachment"_s);
    line += countNote(message.embedCount, u"embed"_s);
    return line;
}

QString EventLineFormatter::eventLine(qint64 timeMs, int shard, qint64 seq, const QString &type,
                                      const QJsonObject &data) const
{
    QString line = prefix(timeMs, shard, seq, type);
    const quint64 channelId = MessageParser::parseId(data.value("channel_id"_L1));
    if (type.startsWith("MESSAGE_"_L1) && channelId != 0) {
        line += u' ' + place(MessageParser::parseId(data.value("guild_id"_L1)), channelId);
        if (type == "MESSAGE_UPDATE"_L1) {
            const QString author = data.value("author"_L1)["username"_L1].toString();
            if (!author.isEmpty())
                line += u' ' + escaped(author);
            line += u" id="_s + data.value("id"_L1).toString();
            if (data.contains("content"_L1))
                line += u": "_s + escaped(Redaction::redact(data.value("content"_L1).toString()));
            return line;
        }
    }
    const QString rest = summary(type, data);
    return rest.isEmpty() ? line : line + u' ' + rest;
}

QString EventLineFormatter::summary(const QString &type, const QJsonObject &data)
{
    QStringList parts;
    if (type == "READY"_L1) {
        parts << u"session=%1"_s.arg(data.value("session_id"_L1).toString().left(8))
              << u"user=%1"_s.arg(escaped(data.value("user"_L1)["username"_L1].toString()))
              << u"guilds=%1"_s.arg(data.value("guilds"_L1).toArray().size());
        return parts.join(u' ');
    }
    if (type == "MESSAGE_DELETE_BULK"_L1)
        return u"messages=%1"_s.arg(data.value("ids"_L1).toArray().size());
    static const QLatin1StringView keys[]
            = {"id"_L1, "name"_L1, "guild_id"_L1, "user_id"_L1, "message_id"_L1};
    for (const QLatin1StringView key : keys) {
        const QJsonValue value = data.value(key);
        if (value.isString())
            parts << key + u'=' + escaped(value.toString());
    }
    return parts.join(u' ');
}

} // namespace Gatescope::App
