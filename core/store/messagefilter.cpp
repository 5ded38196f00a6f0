#include "core/store/messagefilter.h"

#include "core/store/filternode.h"

#include "core/gateway/snowflake.h"
#include "core/store/directory.h"
#include "core/store/message.h"
#include "core/store/messageparser.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSet>
#include <QStringMatcher>

#include <algorithm>
#include <array>
#include <vector>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

bool containsLink(const Message &m)
{
    static const FoldedNeedle http(u"http://"_s);
    static const FoldedNeedle https(u"https://"_s);
    return https.contains(m) || http.contains(m);
}

} // namespace

bool FilterNode::matchesAuthor(const Message &m) const
{
    if (ids.contains(m.authorId) || (id != 0 && m.authorId == id))
        return true;
    return (!m.authorName.isEmpty() && m.authorName.compare(text, Qt::CaseInsensitive) == 0)
           || (!m.authorGlobalName.isEmpty()
               && m.authorGlobalName.compare(text, Qt::CaseInsensitive) == 0);
}

bool FilterNode::matches(const Message &m) const
{
    switch (kind) {
    case And:
        for (const auto &child : children) {
            if (!child->matches(m))
                return false;
        }
        return true;
    case Or:
        for (const auto &child : children) {
            if (child->matches(m))
                return true;
        }
        return false;
    case Not:
        return !children.front()->matches(m);
    case Text:
        return needle->contains(m);
    case Regex:
        return regex.match(m.content).hasMatch();
    case From:
        return matchesAuthor(m);
    case In:
        return m.channelId == id || ids.contains(m.channelId);
    case Guild:
        return m.guildId != 0 && (m.guildId == id || ids.contains(m.guildId));
    case Has:
        switch (what) {
        case HasLink:
            return containsLink(m);
        case HasAttachment:
            return !m.attachments.isEmpty();
        case HasEmbed:
            return m.embedCount > 0;
        default:
            return !m.mentionIds.isEmpty() || (m.flags & Message::MentionsEveryone);
        }
    case Is:
        switch (what) {
        case IsBot:
            return m.isBot();
        case IsHuman:
            return !m.isBot() && !m.isWebhook();
        case IsWebhook:
            return m.isWebhook();
        case IsEdited:
            return m.isEdited();
        case IsDeleted:
            return m.isDeleted();
        case IsDm:
            return m.isDm();
        default:
            return m.isReply();
        }
    case Before:
        return m.timestampMs < timeMs;
    case After:
        return m.timestampMs > timeMs;
    case Shard:
        return m.shard >= 0 && quint64(m.shard) == id;
    }
    return false;
}

bool FilterNode::usesDirectory() const
{
    if (kind == From || kind == In || kind == Guild)
        return true;
    for (const auto &child : children) {
        if (child->usesDirectory())
            return true;
    }
    return false;
}

void FilterNode::resolve(const Directory *directory)
{
    for (const auto &child : children)
        child->resolve(directory);
    if (kind != From && kind != In && kind != Guild)
        return;
    ids.clear();
    if (!directory)
        return;
    QList<quint64> found;
    if (kind == From) {
        found = directory->usersNamed(text);
    } else if (kind == Guild) {
        found = directory->guildsNamed(text);
    } else {
        found = directory->channelsNamed(text);
        if (id != 0)
            found.append(id);
        // A channel includes its threads (and a category its channels and their threads).
        for (qsizetype i = 0; i < found.size() && i < 100000; ++i)
            found.append(directory->channelChildren(found.at(i)));
    }
    ids = QSet<quint64>(found.cbegin(), found.cend());
}

QString FilterNode::describe() const
{
    static const char *const kinds[] = {"AND",   "OR",  "NOT", "text",   "regex", "from", "in",
                                        "guild", "has", "is",  "before", "after", "shard"};
    QString out = QString::fromLatin1(kinds[kind]) + u'(';
    switch (kind) {
    case And:
    case Or:
    case Not:
        for (size_t i = 0; i < children.size(); ++i)
            out += (i ? u", "_s : QString()) + children[i]->describe();
        break;
    case Regex:
        out += u'/' + regex.pattern() + u'/'
               + (regex.patternOptions() & QRegularExpression::CaseInsensitiveOption ? u"i"_s
                                                                                     : QString());
        break;
    case Has:
    case Is:
        out += QString::number(what);
        break;
    case Before:
    case After:
        out += QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODateWithMs);
        break;
    case Shard:
        out += QString::number(id);
        break;
    default:
        out += u'"' + text + u'"';
    }
    return out + u')';
}

