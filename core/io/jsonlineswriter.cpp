#include "core/io/jsonlineswriter.h"

#include "core/io/exporttext.h"

namespace Gatescope {

namespace {

void appendIdOrNull(QByteArray &out, quint64 id)
{
    if (id == 0) {
        out += "null";
        return;
    }
    out += '"';
    ExportText::appendId(out, id);
    out += '"';
}

void appendTimeOrNull(QByteArray &out, qint64 ms)
{
    if (ms == 0) {
        out += "null";
        return;
    }
    out += '"';
    ExportText::appendIsoUtc(out, ms);
    out += '"';
}

} // namespace

void JsonLinesWriter::appendString(QByteArray &out, QStringView text)
{
    out += '"';
    ExportText::appendUtf8<6>(out, text, [](char16_t c, char *p) {
        static constexpr char hex[] = "0123456789abcdef";
        switch (c) {
        case u'"':
        case u'\\':
            *p++ = '\\';
            *p++ = char(c);
            return p;
        case u'\n':
            *p++ = '\\';
            *p++ = 'n';
            return p;
        case u'\r':
            *p++ = '\\';
            *p++ = 'r';
            return p;
        case u'\t':
            *p++ = '\\';
            *p++ = 't';
            return p;
        default:
            break;
        }
        if (c < 0x20) {
            *p++ = '\\';
            *p++ = 'u';
            *p++ = '0';
            *p++ = '0';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 0xF];
            return p;
        }
        *p++ = char(c);
        return p;
    });
    out += '"';
}

void JsonLinesWriter::appendRow(QByteArray &out, const ExportRow &row)
{
    const Message &m = *row.message;
    out += "{\"timestamp_utc\":";
    appendTimeOrNull(out, m.timestampMs);
    out += ",\"guild_id\":";
    appendIdOrNull(out, m.guildId);
    out += ",\"guild\":";
    appendString(out, row.guildName);
    out += ",\"channel_id\":";
    appendIdOrNull(out, m.channelId);
    out += ",\"channel\":";
    appendString(out, row.channelName);
    out += ",\"message_id\":";
    appendIdOrNull(out, m.id);
    out += ",\"author_id\":";
    appendIdOrNull(out, m.authorId);
    out += ",\"author\":";
    appendString(out, m.authorName);
    out += ",\"bot\":";
    out += m.isBot() ? "true" : "false";
    out += ",\"content\":";
    appendString(out, m.content);
    out += ",\"attachments\":[";
    for (qsizetype i = 0; i < m.attachments.size(); ++i) {
        const Attachment &a = m.attachments.at(i);
        out += i > 0 ? ",{\"filename\":" : "{\"filename\":";
        appendString(out, a.filename);
        out += ",\"size\":";
        out += QByteArray::number(a.size);
        out += ",\"url\":";
        appendString(out, a.url);
        out += '}';
    }
    out += "],\"reply_to\":";
    appendIdOrNull(out, m.replyToId);
    out += ",\"edited_at\":";
    appendTimeOrNull(out, m.editedAtMs);
    out += ",\"deleted\":";
    out += m.isDeleted() ? "true" : "false";
    out += ",\"author_global_name\":";
    appendString(out, m.authorGlobalName);
    out += ",\"deleted_at\":";
    appendTimeOrNull(out, m.deletedAtMs);
    out += ",\"edits\":[";
    for (qsizetype i = 0; i < m.revisions.size(); ++i) {
        const MessageRevision &r = m.revisions.at(i);
        out += i > 0 ? ",{\"replaced_at\":" : "{\"replaced_at\":";
        appendTimeOrNull(out, r.replacedAtMs);
        out += ",\"content\":";
        appendString(out, r.content);
        out += '}';
    }
    out += "]}\n";
}

} // namespace Gatescope
