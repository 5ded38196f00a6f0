#include "payloadscanner.h"

#include "core/store/messageparser.h"
#include "core/store/stringinterner.h"

#include <charconv>
#include <cstring>
#include <limits>

namespace Gatescope::Bench {

namespace {

constexpr int MaxDepth = 128;

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// Length of the valid UTF-8 sequence starting at @p p (non-ASCII lead byte), 0 if invalid.
int utf8Sequence(const unsigned char *p, const unsigned char *end)
{
    const unsigned char c = p[0];
    int length = 0;
    unsigned min = 0;
    unsigned code = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
        code = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        code = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        code = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (end - p < length)
        return 0;
    for (int i = 1; i < length; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        code = (code << 6) | (p[i] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return 0;
    return length;
}

void appendUtf8(std::string &out, unsigned code)
{
    if (code < 0x80) {
        out += char(code);
    } else if (code < 0x800) {
        out += char(0xC0 | (code >> 6));
        out += char(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += char(0xE0 | (code >> 12));
        out += char(0x80 | ((code >> 6) & 0x3F));
        out += char(0x80 | (code & 0x3F));
    } else {
        out += char(0xF0 | (code >> 18));
        out += char(0x80 | ((code >> 12) & 0x3F));
        out += char(0x80 | ((code >> 6) & 0x3F));
        out += char(0x80 | (code & 0x3F));
    }
}

quint64 idFromDigits(std::string_view text)
{
    if (text.empty() || text.size() > 20)
        return 0;
    quint64 id = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return 0;
        const quint64 digit = quint64(c - '0');
        if (id > (std::numeric_limits<quint64>::max() - digit) / 10)
            return 0;
        id = id * 10 + digit;
    }
    return id;
}

std::optional<qint64> timestampOf(std::string_view text)
{
    char16_t utf16[48];
    if (text.size() > std::size(utf16))
        return std::nullopt;
    for (std::size_t i = 0; i < text.size(); ++i)
        utf16[i] = char16_t(uchar(text[i]));
    return MessageParser::parseTimestamp(QStringView(utf16, qsizetype(text.size())));
}

} // namespace

PayloadScanner::PayloadScanner(StringInterner *interner)
    : m_interner(interner)
{ }

void PayloadScanner::skipSpace()
{
    while (m_pos < m_end && (*m_pos == ' ' || *m_pos == '\n' || *m_pos == '\r' || *m_pos == '\t'))
        ++m_pos;
}

bool PayloadScanner::consume(char c)
{
    skipSpace();
    if (m_pos < m_end && *m_pos == c) {
        ++m_pos;
        return true;
    }
    return false;
}

bool PayloadScanner::readText(Text &text)
{
    if (!consume('"'))
        return false;
    const char *start = m_pos;
    text.escaped = false;
    while (m_pos < m_end) {
        const unsigned char c = uchar(*m_pos);
        if (c == '"') {
            text.raw = std::string_view(start, std::size_t(m_pos - start));
            ++m_pos;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            text.escaped = true;
            if (m_end - m_pos < 2)
                return false;
            const char e = m_pos[1];
            if (e == 'u') {
                if (m_end - m_pos < 6)
                    return false;
                for (int i = 2; i < 6; ++i) {
                    if (hexValue(m_pos[i]) < 0)
                        return false;
                }
                m_pos += 6;
            } else if (std::strchr("\"\\/bfnrt", e) && e != '\0') {
                m_pos += 2;
            } else {
                return false;
            }
        } else if (c >= 0x80) {
            const int length = utf8Sequence(reinterpret_cast<const unsigned char *>(m_pos),
                                            reinterpret_cast<const unsigned char *>(m_end));
            if (length == 0)
                return false;
            m_pos += length;
        } else {
            ++m_pos;
        }
    }
    return false;
}

bool PayloadScanner::unescape(std::string_view raw, std::string &out)
{
    out.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\') {
            out += raw[i];
            continue;
        }
        const char e = raw[++i];
        switch (e) {
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u': {
            unsigned code = 0;
            for (int k = 1; k <= 4; ++k)
                code = code * 16 + unsigned(hexValue(raw[i + k]));
            i += 4;
            const bool pairFollows = code >= 0xD800 && code <= 0xDBFF && i + 6 < raw.size()
                                     && raw[i + 1] == '\\' && raw[i + 2] == 'u';
            if (pairFollows) {
                unsigned low = 0;
                for (int k = 3; k <= 6; ++k)
                    low = low * 16 + unsigned(hexValue(raw[i + k]));
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }
            }
            appendUtf8(out, code >= 0xD800 && code <= 0xDFFF ? 0xFFFD : code);
            break;
        }
        default:
            out += e;
        }
    }
    return true;
}