/// Recursive descent over the query; fills MessageFilter's tree or its error.
class FilterParser
{
public:
    FilterParser(QStringView query, qint64 nowMs)
        : m_q(query)
        , m_now(nowMs)
    { }

    std::unique_ptr<FilterNode> run()
    {
        skipSpace();
        if (atEnd())
            return nullptr;
        auto root = parseOr();
        if (!failed() && !atEnd()) {
            if (m_q[m_pos] == u')')
                fail(u"Unmatched ')'"_s, m_pos);
            else
                fail(u"Unexpected input"_s, m_pos);
        }
        return failed() ? nullptr : std::move(root);
    }

    bool failed() const { return m_errorPos >= 0; }
    QString error() const { return m_error; }
    int errorPos() const { return int(m_errorPos); }

private:
    using NodePtr = std::unique_ptr<FilterNode>;

    bool atEnd() const { return m_pos >= m_q.size(); }
    void skipSpace()
    {
        while (!atEnd() && m_q[m_pos].isSpace())
            ++m_pos;
    }
    bool isTermEnd(qsizetype pos) const
    {
        return pos >= m_q.size() || m_q[pos].isSpace() || m_q[pos] == u'(' || m_q[pos] == u')';
    }
    bool atKeyword(QLatin1StringView word) const
    {
        return m_q.mid(m_pos).startsWith(word) && isTermEnd(m_pos + word.size());
    }
    NodePtr fail(const QString &message, qsizetype pos)
    {
        if (!failed()) {
            m_error = message;
            m_errorPos = pos;
        }
        return nullptr;
    }
    static NodePtr node(FilterNode::Kind kind)
    {
        auto n = std::make_unique<FilterNode>();
        n->kind = kind;
        return n;
    }
    static NodePtr combine(FilterNode::Kind kind, std::vector<NodePtr> parts)
    {
        if (parts.size() == 1)
            return std::move(parts.front());
        auto n = node(kind);
        n->children = std::move(parts);
        return n;
    }

    NodePtr parseOr()
    {
        std::vector<NodePtr> parts;
        while (true) {
            skipSpace();
            if (atKeyword("OR"_L1))
                return fail(u"'OR' needs a term before it"_s, m_pos);
            auto part = parseAnd();
            if (failed())
                return nullptr;
            parts.push_back(std::move(part));
            skipSpace();
            if (!atKeyword("OR"_L1))
                break;
            const qsizetype orPos = m_pos;
            m_pos += 2;
            skipSpace();
            if (atEnd() || m_q[m_pos] == u')' || atKeyword("OR"_L1))
                return fail(u"'OR' needs a term after it"_s, orPos);
        }
        return combine(FilterNode::Or, std::move(parts));
    }

    NodePtr parseAnd()
    {
        std::vector<NodePtr> parts;
        while (true) {
            skipSpace();
            if (atEnd() || m_q[m_pos] == u')' || atKeyword("OR"_L1))
                break;
            if (atKeyword("AND"_L1)) {
                const qsizetype andPos = m_pos;
                m_pos += 3;
                skipSpace();
                if (parts.empty() || atEnd() || m_q[m_pos] == u')' || atKeyword("OR"_L1)
                    || atKeyword("AND"_L1))
                    return fail(u"'AND' needs a term on both sides"_s, andPos);
                continue;
            }
            auto part = parseUnary();
            if (failed())
                return nullptr;
            parts.push_back(std::move(part));
        }
        if (parts.empty())
            return fail(u"Expected a search term"_s, m_pos);
        return combine(FilterNode::And, std::move(parts));
    }

