#include "core/store/messagerenderer.h"

#include "core/store/directory.h"

#include <QDateTime>

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

using Kind = RenderedSpan::Kind;

constexpr qsizetype MaxMarkupLength = 80; // `<a:` + 32-letter name + `:` + 20 digits + `>`
constexpr qint64 MaxUnixSeconds = 8'640'000'000'000; // JavaScript's Date range, as Discord's
constexpr int MaxQuoteLength = 120;

/// A snowflake: 1–20 digits, non-zero, within 64 bits; 0 when @p digits is anything else.
quint64 parseSnowflake(QStringView digits)
{
    if (digits.isEmpty() || digits.size() > 20)
        return 0;
    for (QChar c : digits) {
        if (c < u'0' || c > u'9')
            return 0;
    }
    bool ok = false;
    const quint64 id = digits.toULongLong(&ok);
    return ok ? id : 0;
}

bool isEmojiName(QStringView name)
{
    if (name.size() < 2 || name.size() > 32)
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
               || c == u'_';
    });
}

QString oneLine(QStringView text)
{
    QString line = text.toString();
    line.replace(u'\n', u'\u23CE');
    line.remove(u'\r');
    return line;
}

void appendText(QList<RenderedSpan> &spans, QStringView text)
{
    if (text.isEmpty())
        return;
    if (!spans.isEmpty() && spans.last().kind == Kind::Text)
        spans.last().text += oneLine(text);
    else
        spans.append({Kind::Text, oneLine(text), {}, {}, true});
}

struct RelativeTime
{
    QString text;
    qint64 validUntilMs = 0; ///< when the text next changes
};

struct TimeUnit
{
    qint64 seconds;
    const char *name;
};

/// Largest first; "now" stands for less than a second.
constexpr TimeUnit TimeUnits[] = {{365 * 86400, "year"}, {30 * 86400, "month"}, {86400, "day"},
                                  {3600, "hour"},        {60, "minute"},        {1, "second"}};

/// "in 3 minutes", "2 hours ago", "now": the largest unit that fits, rounded down.
RelativeTime relative(qint64 seconds, qint64 nowMs)
{
    const qint64 nowSeconds = nowMs / 1000;
    const qint64 diff = seconds - nowSeconds;
    const qint64 a = diff < 0 ? -diff : diff;
    if (a == 0)
        return {u"now"_s, (nowSeconds + 1) * 1000};
    for (qsizetype i = 0; i < qsizetype(std::size(TimeUnits)); ++i) {
        const TimeUnit &unit = TimeUnits[i];
        if (a < unit.seconds)
            continue;
        const qint64 n = a / unit.seconds;
        const QString amount = u"%1 %2%3"_s.arg(n).arg(QLatin1StringView(unit.name),
                                                       n == 1 ? QString() : u"s"_s);
        if (diff > 0) // the distance shrinks: the text changes when it drops below n units
            return {u"in "_s + amount, (seconds - (n * unit.seconds - 1)) * 1000};
        // The distance grows: the text changes at n + 1 units, or at the next larger unit.
        qint64 next = (n + 1) * unit.seconds;
        if (i > 0)
            next = std::min(next, TimeUnits[i - 1].seconds);
        return {amount + u" ago"_s, (seconds + next) * 1000};
    }
    return {u"now"_s, (nowSeconds + 1) * 1000};
}

} // namespace

MessageRenderer::MessageRenderer(const Directory *directory)
    : m_directory(directory)
    , m_zone(QTimeZone::systemTimeZone())
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{ }

QString MessageRenderer::formatSize(qint64 bytes)
{
    if (bytes < 1024)
        return u"%1 B"_s.arg(qMax<qint64>(0, bytes));
    static const char *const units[] = {"KB", "MB", "GB", "TB"};
    double value = double(bytes) / 1024;
    int unit = 0;
    while (value >= 1024 && unit < 3) {
        value /= 1024;
        ++unit;
    }
    return u"%1 %2"_s.arg(QString::number(value, 'f', value < 10 ? 1 : 0),
                          QLatin1StringView(units[unit]));
}

