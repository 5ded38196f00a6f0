#pragma once

#include <QByteArray>
#include <QChar>
#include <QStringView>
#include <QtGlobal>

#include <algorithm>

namespace Gatescope {

/// Text building blocks shared by the CSV and JSON Lines writers. They append straight to a
/// byte buffer, because an export of a million rows must not build a QString per cell.
namespace ExportText {

/// Appends @p ms (ms since the Unix epoch, UTC) as ISO 8601 with milliseconds, for example
/// `2024-01-02T03:04:05.678Z`. Appends nothing for 0, which the Message record uses for "absent".
void appendIsoUtc(QByteArray &out, qint64 ms);
/// appendIsoUtc() as a QByteArray.
QByteArray isoUtc(qint64 ms);

/// Appends a snowflake as a decimal string; nothing for 0 ("absent", such as a DM's guild id).
void appendId(QByteArray &out, quint64 id);

/// Appends @p text as UTF-8, passing every ASCII code unit through @p ascii, which writes its
/// bytes at `out` (at most @p MaxAsciiBytes of them) and returns the end. A surrogate that is not
/// part of a valid pair becomes U+FFFD, so the output is always valid UTF-8 whatever the input
/// (QString can hold lone surrogates, for example from a JSON `\ud800` escape).
template<int MaxAsciiBytes, typename AsciiWriter>
void appendUtf8(QByteArray &out, QStringView text, AsciiWriter ascii)
{
    // A code unit takes at most 3 bytes (a pair takes 4 for two units), or MaxAsciiBytes.
    constexpr qsizetype perUnit = std::max(3, MaxAsciiBytes);
    const qsizetype start = out.size();
    out.resize(start + text.size() * perUnit);
    char *p = out.data() + start;
    const char16_t *s = text.utf16();
    const char16_t *const end = s + text.size();
    while (s < end) {
        const char16_t c = *s++;
        if (c < 0x80) {
            p = ascii(c, p);
        } else if (c < 0x800) {
            *p++ = char(0xC0 | (c >> 6));
            *p++ = char(0x80 | (c & 0x3F));
        } else if (QChar::isHighSurrogate(c) && s < end && QChar::isLowSurrogate(*s)) {
            const char32_t u = QChar::surrogateToUcs4(c, *s++);
            *p++ = char(0xF0 | (u >> 18));
            *p++ = char(0x80 | ((u >> 12) & 0x3F));
            *p++ = char(0x80 | ((u >> 6) & 0x3F));
            *p++ = char(0x80 | (u & 0x3F));
        } else {
            const char16_t v = QChar::isSurrogate(c) ? char16_t(0xFFFD) : c;
            *p++ = char(0xE0 | (v >> 12));
            *p++ = char(0x80 | ((v >> 6) & 0x3F));
            *p++ = char(0x80 | (v & 0x3F));
        }
    }
    out.resize(p - out.constData());
}

/// appendUtf8() with ASCII copied unchanged.
inline void appendUtf8(QByteArray &out, QStringView text)
{
    appendUtf8<1>(out, text, [](char16_t c, char *p) {
        *p = char(c);
        return p + 1;
    });
}

} // namespace ExportText
} // namespace Gatescope
