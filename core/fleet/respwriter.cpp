#include "core/fleet/respwriter.h"

#include <algorithm>
#include <charconv>

namespace Gatescope {

namespace {

/// @p value in decimal into @p buffer (at least 21 bytes); returns the length.
qsizetype toDecimal(qint64 value, char *buffer)
{
    return qsizetype(std::to_chars(buffer, buffer + 21, value).ptr - buffer);
}

} // namespace

char *RespWriter::grow(qsizetype bytes)
{
    // resize() rather than append(): QByteArray's append goes through insert(), which costs
    // more than the few bytes of a header.
    const qsizetype at = m_out->size();
    m_out->resize(at + bytes);
    return m_out->data() + at;
}

RespWriter &RespWriter::command(qsizetype arguments)
{
    char digits[24];
    const qsizetype length = toDecimal(arguments, digits);
    char *out = grow(length + 3);
    *out++ = '*';
    out = std::copy_n(digits, length, out);
    *out++ = '\r';
    *out = '\n';
    return *this;
}

char *RespWriter::bulk(qsizetype size)
{
    char digits[24];
    const qsizetype length = toDecimal(size, digits);
    char *out = grow(1 + length + 2 + size + 2);
    *out++ = '$';
    out = std::copy_n(digits, length, out);
    *out++ = '\r';
    *out++ = '\n';
    out[size] = '\r';
    out[size + 1] = '\n';
    return out;
}

RespWriter &RespWriter::argument(QByteArrayView bytes)
{
    std::copy_n(bytes.data(), bytes.size(), bulk(bytes.size()));
    return *this;
}

RespWriter &RespWriter::argument(qint64 number)
{
    char digits[24];
    return argument(QByteArrayView(digits, toDecimal(number, digits)));
}

RespWriter &RespWriter::argument(QStringView text)
{
    // Event types, states and ids are ASCII: written as they are, without a UTF-8 copy.
    const bool ascii
            = std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x80; });
    if (!ascii)
        return argument(QByteArrayView(text.toUtf8()));
    std::transform(text.begin(), text.end(), bulk(text.size()),
                   [](QChar c) { return char(c.unicode()); });
    return *this;
}

QByteArray RespWriter::encode(const QByteArrayList &arguments)
{
    qsizetype size = 16;
    for (const QByteArray &argument : arguments)
        size += argument.size() + 16;
    QByteArray out;
    out.reserve(size);
    RespWriter writer(&out);
    writer.command(arguments.size());
    for (const QByteArray &argument : arguments)
        writer.argument(QByteArrayView(argument));
    return out;
}

} // namespace Gatescope