QString MessageRenderer::formatTimestamp(qint64 unixSeconds, char style) const
{
    if (style == 'R')
        return relative(unixSeconds, m_clock()).text;
    const QDateTime time = QDateTime::fromSecsSinceEpoch(unixSeconds, m_zone);
    const auto format = [this, &time](const char *pattern) {
        return m_locale.toString(time, QLatin1StringView(pattern));
    };
    switch (style) {
    case 't':
        return format("HH:mm");
    case 'T':
        return format("HH:mm:ss");
    case 'd':
        return format("dd/MM/yyyy");
    case 'D':
        return format("d MMMM yyyy");
    case 'F':
        return format("dddd, d MMMM yyyy HH:mm");
    default:
        return format("d MMMM yyyy HH:mm");
    }
}

void MessageRenderer::nameSpan(RenderedSpan &span, Kind kind, quint64 id, QChar prefix,
                               const QString &name) const
{
    static const char *const what[] = {"", "user", "channel", "role"};
    span.kind = kind;
    span.known = !name.isEmpty();
    span.text = prefix + (span.known ? name : QString::number(id));
    span.toolTip = u"%1 %2"_s.arg(QLatin1StringView(what[int(kind)]), QString::number(id));
    if (!span.known)
        span.toolTip += u" (name not known yet)"_s;
}

bool MessageRenderer::parseAngled(QStringView inner, RenderedSpan &span) const
{
    const Directory *dir = m_directory;
    if (inner.startsWith(u"@&")) {
        const quint64 id = parseSnowflake(inner.mid(2));
        if (id != 0)
            nameSpan(span, Kind::RoleMention, id, u'@', dir ? dir->roleName(id) : QString());
        return id != 0;
    }
    if (inner.startsWith(u'@')) {
        const quint64 id = parseSnowflake(inner.mid(inner.startsWith(u"@!") ? 2 : 1));
        if (id != 0)
            nameSpan(span, Kind::UserMention, id, u'@', dir ? dir->userName(id) : QString());
        return id != 0;
    }
    if (inner.startsWith(u'#')) {
        const quint64 id = parseSnowflake(inner.mid(1));
        if (id != 0)
            nameSpan(span, Kind::ChannelMention, id, u'#', dir ? dir->channelName(id) : QString());
        return id != 0;
    }
    if (inner.startsWith(u':') || inner.startsWith(u"a:")) {
        const bool animated = inner.startsWith(u'a');
        const QStringView rest = inner.mid(animated ? 2 : 1);
        const qsizetype colon = rest.indexOf(u':');
        if (colon < 0 || !isEmojiName(rest.left(colon)))
            return false;
        const quint64 id = parseSnowflake(rest.mid(colon + 1));
        if (id == 0)
            return false;
        span.kind = Kind::Emoji;
        span.text = u':' + rest.left(colon).toString() + u':';
        span.toolTip
                = u"%1emoji %2"_s.arg(animated ? u"animated "_s : QString(), QString::number(id));
        return true;
    }
    if (inner.startsWith(u"t:")) {
        QStringView number = inner.mid(2);
        char style = 'f';
        if (number.size() >= 2 && number[number.size() - 2] == u':') {
            const char s = char(number.back().toLatin1());
            if (!QByteArrayView("tTdDfFR").contains(s))
                return false;
            style = s;
            number.chop(2);
        }
        const QStringView digits = number.startsWith(u'-') ? number.mid(1) : number;
        if (digits.isEmpty() || digits.size() > 13
            || (parseSnowflake(digits) == 0 && digits != u"0"))
            return false;
        const qint64 seconds = number.toLongLong();
        if (seconds > MaxUnixSeconds || seconds < -MaxUnixSeconds)
            return false;
        span.kind = Kind::Timestamp;
        if (style == 'R') {
            RelativeTime shown = relative(seconds, m_clock());
            span.text = std::move(shown.text);
            span.validUntilMs = shown.validUntilMs;
        } else {
            span.text = formatTimestamp(seconds, style);
        }
        span.toolTip = m_locale.toString(QDateTime::fromSecsSinceEpoch(seconds, m_zone),
                                         u"dddd, d MMMM yyyy HH:mm:ss t"_s);
        return true;
    }
    return false;
}