    NodePtr parseUnary()
    {
        if (m_q[m_pos] == u'-') {
            const qsizetype minusPos = m_pos++;
            if (isTermEnd(m_pos) && (atEnd() || m_q[m_pos] != u'('))
                return fail(u"'-' must be followed by a term (write \"-\" to search for it)"_s,
                            minusPos);
            if (m_q[m_pos] == u'-')
                return fail(u"Double negation '--'"_s, minusPos);
            auto inner = parsePrimary();
            if (failed())
                return nullptr;
            auto n = node(FilterNode::Not);
            n->children.push_back(std::move(inner));
            return n;
        }
        return parsePrimary();
    }

    NodePtr parsePrimary()
    {
        const QChar c = m_q[m_pos];
        if (c == u'(') {
            const qsizetype open = m_pos++;
            skipSpace();
            if (!atEnd() && m_q[m_pos] == u')')
                return fail(u"Empty parentheses"_s, open);
            auto inner = parseOr();
            if (failed())
                return nullptr;
            skipSpace();
            if (atEnd())
                return fail(u"Missing ')' for the '(' at %1"_s.arg(open + 1), open);
            ++m_pos;
            return inner;
        }
        if (c == u'"') {
            const qsizetype start = m_pos;
            QString phrase;
            if (!readQuoted(&phrase))
                return nullptr;
            if (phrase.isEmpty())
                return fail(u"Empty phrase \"\""_s, start);
            return textNode(phrase);
        }
        if (c == u'/')
            return parseRegex();
        return parseTerm();
    }

    bool readQuoted(QString *out)
    {
        const qsizetype open = m_pos++;
        const qsizetype close = m_q.indexOf(u'"', m_pos);
        if (close < 0) {
            fail(u"Unterminated quote"_s, open);
            return false;
        }
        *out = m_q.mid(m_pos, close - m_pos).toString();
        m_pos = close + 1;
        return true;
    }

    NodePtr textNode(const QString &text)
    {
        auto n = node(FilterNode::Text);
        n->text = text.toCaseFolded();
        n->needle = std::make_unique<FoldedNeedle>(text);
        return n;
    }

    NodePtr parseRegex()
    {
        const qsizetype open = m_pos++;
        QString pattern;
        bool closed = false;
        while (!atEnd()) {
            const QChar c = m_q[m_pos++];
            if (c == u'\\' && !atEnd() && m_q[m_pos] == u'/') {
                pattern += u'/';
                ++m_pos;
            } else if (c == u'\\' && !atEnd()) {
                pattern += c;
                pattern += m_q[m_pos++];
            } else if (c == u'/') {
                closed = true;
                break;
            } else {
                pattern += c;
            }
        }
        if (!closed)
            return fail(u"Unterminated /regex/ (quote a \"/\" to search for it)"_s, open);
        if (pattern.isEmpty())
            return fail(u"Empty regular expression"_s, open);
        QRegularExpression::PatternOptions options = QRegularExpression::UseUnicodePropertiesOption;
        while (!isTermEnd(m_pos)) {
            switch (m_q[m_pos].unicode()) {
            case u'i':
                options |= QRegularExpression::CaseInsensitiveOption;
                break;
            case u's':
                options |= QRegularExpression::DotMatchesEverythingOption;
                break;
            case u'm':
                options |= QRegularExpression::MultilineOption;
                break;
            case u'x':
                options |= QRegularExpression::ExtendedPatternSyntaxOption;
                break;
            default:
                return fail(u"Unknown regex flag '%1' (use i, s, m or x)"_s.arg(m_q[m_pos]), m_pos);
            }
            ++m_pos;
        }
        auto n = node(FilterNode::Regex);
        n->regex = QRegularExpression(pattern, options);
        if (!n->regex.isValid()) {
            const qsizetype offset
                    = qBound<qsizetype>(0, n->regex.patternErrorOffset(), pattern.size());
            return fail(u"Invalid regular expression: %1"_s.arg(n->regex.errorString()),
                        open + 1 + offset);
        }
        n->regex.optimize();
        return n;
    }

