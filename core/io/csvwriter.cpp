#include "core/io/csvwriter.h"

#include "core/gateway/redaction.h"
#include "core/io/exporttext.h"

using namespace Qt::StringLiterals;

namespace Gatescope {

CsvWriter::CsvWriter(CsvOptions options)
    : m_options(options)
    , m_delimiter(options.delimiter == ';' ? ';' : ',')
{ }

QStringList CsvWriter::columns()
{
    return {u"timestamp_utc"_s, u"guild_id"_s,  u"guild"_s,     u"channel_id"_s, u"channel"_s,
            u"message_id"_s,    u"author_id"_s, u"author"_s,    u"bot"_s,        u"content"_s,
            u"attachments"_s,   u"reply_to"_s,  u"edited_at"_s, u"deleted"_s};
}

QByteArrayView CsvWriter::byteOrderMark()
{
    return "\xEF\xBB\xBF";
}

void CsvWriter::appendHeader(QByteArray &out) const
{
    const QStringList names = columns();
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (i > 0)
            out += m_delimiter;
        out += names.at(i).toLatin1();
    }
    out += "\r\n";
}

bool CsvWriter::isFormulaLike(QStringView text)
{
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'\t':
        case u'\r':
            return true;
        case u'=':
        case u'+':
        case u'-':
        case u'@':
        case u'\uFF1D': // full-width = + - @
        case u'\uFF0B':
        case u'\uFF0D':
        case u'\uFF20':
            return true;
        default:
            // Invisible format characters (a BOM, a zero-width space) before a trigger hide it
            // from the eye, not from every spreadsheet: they are skipped like white space.
            if (!c.isSpace() && c.category() != QChar::Other_Format)
                return false;
        }
    }
    return false;
}

QString CsvWriter::attachmentsCell(const Message &message)
{
    QString cell;
    for (const Attachment &attachment : message.attachments) {
        if (attachment.url.isEmpty())
            continue;
        if (!cell.isEmpty())
            cell += u' ';
        cell += attachment.url;
    }
    return cell;
}

namespace {

/// A raw NUL cuts a cell short in C-string based readers and is refused by some importers:
/// it is written as U+FFFD, the mark of a character that could not be kept.
char *appendNulAsReplacement(char *p)
{
    *p++ = char(0xEF);
    *p++ = char(0xBF);
    *p++ = char(0xBD);
    return p;
}

} // namespace

void CsvWriter::appendCell(QByteArray &out, QStringView text) const
{
    bool quote = false;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'"' || u == u'\r' || u == u'\n' || u == char16_t(m_delimiter)) {
            quote = true;
            break;
        }
    }
    if (quote)
        out += '"';
    if (isFormulaLike(text))
        out += '\'';
    if (quote) {
        ExportText::appendUtf8<3>(out, text, [](char16_t c, char *p) {
            if (c == 0)
                return appendNulAsReplacement(p);
            *p++ = char(c);
            if (c == u'"')
                *p++ = '"';
            return p;
        });
        out += '"';
    } else {
        ExportText::appendUtf8<3>(out, text, [](char16_t c, char *p) {
            if (c == 0)
                return appendNulAsReplacement(p);
            *p = char(c);
            return p + 1;
        });
    }
}

void CsvWriter::appendRow(QByteArray &out, const ExportRow &row) const
{
    const Message &m = *row.message;
    const char d = m_delimiter;
    ExportText::appendIsoUtc(out, m.timestampMs);
    out += d;
    ExportText::appendId(out, m.guildId);
    out += d;
    // Text from the gateway may hold a registered secret (a token pasted into a channel).
    appendCell(out, Redaction::redact(row.guildName));
    out += d;
    ExportText::appendId(out, m.channelId);
    out += d;
    appendCell(out, Redaction::redact(row.channelName));
    out += d;
    ExportText::appendId(out, m.id);
    out += d;
    ExportText::appendId(out, m.authorId);
    out += d;
    appendCell(out, Redaction::redact(m.authorName));
    out += d;
    out += m.isBot() ? "true" : "false";
    out += d;
    appendCell(out, Redaction::redact(m.content));
    out += d;
    if (!m.attachments.isEmpty())
        appendCell(out, attachmentsCell(m));
    out += d;
    ExportText::appendId(out, m.replyToId);
    out += d;
    ExportText::appendIsoUtc(out, m.editedAtMs);
    out += d;
    out += m.isDeleted() ? "true" : "false";
    out += "\r\n";
}

QByteArrayView CsvWriter::eventColumn()
{
    return "event";
}

QByteArrayView CsvWriter::eventName(Event event)
{
    switch (event) {
    case Event::Create:
        return "create";
    case Event::Update:
        return "update";
    case Event::Delete:
        return "delete";
    case Event::DeleteBulk:
        return "delete_bulk";
    }
    return "create";
}

void CsvWriter::appendEventHeader(QByteArray &out) const
{
    out += eventColumn();
    out += m_delimiter;
    appendHeader(out);
}

void CsvWriter::appendEventRow(QByteArray &out, Event event, const ExportRow &row) const
{
    // The names are fixed ASCII words: no quoting or formula guard can apply to them.
    out += eventName(event);
    out += m_delimiter;
    appendRow(out, row);
}

} // namespace Gatescope