std::string_view PayloadScanner::keyOf(const Text &text)
{
    if (!text.escaped)
        return text.raw;
    unescape(text.raw, m_scratch);
    return m_scratch;
}

QString PayloadScanner::toQString(const Text &text)
{
    const std::string_view utf8 = keyOf(text);
    return QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
}

bool PayloadScanner::readNumber(Number &number)
{
    skipSpace();
    const char *start = m_pos;
    if (m_pos < m_end && *m_pos == '-')
        ++m_pos;
    if (m_pos >= m_end)
        return false;
    if (*m_pos == '0') {
        ++m_pos;
    } else if (*m_pos >= '1' && *m_pos <= '9') {
        while (m_pos < m_end && *m_pos >= '0' && *m_pos <= '9')
            ++m_pos;
    } else {
        return false;
    }
    bool integral = true;
    if (m_pos < m_end && *m_pos == '.') {
        integral = false;
        const char *digits = ++m_pos;
        while (m_pos < m_end && *m_pos >= '0' && *m_pos <= '9')
            ++m_pos;
        if (m_pos == digits)
            return false;
    }
    if (m_pos < m_end && (*m_pos == 'e' || *m_pos == 'E')) {
        integral = false;
        ++m_pos;
        if (m_pos < m_end && (*m_pos == '+' || *m_pos == '-'))
            ++m_pos;
        const char *digits = m_pos;
        while (m_pos < m_end && *m_pos >= '0' && *m_pos <= '9')
            ++m_pos;
        if (m_pos == digits)
            return false;
    }
    number = {};
    if (integral) {
        const auto [end, error] = std::from_chars(start, m_pos, number.integer);
        number.isInteger = error == std::errc() && end == m_pos;
    }
    if (!number.isInteger) {
        const auto [end, error] = std::from_chars(start, m_pos, number.real);
        return error == std::errc() && end == m_pos;
    }
    return true;
}

bool PayloadScanner::skipValue(int depth)
{
    skipSpace();
    if (m_pos >= m_end)
        return false;
    switch (*m_pos) {
    case '{':
        return forEachKey(depth, [this, depth](std::string_view) { return skipValue(depth + 1); });
    case '[':
        return forEachElement(depth, [this, depth] { return skipValue(depth + 1); });
    case '"': {
        Text text;
        return readText(text);
    }
    case 't':
    case 'f':
    case 'n': {
        for (const char *atom : {"true", "false", "null"}) {
            const std::size_t length = std::strlen(atom);
            if (std::size_t(m_end - m_pos) >= length && std::memcmp(m_pos, atom, length) == 0) {
                m_pos += length;
                return true;
            }
        }
        return false;
    }
    default: {
        Number number;
        return readNumber(number);
    }
    }
}

template<typename OnElement>
bool PayloadScanner::forEachElement(int depth, OnElement &&onElement)
{
    if (depth > MaxDepth || !consume('['))
        return false;
    if (consume(']'))
        return true;
    do {
        skipSpace();
        if (!onElement())
            return false;
    } while (consume(','));
    return consume(']');
}

template<typename OnKey>
bool PayloadScanner::forEachKey(int depth, OnKey &&onKey)
{
    if (depth > MaxDepth || !consume('{'))
        return false;
    if (consume('}'))
        return true;
    do {
        skipSpace();
        Text key;
        if (!readText(key) || !consume(':') || !onKey(keyOf(key)))
            return false;
    } while (consume(','));
    return consume('}');
}