    NodePtr parseTerm()
    {
        const qsizetype start = m_pos;
        qsizetype keyEnd = m_pos;
        while (keyEnd < m_q.size() && m_q[keyEnd].isLetter())
            ++keyEnd;
        if (keyEnd > start && keyEnd < m_q.size() && m_q[keyEnd] == u':') {
            const QString key = m_q.mid(start, keyEnd - start).toString().toLower();
            const qsizetype valuePos = keyEnd + 1;
            static const QStringList keys
                    = {u"from"_s, u"author"_s, u"in"_s,     u"channel"_s, u"guild"_s, u"server"_s,
                       u"has"_s,  u"is"_s,     u"before"_s, u"after"_s,   u"shard"_s};
            if (keys.contains(key)) {
                m_pos = valuePos;
                return parseOperator(key, start, valuePos);
            }
            // "https://…" and "note:" are plain text; "form:alice" is a typo worth telling.
            const bool plain = isTermEnd(valuePos) || m_q.mid(valuePos).startsWith(u"//");
            if (!plain)
                return fail(
                        u"Unknown filter '%1:' (known: from, in, guild, has, is, before, after, "
                        "shard)"_s.arg(key),
                        start);
        }
        while (!isTermEnd(m_pos))
            ++m_pos;
        return textNode(m_q.mid(start, m_pos - start).toString());
    }

    bool readValue(QString *out, qsizetype valuePos, const QString &key)
    {
        if (!atEnd() && m_q[m_pos] == u'"') {
            if (!readQuoted(out))
                return false;
        } else {
            while (!isTermEnd(m_pos))
                ++m_pos;
            *out = m_q.mid(valuePos, m_pos - valuePos).toString();
        }
        if (out->trimmed().isEmpty()) {
            fail(u"'%1:' needs a value"_s.arg(key), valuePos);
            return false;
        }
        return true;
    }

    NodePtr parseOperator(const QString &key, qsizetype keyPos, qsizetype valuePos)
    {
        Q_UNUSED(keyPos);
        QString value;
        if (!readValue(&value, valuePos, key))
            return nullptr;
        if (key == "from"_L1 || key == "author"_L1)
            return nameNode(FilterNode::From, value, u'@');
        if (key == "in"_L1 || key == "channel"_L1)
            return nameNode(FilterNode::In, value, u'#');
        if (key == "guild"_L1 || key == "server"_L1)
            return nameNode(FilterNode::Guild, value, QChar());
        if (key == "shard"_L1)
            return shardNode(value, valuePos);
        const QString lower = value.toLower();
        if (key == "has"_L1) {
            static const QHash<QString, int> has = {{u"link"_s, FilterNode::HasLink},
                                                    {u"links"_s, FilterNode::HasLink},
                                                    {u"attachment"_s, FilterNode::HasAttachment},
                                                    {u"attachments"_s, FilterNode::HasAttachment},
                                                    {u"file"_s, FilterNode::HasAttachment},
                                                    {u"embed"_s, FilterNode::HasEmbed},
                                                    {u"embeds"_s, FilterNode::HasEmbed},
                                                    {u"mention"_s, FilterNode::HasMention},
                                                    {u"mentions"_s, FilterNode::HasMention}};
            if (!has.contains(lower))
                return fail(
                        u"Unknown 'has:%1' (use link, attachment, embed or mention)"_s.arg(value),
                        valuePos);
            auto n = node(FilterNode::Has);
            n->what = has.value(lower);
            return n;
        }
        if (key == "is"_L1) {
            static const QHash<QString, int> is
                    = {{u"bot"_s, FilterNode::IsBot},         {u"human"_s, FilterNode::IsHuman},
                       {u"webhook"_s, FilterNode::IsWebhook}, {u"edited"_s, FilterNode::IsEdited},
                       {u"deleted"_s, FilterNode::IsDeleted}, {u"dm"_s, FilterNode::IsDm},
                       {u"reply"_s, FilterNode::IsReply}};
            if (!is.contains(lower))
                return fail(
                        u"Unknown 'is:%1' (use bot, human, webhook, edited, deleted, dm or reply)"_s
                                .arg(value),
                        valuePos);
            auto n = node(FilterNode::Is);
            n->what = is.value(lower);
            return n;
        }
        return timeNode(key == "before"_L1 ? FilterNode::Before : FilterNode::After, value,
                        valuePos);
    }

