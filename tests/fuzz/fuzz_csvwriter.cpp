// Fuzz target: CsvWriter, the CSV export (a round trip through an independent reader).
//
// The input is a message's fields separated by NUL bytes (see Field below; text fields are UTF-8,
// or UTF-16LE when they start with 0xFF, which reaches lone surrogates), preceded by one option
// byte. One row is written and read back with CsvReader (strict RFC 4180). Every field must read
// back as written: text as sent (a lone surrogate as U+FFFD) behind a `'` exactly when a
// spreadsheet would run it as a formula, ids in decimal, times in ISO 8601 UTC. And no cell of the
// file may start with = + - @ TAB or CR (or those after leading spaces) unless neutralised by `'`.
// NUL is the separator, so fields never hold one: what a NUL in a cell becomes is the writer's
// documented choice, which this target does not fix (it still may not crash on it).
#include "core/io/csvwriter.h"
#include "csvreader.h"
#include "fuzzinput.h"

#include <QDateTime>
#include <QStringDecoder>

#include <cstdio>
#include <cstdlib>

using namespace Gatescope;
using namespace Gatescope::Fuzz;
using namespace Qt::StringLiterals;

namespace {

enum Field {
    GuildName,
    ChannelName,
    AuthorName,
    Content,
    AttachmentUrls, ///< separated by 0x01
    GuildId,
    ChannelId,
    MessageId,
    AuthorId,
    ReplyToId,
    TimestampMs,
    EditedAtMs,
    FieldCount
};

[[noreturn]] void fail(const char *what, const QByteArray &detail)
{
    fprintf(stderr, "CSV round trip: %s: %s\n", what, detail.left(500).constData());
    abort();
}

QString text(const QByteArray &field)
{
    if (field.startsWith('\xFF')) {
        const QByteArray units = field.mid(1);
        return QString(reinterpret_cast<const QChar *>(units.constData()), units.size() / 2);
    }
    return QString::fromUtf8(field);
}

/// What a spreadsheet reads as a formula: a trigger first, or after leading white space or
/// invisible format characters (a BOM, a zero-width space).
bool startsLikeAFormula(QStringView cell)
{
    for (const QChar c : cell) {
        if (c == u'\t' || c == u'\r')
            return true;
        if (c.isSpace() || c.category() == QChar::Other_Format)
            continue;
        return QStringView(u"=+-@\uFF1D\uFF0B\uFF0D\uFF20").contains(c);
    }
    return false;
}

/// The text a UTF-8 file can hold: a lone surrogate becomes U+FFFD.
QString withSurrogatesRepaired(const QString &in)
{
    QString out;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const QChar c = in[i];
        if (c.isHighSurrogate() && i + 1 < in.size() && in[i + 1].isLowSurrogate()) {
            out += c;
            out += in[++i];
        } else if (c.isSurrogate()) {
            out += QChar(QChar::ReplacementCharacter);
        } else {
            out += c;
        }
    }
    return out;
}

QByteArray expectedText(const QString &value)
{
    const QString repaired = withSurrogatesRepaired(value);
    return (startsLikeAFormula(repaired) ? u"'"_s + repaired : repaired).toUtf8();
}

QByteArray expectedId(quint64 id)
{
    return id == 0 ? QByteArray() : QByteArray::number(id);
}

QByteArray expectedTime(qint64 ms)
{
    if (ms == 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput input(data, size);
    const quint8 options = input.byte();
    QList<QByteArray> fields = input.rest().split('\0');
    fields.resize(FieldCount);

    Message message;
    message.guildId = fields[GuildId].toULongLong();
    message.channelId = fields[ChannelId].toULongLong();
    message.id = fields[MessageId].toULongLong();
    message.authorId = fields[AuthorId].toULongLong();
    message.replyToId = fields[ReplyToId].toULongLong();
    message.timestampMs = fields[TimestampMs].toLongLong();
    message.editedAtMs = fields[EditedAtMs].toLongLong();
    message.authorName = text(fields[AuthorName]);
    message.content = text(fields[Content]);
    QStringList urls;
    for (const QByteArray &url : fields[AttachmentUrls].split('\x01')) {
        if (!fields[AttachmentUrls].isEmpty())
            message.attachments.append(Attachment{QString(), 0, text(url)});
        if (const QString decoded = text(url); !decoded.isEmpty())
            urls.append(decoded);
    }
    if (options & 2)
        message.flags |= Message::AuthorIsBot;
    if (options & 4)
        message.flags |= Message::Deleted;
    ExportRow row{&message, text(fields[GuildName]), text(fields[ChannelName])};

    CsvOptions csvOptions;
    csvOptions.delimiter = (options & 1) ? ';' : ',';
    const CsvWriter writer(csvOptions);
    QByteArray out;
    writer.appendHeader(out);
    writer.appendRow(out, row);

    const std::optional<QList<CsvReader::Record>> records
            = CsvReader::read(out, writer.delimiter());
    if (!records)
        fail("not RFC 4180", out);
    if (records->size() != 2)
        fail("not one header and one row", out);
    const CsvReader::Record &header = records->at(0);
    const CsvReader::Record &cells = records->at(1);
    const QStringList columns = CsvWriter::columns();
    if (header.size() != columns.size() || cells.size() != columns.size())
        fail("wrong column count", out);
    for (qsizetype i = 0; i < columns.size(); ++i) {
        if (header[i] != columns[i].toUtf8())
            fail("header", out);
    }

    const QByteArray expected[] = {
            expectedTime(message.timestampMs),
            expectedId(message.guildId),
            expectedText(row.guildName),
            expectedId(message.channelId),
            expectedText(row.channelName),
            expectedId(message.id),
            expectedId(message.authorId),
            expectedText(message.authorName),
            (options & 2) ? "true" : "false",
            expectedText(message.content),
            urls.isEmpty() ? QByteArray() : expectedText(urls.join(u' ')),
            expectedId(message.replyToId),
            expectedTime(message.editedAtMs),
            (options & 4) ? "true" : "false",
    };
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (cells[i] != expected[i])
            fail(columns[i].toUtf8().constData(), cells[i] + " != " + expected[i]);
        const QString cell = QString::fromUtf8(cells[i]);
        if (startsLikeAFormula(cell) && !cell.startsWith(u'\''))
            fail("a formula cell left unescaped", cells[i]);
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        (void)utf8.decode(cells[i]);
        if (utf8.hasError())
            fail("not valid UTF-8", cells[i]);
    }
    return 0;
}
