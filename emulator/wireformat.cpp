#include "emulator/wireformat.h"

#include <QCborValue>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator::WireFormat {

namespace {

bool isPlainName(const QString &text)
{
    for (QChar c : text) {
        if (!(c.isDigit() || (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || c == u'_'))
            return false;
    }
    return true;
}

} // namespace

QByteArray json(const QJsonValue &value)
{
    QByteArray out;
    out.reserve(256);
    appendJson(out, value);
    return out;
}

void appendJson(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        out += '{';
        for (auto it = object.constBegin(), end = object.constEnd(); it != end; ++it) {
            if (it != object.constBegin())
                out += ',';
            appendString(out, it.key());
            out += ':';
            appendJson(out, it.value());
        }
        out += '}';
        return;
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        out += '[';
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i > 0)
                out += ',';
            appendJson(out, array.at(i));
        }
        out += ']';
        return;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        return;
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        return;
    case QJsonValue::String:
        appendString(out, value.toString());
        return;
    case QJsonValue::Double: {
        // As QJsonDocument: integers as such, doubles in their shortest form, never inf/nan.
        const QCborValue number = QCborValue::fromJsonValue(value);
        if (number.isInteger())
            out += QByteArray::number(number.toInteger());
        else if (std::isfinite(number.toDouble()))
            out += QByteArray::number(number.toDouble(), 'g', QLocale::FloatingPointShortest);
        else
            out += "null";
        return;
    }
    }
}

namespace {

QByteArray envelope(int op, QByteArrayView body, const QString &t, std::optional<qint64> s)
{
    QByteArray out;
    out.reserve(body.size() + t.size() + 48);
    out += "{\"t\":";
    if (t.isEmpty())
        out += "null";
    else if (isPlainName(t))
        out += '"' + t.toLatin1() + '"';
    else
        out += json(QJsonValue(t));
    out += ",\"s\":";
    out += s ? QByteArray::number(*s) : "null"_ba;
    out += ",\"op\":";
    out += QByteArray::number(op);
    out += ",\"d\":";
    out += body;
    out += '}';
    return out;
}

char *appendUtf16Unit(char *cursor, const char16_t *&p, const char16_t *end)
{
    static constexpr char hex[] = "0123456789abcdef";
    const char16_t u = *p++;
    if (u < 0x80) {
        if (u >= 0x20 && u != u'"' && u != u'\\') {
            *cursor++ = char(u);
            return cursor;
        }
        *cursor++ = '\\';
        switch (u) {
        case u'"':
            *cursor++ = '"';
            break;
        case u'\\':
            *cursor++ = '\\';
            break;
        case u'\b':
            *cursor++ = 'b';
            break;
        case u'\f':
            *cursor++ = 'f';
            break;
        case u'\n':
            *cursor++ = 'n';
            break;
        case u'\r':
            *cursor++ = 'r';
            break;
        case u'\t':
            *cursor++ = 't';
            break;
        default:
            *cursor++ = 'u';
            *cursor++ = '0';
            *cursor++ = '0';
            *cursor++ = hex[u >> 4];
            *cursor++ = hex[u & 0xF];
        }
        return cursor;
    }
    if (u < 0x800) {
        *cursor++ = char(0xC0 | (u >> 6));
        *cursor++ = char(0x80 | (u & 0x3F));
        return cursor;
    }
    if (QChar::isHighSurrogate(u) && p != end && QChar::isLowSurrogate(*p)) {
        const char32_t c = QChar::surrogateToUcs4(u, *p++);
        *cursor++ = char(0xF0 | (c >> 18));
        *cursor++ = char(0x80 | ((c >> 12) & 0x3F));
        *cursor++ = char(0x80 | ((c >> 6) & 0x3F));
        *cursor++ = char(0x80 | (c & 0x3F));
        return cursor;
    }
    if (QChar::isSurrogate(u)) {
        *cursor++ = '\\';
        *cursor++ = 'u';
        for (int shift = 12; shift >= 0; shift -= 4)
            *cursor++ = hex[(u >> shift) & 0xF];
        return cursor;
    }
    *cursor++ = char(0xE0 | (u >> 12));
    *cursor++ = char(0x80 | ((u >> 6) & 0x3F));
    *cursor++ = char(0x80 | (u & 0x3F));
    return cursor;
}

} // namespace

QByteArray payload(int op, const QJsonValue &d, const QString &t, std::optional<qint64> s)
{
    return envelope(op, json(d), t, s);
}

QByteArray dispatch(const QString &type, qint64 seq, const QJsonValue &d)
{
    return payload(0, d, type, seq);
}

QByteArray dispatchJson(const QString &type, qint64 seq, QByteArrayView d)
{
    return envelope(0, d, type, seq);
}

void appendString(QByteArray &out, QStringView text)
{
    // Worst case six bytes per UTF-16 unit (\u00xx), plus the quotes.
    const qsizetype start = out.size();
    out.resize(start + text.size() * 6 + 2);
    char *cursor = out.data() + start;
    *cursor++ = '"';
    const char16_t *p = text.utf16();
    const char16_t *end = p + text.size();
    while (p != end)
        cursor = appendUtf16Unit(cursor, p, end);
    *cursor++ = '"';
    out.resize(cursor - out.constData());
}

} // namespace Gatescope::Emulator::WireFormat