    NodePtr shardNode(const QString &value, qsizetype valuePos)
    {
        bool ok = false;
        const uint shard = value.trimmed().toUInt(&ok);
        // Discord allows at most 65535 shards, so ids end at 65534.
        if (!ok || shard > 65534)
            return fail(u"'shard:%1' needs a shard number (0–65534)"_s.arg(value), valuePos);
        auto n = node(FilterNode::Shard);
        n->id = shard;
        return n;
    }

    NodePtr nameNode(FilterNode::Kind kind, const QString &value, QChar prefix)
    {
        auto n = node(kind);
        QStringView name = QStringView(value).trimmed();
        if (!prefix.isNull() && name.startsWith(prefix))
            name = name.mid(1);
        n->text = name.toString();
        n->id = Snowflake::parse(name).value_or(0);
        return n;
    }

    NodePtr timeNode(FilterNode::Kind kind, const QString &value, qsizetype valuePos)
    {
        auto n = node(kind);
        static const QRegularExpression relative(u"^(\\d{1,9})([smhdw])$"_s);
        static const QRegularExpression dateOnly(u"^(\\d{4})-(\\d{2})-(\\d{2})$"_s);
        if (const auto match = relative.match(value); match.hasMatch()) {
            static const QHash<QChar, qint64> unitMs = {{u's', 1000},
                                                        {u'm', 60 * 1000},
                                                        {u'h', 3600 * 1000},
                                                        {u'd', 86400 * 1000},
                                                        {u'w', 7 * 86400 * 1000}};
            n->timeMs = m_now - match.captured(1).toLongLong() * unitMs.value(match.captured(2)[0]);
        } else if (const auto date = dateOnly.match(value); date.hasMatch()) {
            const int month = date.captured(2).toInt();
            const int day = date.captured(3).toInt();
            if (month < 1 || month > 12 || day < 1 || day > 31)
                return fail(u"Invalid date '%1'"_s.arg(value), valuePos);
            const qint64 dayStart
                    = MessageParser::daysFromCivil(date.captured(1).toInt(), month, day) * 86400000;
            // A whole day: before: the day starts, after: the day ends.
            n->timeMs = kind == FilterNode::Before ? dayStart : dayStart + 86400000 - 1;
        } else if (const auto time = MessageParser::parseTimestamp(value)) {
            n->timeMs = *time;
        } else {
            return fail(u"Invalid date '%1' (use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS], or an age like "
                        "10m, 2h, 3d)"_s.arg(value),
                        valuePos);
        }
        return n;
    }

    QStringView m_q;
    qint64 m_now;
    qsizetype m_pos = 0;
    QString m_error;
    qsizetype m_errorPos = -1;
};

MessageFilter::MessageFilter() = default;
MessageFilter::~MessageFilter() = default;
MessageFilter::MessageFilter(const MessageFilter &) = default;
MessageFilter &MessageFilter::operator=(const MessageFilter &) = default;

MessageFilter MessageFilter::parse(const QString &query, qint64 nowMs)
{
    MessageFilter filter;
    filter.m_query = query;
    filter.m_nowMs = nowMs >= 0 ? nowMs : QDateTime::currentMSecsSinceEpoch();
    FilterParser parser(query, filter.m_nowMs);
    std::unique_ptr<FilterNode> root = parser.run();
    if (parser.failed()) {
        filter.m_error = parser.error();
        filter.m_errorPosition = parser.errorPos();
        return filter;
    }
    filter.m_root = std::shared_ptr<FilterNode>(std::move(root));
    return filter;
}

bool MessageFilter::usesDirectory() const
{
    return m_root && m_root->usesDirectory();
}

void MessageFilter::resolve(const Directory *directory)
{
    if (m_root)
        m_root->resolve(directory);
}

bool MessageFilter::matches(const Message &message) const
{
    if (!isValid())
        return false;
    return !m_root || m_root->matches(message);
}

QString MessageFilter::describe() const
{
    if (!isValid())
        return u"invalid"_s;
    return m_root ? m_root->describe() : u"all"_s;
}

} // namespace Gatescope