bool PayloadScanner::readString(QString &out, int depth)
{
    skipSpace();
    out = QString();
    if (m_pos < m_end && *m_pos == '"') {
        Text text;
        if (!readText(text))
            return false;
        out = toQString(text);
        return true;
    }
    if (m_pos < m_end && (*m_pos == '-' || (*m_pos >= '0' && *m_pos <= '9'))) {
        Number number;
        if (!readNumber(number))
            return false;
        out = QString::number(number.isInteger ? double(number.integer) : number.real);
        return true;
    }
    return skipValue(depth);
}

bool PayloadScanner::readId(quint64 &id, int depth)
{
    skipSpace();
    id = 0;
    if (m_pos < m_end && *m_pos == '"') {
        Text text;
        if (!readText(text))
            return false;
        id = idFromDigits(text.raw);
        return true;
    }
    qint64 integer = -1;
    if (!readInteger(integer, depth))
        return false;
    id = integer > 0 ? quint64(integer) : 0;
    return true;
}

bool PayloadScanner::readInteger(qint64 &value, int depth)
{
    skipSpace();
    value = -1;
    if (m_pos < m_end && (*m_pos == '-' || (*m_pos >= '0' && *m_pos <= '9'))) {
        Number number;
        if (!readNumber(number))
            return false;
        if (number.isInteger)
            value = number.integer;
        else if (number.real >= -9.2e18 && number.real <= 9.2e18
                 && qint64(number.real) == number.real)
            value = qint64(number.real);
        return true;
    }
    return skipValue(depth);
}

bool PayloadScanner::readBool(bool &value, int depth)
{
    skipSpace();
    value = m_end - m_pos >= 4 && std::memcmp(m_pos, "true", 4) == 0;
    return skipValue(depth);
}

bool PayloadScanner::readCount(qsizetype &count, int depth)
{
    count = 0;
    skipSpace();
    if (m_pos >= m_end || *m_pos != '[')
        return skipValue(depth);
    return forEachElement(depth, [&] {
        ++count;
        return skipValue(depth + 1);
    });
}

bool PayloadScanner::readIdIn(std::string_view name, quint64 &id, int depth)
{
    id = 0;
    skipSpace();
    if (m_pos >= m_end || *m_pos != '{')
        return skipValue(depth);
    return forEachKey(depth, [&](std::string_view key) {
        return key == name ? readId(id, depth + 1) : skipValue(depth + 1);
    });
}

bool PayloadScanner::readAuthor(Message &m)
{
    skipSpace();
    if (m_pos >= m_end || *m_pos != '{')
        return skipValue(3);
    return forEachKey(3, [&](std::string_view key) {
        QString text;
        bool flag = false;
        if (key == "id")
            return readId(m.authorId, 4);
        if (key == "username") {
            if (!readString(text, 4))
                return false;
            m.authorName = m_interner ? m_interner->intern(text) : text;
        } else if (key == "global_name") {
            if (!readString(text, 4))
                return false;
            m.authorGlobalName = m_interner ? m_interner->intern(text) : text;
        } else if (key == "bot") {
            if (!readBool(flag, 4))
                return false;
            m.flags = flag ? m.flags | Message::AuthorIsBot : m.flags;
        } else {
            return skipValue(4);
        }
        return true;
    });
}

bool PayloadScanner::readAttachments(Message &m)
{
    skipSpace();
    if (m_pos >= m_end || *m_pos != '[')
        return skipValue(3);
    return forEachElement(3, [&] {
        if (m_pos >= m_end || *m_pos != '{')
            return skipValue(4);
        Attachment attachment;
        bool any = false;
        const bool ok = forEachKey(4, [&](std::string_view key) {
            any = true;
            if (key == "filename")
                return readString(attachment.filename, 5);
            if (key == "url")
                return readString(attachment.url, 5);
            if (key != "size")
                return skipValue(5);
            qint64 size = -1;
            const bool read = readInteger(size, 5);
            attachment.size = qMax<qint64>(0, size);
            return read;
        });
        if (ok && any)
            m.attachments.append(std::move(attachment));
        return ok;
    });
}