qsizetype MessageRenderer::parseMarkup(QStringView text, RenderedSpan &span) const
{
    if (text.front() == u'@') {
        for (QStringView word : {u"@everyone", u"@here"}) {
            if (text.startsWith(word)) {
                span = {Kind::EveryoneMention, word.toString(), u"mentions everyone"_s, {}, true};
                return word.size();
            }
        }
        return 0;
    }
    const qsizetype end = text.left(MaxMarkupLength).indexOf(u'>');
    if (end < 2)
        return 0;
    return parseAngled(text.mid(1, end - 1), span) ? end + 1 : 0;
}

QList<RenderedSpan> MessageRenderer::renderContent(QStringView content) const
{
    QList<RenderedSpan> spans;
    qsizetype textStart = 0;
    int markup = 0;
    for (qsizetype i = 0; i < content.size() && markup < MaxMarkupSpans; ++i) {
        const QChar c = content[i];
        if (c != u'<' && c != u'@')
            continue;
        RenderedSpan span;
        const qsizetype length = parseMarkup(content.mid(i), span);
        if (length == 0)
            continue;
        appendText(spans, content.mid(textStart, i - textStart));
        spans.append(std::move(span));
        ++markup;
        i += length - 1;
        textStart = i + 1;
    }
    appendText(spans, content.mid(textStart));
    return spans;
}

RenderedSpan MessageRenderer::replySpan(const Message &message, const MessageLookup &lookup) const
{
    RenderedSpan span{Kind::Reply, {}, u"reply to message %1"_s.arg(message.replyToId), {}, true};
    const std::optional<Message> target = lookup ? lookup(message.replyToId) : std::nullopt;
    if (!target) {
        span.text = u"reply to an earlier message"_s;
        span.known = false;
        return span;
    }
    const QList<RenderedSpan> quoted = renderContent(target->content);
    QString quote = plainText(quoted);
    span.validUntilMs = validUntil(quoted);
    if (quote.size() > MaxQuoteLength)
        quote = quote.left(MaxQuoteLength) + u'\u2026';
    if (quote.isEmpty() && !target->attachments.isEmpty())
        quote = target->attachments.first().filename;
    span.text = target->displayAuthor() + u": "_s + quote;
    return span;
}

QList<RenderedSpan> MessageRenderer::render(const Message &message,
                                            const MessageLookup &lookup) const
{
    QList<RenderedSpan> spans;
    if (message.isReply())
        spans.append(replySpan(message, lookup));
    spans.append(renderContent(message.content));
    for (const Attachment &a : message.attachments) {
        spans.append({Kind::Attachment, u"%1 (%2)"_s.arg(a.filename, formatSize(a.size)), a.url,
                      a.url, true});
    }
    const qsizetype embeds = qMax<qsizetype>(message.embedCount, message.embedTitles.size());
    for (qsizetype i = 0; i < embeds; ++i) {
        const QString title = message.embedTitles.value(i);
        spans.append(
                {Kind::Embed, title.isEmpty() ? u"embed"_s : oneLine(title), u"embed"_s, {}, true});
    }
    for (const QString &sticker : message.stickerNames)
        spans.append({Kind::Sticker, oneLine(sticker), u"sticker"_s, {}, true});
    return spans;
}

qint64 MessageRenderer::validUntil(const QList<RenderedSpan> &spans)
{
    qint64 until = RenderedSpan::Never;
    for (const RenderedSpan &span : spans)
        until = std::min(until, span.validUntilMs);
    return until;
}

QString MessageRenderer::plainText(const QList<RenderedSpan> &spans)
{
    QString text;
    bool apart = false; // the reply and the parts after the content stand apart from the rest
    for (const RenderedSpan &span : spans) {
        const bool part = span.kind >= Kind::Reply;
        if (!text.isEmpty() && (part || apart))
            text += u' ';
        text += span.text;
        apart = part;
    }
    return text;
}

} // namespace Gatescope