bool PayloadScanner::readMentions(Message &m)
{
    skipSpace();
    if (m_pos >= m_end || *m_pos != '[')
        return skipValue(3);
    return forEachElement(3, [&] {
        quint64 id = 0;
        const bool ok = m_pos < m_end && *m_pos == '{' ? readIdIn("id", id, 4) : readId(id, 4);
        if (ok && id != 0)
            m.mentionIds.append(id);
        return ok;
    });
}

bool PayloadScanner::readMessage(Message &m)
{
    std::optional<qint64> timestamp;
    std::optional<qint64> edited;
    qint64 type = -1;
    qint64 flags = -1;
    const bool ok = forEachKey(2, [&](std::string_view key) {
        Text text;
        bool flag = false;
        qsizetype count = 0;
        if (key == "id")
            return readId(m.id, 3);
        if (key == "channel_id")
            return readId(m.channelId, 3);
        if (key == "guild_id")
            return readId(m.guildId, 3);
        if (key == "webhook_id")
            return readId(m.webhookId, 3);
        if (key == "author")
            return readAuthor(m);
        if (key == "content")
            return readString(m.content, 3);
        if (key == "timestamp" || key == "edited_timestamp") {
            skipSpace();
            std::optional<qint64> &target = key == "timestamp" ? timestamp : edited;
            if (m_pos < m_end && *m_pos == '"') {
                if (!readText(text))
                    return false;
                target = timestampOf(text.raw);
                return true;
            }
            return skipValue(3);
        }
        if (key == "attachments")
            return readAttachments(m);
        if (key == "mentions")
            return readMentions(m);
        if (key == "embeds") {
            const bool read = readCount(count, 3);
            m.embedCount = quint16(qMin<qsizetype>(count, 0xFFFF));
            return read;
        }
        if (key == "type")
            return readInteger(type, 3);
        if (key == "flags")
            return readInteger(flags, 3);
        if (key == "mention_everyone" || key == "tts") {
            const Message::Flag bit = key == "tts" ? Message::Tts : Message::MentionsEveryone;
            const bool read = readBool(flag, 3);
            m.flags = flag ? m.flags | bit : m.flags;
            return read;
        }
        if (key == "message_reference")
            return readIdIn("message_id", m.replyToId, 3);
        return skipValue(3);
    });
    if (!ok)
        return false;
    MessageParser::completeParsed(m, timestamp, edited);
    m.type = type >= 0 && type <= 0xFF ? quint8(type) : 0;
    m.messageFlags = flags >= 0 && flags <= 0xFFFFFFFFLL ? quint32(flags) : 0;
    return true;
}

bool PayloadScanner::scan(QByteArrayView payload, Event &event)
{
    m_pos = payload.data();
    m_end = payload.data() + payload.size();
    event = Event();
    // Discord sends t before d; a d before t is only validated here (the real decoder reads it
    // again once t is known, which this yardstick does not need for its input).
    bool messageCreate = false;
    const bool ok = forEachKey(1, [&](std::string_view key) {
        Number number;
        Text text;
        if (key == "op") {
            if (!readNumber(number))
                return false;
            event.op = number.isInteger ? int(number.integer) : -1;
            return true;
        }
        if (key == "s") {
            skipSpace();
            if (m_pos < m_end && *m_pos == 'n')
                return skipValue(2);
            if (!readNumber(number))
                return false;
            event.seq = number.isInteger ? number.integer : -1;
            return true;
        }
        if (key == "t") {
            skipSpace();
            if (m_pos < m_end && *m_pos == 'n')
                return skipValue(2);
            if (!readText(text))
                return false;
            event.type = toQString(text);
            messageCreate = text.raw == "MESSAGE_CREATE";
            return true;
        }
        if (key == "d") {
            skipSpace();
            const char *start = m_pos;
            const bool read = messageCreate && m_pos < m_end && *m_pos == '{'
                                      ? readMessage(event.message)
                                      : skipValue(2);
            event.isMessage = messageCreate && read;
            event.rawData = QByteArrayView(start, m_pos - start);
            return read;
        }
        return skipValue(2);
    });
    skipSpace();
    return ok && m_pos == m_end;
}

} // namespace Gatescope::Bench
