#include "core/store/columnarfilter.h"

#include "core/store/filternode.h"
#include "core/store/storechunk.h"
#include "core/store/utf8regex.h"

#include <QRegularExpression>
#include <QStringDecoder>

#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

using namespace Qt::StringLiterals;

namespace Gatescope {

struct ColumnarFilter::Node
{
    const FilterNode *source = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    QByteArray needle; ///< Text: the folded needle as UTF-8; Regex: the prefilter literal
    std::vector<quint8> accepted; ///< From/In/Guild (and is:dm): per table entry
    QRegularExpression regex; ///< Regex: compiled once, without captures where possible
    Utf8Regex utf8Regex; ///< Regex: the same, matching the store's UTF-8 text directly
};

namespace {

/// The first occurrence of @p needle (n >= 1 bytes) in @p hay, or nullptr. Compares the needle's
/// first and last bytes at 16 positions at once and checks only where both match (several times
/// faster than memmem over chat text, where the letters of a word are common).
const char *findBytes(const char *hay, size_t length, const char *needle, size_t n)
{
    if (length < n)
        return nullptr;
    if (n == 1)
        return static_cast<const char *>(std::memchr(hay, needle[0], length));
    size_t i = 0;
#ifdef __SSE2__
    const __m128i first = _mm_set1_epi8(needle[0]);
    const __m128i last = _mm_set1_epi8(needle[n - 1]);
    for (; i + n - 1 + 16 <= length; i += 16) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(hay + i));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(hay + i + n - 1));
        auto mask = unsigned(_mm_movemask_epi8(
                _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
        while (mask) {
            const int bit = __builtin_ctz(mask);
            if (std::memcmp(hay + i + size_t(bit) + 1, needle + 1, n - 2) == 0)
                return hay + i + size_t(bit);
            mask &= mask - 1;
        }
    }
#endif
    return static_cast<const char *>(memmem(hay + i, length - i, needle, n));
}

/// out[i - from] = 1 for rows in [from, to) whose folded text contains @p needle.
void scanFolded(const StoreChunk &c, int from, int to, QByteArrayView needle, quint8 *out)
{
    const size_t rows = size_t(to - from);
    if (needle.isEmpty()) {
        std::memset(out, 1, rows);
        return;
    }
    std::memset(out, 0, rows);
    if (rows == 0)
        return;
    const char *base = c.folded.constData();
    quint32 pos = c.foldedStart(from);
    const quint32 end = c.foldedEnd[size_t(to) - 1];
    size_t row = size_t(from);
    while (pos < end) {
        const char *hit = findBytes(base + pos, end - pos, needle.data(), size_t(needle.size()));
        if (!hit)
            break;
        const auto offset = quint32(hit - base);
        while (c.foldedEnd[row] <= offset)
            ++row;
        if (offset + quint32(needle.size()) <= c.foldedEnd[row])
            out[row - size_t(from)] = 1;
        // Any later occurrence starting in this row also ends past it or was already counted.
        pos = c.foldedEnd[row];
        ++row;
    }
}

/// Table entry @p index accepted by @p node: from the compiled table, or (entries newer than
/// the compilation) computed from the live tables.
template<typename Compute>
bool acceptedAt(const std::vector<quint8> &accepted, quint32 index, Compute compute)
{
    return index < accepted.size() ? accepted[index] != 0 : compute(index);
}

Message authorProbe(const StoredAuthor &author)
{
    Message m;
    m.authorId = author.id;
    m.authorName = author.name;
    m.authorGlobalName = author.globalName;
    return m;
}

Message channelProbe(quint64 channelId)
{
    Message m;
    m.channelId = channelId;
    return m;
}

Message guildProbe(quint64 guildId)
{
    Message m;
    m.guildId = guildId;
    return m;
}

/// @p shared compiled anew for the calling thread (kept until another expression is asked for).
/// QRegularExpression::match() locks the expression's mutex on every call, so threads that share
/// one expression queue on it: the parallel filter took more than twice the CPU of one thread.
const QRegularExpression &threadOwnCopy(const QRegularExpression &shared)
{
    thread_local QRegularExpression own;
    if (own.pattern() != shared.pattern() || own.patternOptions() != shared.patternOptions()) {
        own = QRegularExpression(shared.pattern(), shared.patternOptions());
        own.optimize();
    }
    return own;
}

bool isRegexSpecial(QChar c)
{
    return QStringView(u"\\^$.[]|()?*+{}").contains(c);
}

/// A `{m}`, `{m,}` or `{m,n}` quantifier at @p pos: its length and whether m is 0; 0 when the
/// brace is a literal.
qsizetype quantifierLength(const QString &p, qsizetype pos, bool *optional)
{
    qsizetype i = pos + 1;
    const qsizetype digits = i;
    while (i < p.size() && p[i].isDigit())
        ++i;
    if (i == digits)
        return 0;
    *optional = QStringView(p).mid(digits, i - digits).toInt() == 0;
    if (i < p.size() && p[i] == u',') {
        ++i;
        while (i < p.size() && p[i].isDigit())
            ++i;
    }
    return i < p.size() && p[i] == u'}' ? i + 1 - pos : 0;
}

} // namespace

QString ColumnarFilter::requiredLiteral(const QString &p, bool caseInsensitive)
{
    // Only literals outside groups and classes of a pattern without alternation or inline
    // options are certain to be in every match.
    if (p.contains(u'|') || p.contains("(?"_L1) || p.contains("\\Q"_L1))
        return {};
    QString best;
    QString run;
    int depth = 0;
    const auto flush = [&] {
        if (run.size() > best.size())
            best = run;
        run.clear();
    };
    for (qsizetype i = 0; i < p.size(); ++i) {
        const QChar c = p[i];
        if (c == u'\\' && i + 1 < p.size()) {
            const QChar next = p[++i];
            if (next.isLetterOrNumber() || next.unicode() >= 0x80) {
                flush(); // \d, \w, \b, \x41, \1, …: not one literal character
            } else if (depth == 0) {
                run += next;
            }
        } else if (c == u'(') {
            flush();
            ++depth;
        } else if (c == u')') {
            flush();
            depth = qMax(0, depth - 1);
        } else if (c == u'[') {
            flush();
            qsizetype j = i + 1;
            if (j < p.size() && p[j] == u'^')
                ++j;
            if (j < p.size() && p[j] == u']')
                ++j;
            while (j < p.size() && p[j] != u']')
                j += p[j] == u'\\' ? 2 : 1;
            i = j;
        } else if (c == u'?' || c == u'*') {
            if (!run.isEmpty())
                run.chop(1);
            flush();
        } else if (c == u'{') {
            bool optional = false;
            const qsizetype length = quantifierLength(p, i, &optional);
            if (length == 0) {
                if (depth == 0)
                    run += c;
                continue;
            }
            if (optional && !run.isEmpty())
                run.chop(1);
            flush();
            i += length - 1;
        } else if (c == u'+') {
            flush();
        } else if (isRegexSpecial(c)) {
            flush();
        } else if (depth == 0) {
            run += c;
        }
    }
    flush();
    if (best.size() < 2)
        return {};
    if (caseInsensitive) {
        // Caseless PCRE matching of ASCII letters is covered by the full case fold; other
        // letters may fold differently, so no prefilter then.
        if (!QtPrivate::isAscii(QStringView(best)))
            return {};
        return best.toLower();
    }
    return best.toCaseFolded();
}

ColumnarFilter::ColumnarFilter(const MessageFilter &filter, const StoreTables &tables)
    : m_filter(filter)
{
    if (m_filter.m_root)
        m_root = compile(*m_filter.m_root, tables);
}

ColumnarFilter::~ColumnarFilter() = default;

std::unique_ptr<ColumnarFilter::Node> ColumnarFilter::compile(const FilterNode &source,
                                                              const StoreTables &tables) const
{
    auto node = std::make_unique<Node>();
    node->source = &source;
    for (const auto &child : source.children)
        node->children.push_back(compile(*child, tables));
    switch (source.kind) {
    case FilterNode::Text:
        node->needle = source.needle->folded.toUtf8();
        break;
    case FilterNode::Regex: {
        const auto options = source.regex.patternOptions();
        QRegularExpression plain(source.regex.pattern(),
                                 options | QRegularExpression::DontCaptureOption);
        // Back references need their groups: keep the captures then.
        node->regex = plain.isValid() ? plain : source.regex;
        node->regex.optimize();
        node->utf8Regex = Utf8Regex(node->regex);
        if (!(options & QRegularExpression::ExtendedPatternSyntaxOption))
            node->needle = requiredLiteral(source.regex.pattern(),
                                           options & QRegularExpression::CaseInsensitiveOption)
                                   .toUtf8();
        break;
    }
    case FilterNode::From:
        node->accepted.reserve(tables.authors.size());
        for (const StoredAuthor &author : tables.authors)
            node->accepted.push_back(source.matches(authorProbe(author)) ? 1 : 0);
        break;
    case FilterNode::In:
        node->accepted.reserve(tables.channels.size());
        for (quint64 channel : tables.channels)
            node->accepted.push_back(source.matches(channelProbe(channel)) ? 1 : 0);
        break;
    case FilterNode::Guild:
        node->accepted.reserve(tables.guilds.size());
        for (quint64 guild : tables.guilds)
            node->accepted.push_back(source.matches(guildProbe(guild)) ? 1 : 0);
        break;
    case FilterNode::Is:
        if (source.what == FilterNode::IsDm) {
            for (quint64 guild : tables.guilds)
                node->accepted.push_back(guild == 0 ? 1 : 0);
        }
        break;
    default:
        break;
    }
    return node;
}

void ColumnarFilter::evaluate(const StoreChunk &chunk, int from, int to, quint8 *out,
                              const StoreTables *liveTables) const
{
    if (!m_root) {
        std::memset(out, m_filter.isValid() ? 1 : 0, size_t(to - from));
        return;
    }
    evaluateNode(*m_root, chunk, from, to, out, liveTables);
}

void ColumnarFilter::evaluateNode(const Node &node, const StoreChunk &c, int from, int to,
                                  quint8 *out, const StoreTables *live) const
{
    const int n = to - from;
    const FilterNode &source = *node.source;
    const auto each = [&](auto predicate) {
        for (int i = 0; i < n; ++i)
            out[i] = predicate(size_t(from + i)) ? 1 : 0;
    };
    switch (source.kind) {
    case FilterNode::And:
    case FilterNode::Or: {
        evaluateNode(*node.children.front(), c, from, to, out, live);
        std::vector<quint8> part(static_cast<size_t>(n));
        for (size_t k = 1; k < node.children.size(); ++k) {
            evaluateNode(*node.children[k], c, from, to, part.data(), live);
            if (source.kind == FilterNode::And) {
                for (int i = 0; i < n; ++i)
                    out[i] &= part[size_t(i)];
            } else {
                for (int i = 0; i < n; ++i)
                    out[i] |= part[size_t(i)];
            }
        }
        return;
    }
    case FilterNode::Not:
        evaluateNode(*node.children.front(), c, from, to, out, live);
        for (int i = 0; i < n; ++i)
            out[i] ^= 1;
        return;
    case FilterNode::Text:
        scanFolded(c, from, to, node.needle, out);
        return;
    case FilterNode::Regex: {
        scanFolded(c, from, to, node.needle, out);
        if (node.utf8Regex.isValid()) {
            for (int i = 0; i < n; ++i) {
                if (out[i])
                    out[i] = node.utf8Regex.matches(c.contentText(from + i)) ? 1 : 0;
            }
            return;
        }
        // PCRE2 refused the UTF-8 form (it never should): match through QRegularExpression.
        const QRegularExpression &regex = threadOwnCopy(node.regex);
        QStringDecoder decoder(QStringDecoder::Utf8);
        QString buffer;
        for (int i = 0; i < n; ++i) {
            if (!out[i])
                continue;
            const QByteArrayView text = c.contentText(from + i);
            buffer.resize(text.size());
            decoder.resetState();
            const QChar *end = decoder.appendToBuffer(buffer.data(), text);
            const QStringView subject(buffer.constData(), end - buffer.constData());
            out[i] = regex.match(subject).hasMatch() ? 1 : 0;
        }
        return;
    }
    case FilterNode::From:
        each([&](size_t r) {
            return acceptedAt(node.accepted, c.authors[r], [&](quint32 index) {
                return live && index < live->authors.size()
                       && source.matches(authorProbe(live->authors[index]));
            });
        });
        return;
    case FilterNode::In:
        each([&](size_t r) {
            return acceptedAt(node.accepted, c.channels[r], [&](quint32 index) {
                return live && index < live->channels.size()
                       && source.matches(channelProbe(live->channels[index]));
            });
        });
        return;
    case FilterNode::Guild:
        each([&](size_t r) {
            return acceptedAt(node.accepted, c.guilds[r], [&](quint32 index) {
                return live && index < live->guilds.size()
                       && source.matches(guildProbe(live->guilds[index]));
            });
        });
        return;
    case FilterNode::Has:
        switch (source.what) {
        case FilterNode::HasLink: {
            static const QByteArray https = "https://"_ba;
            static const QByteArray http = "http://"_ba;
            scanFolded(c, from, to, https, out);
            std::vector<quint8> part(static_cast<size_t>(n));
            scanFolded(c, from, to, http, part.data());
            for (int i = 0; i < n; ++i)
                out[i] |= part[size_t(i)];
            return;
        }
        case FilterNode::HasAttachment:
            each([&](size_t r) { return c.extraFlags[r] & StoreChunk::HasAttachments; });
            return;
        case FilterNode::HasEmbed:
            each([&](size_t r) { return c.embedCounts[r] > 0; });
            return;
        default:
            each([&](size_t r) {
                return (c.extraFlags[r] & StoreChunk::HasMentions)
                       || (c.flags[r] & Message::MentionsEveryone);
            });
            return;
        }
    case FilterNode::Is:
        switch (source.what) {
        case FilterNode::IsBot:
            each([&](size_t r) { return c.flags[r] & Message::AuthorIsBot; });
            return;
        case FilterNode::IsHuman:
            each([&](size_t r) {
                return !(c.flags[r] & (Message::AuthorIsBot | Message::FromWebhook));
            });
            return;
        case FilterNode::IsWebhook:
            each([&](size_t r) { return c.flags[r] & Message::FromWebhook; });
            return;
        case FilterNode::IsEdited:
            each([&](size_t r) { return c.flags[r] & Message::Edited; });
            return;
        case FilterNode::IsDeleted:
            each([&](size_t r) { return c.flags[r] & Message::Deleted; });
            return;
        case FilterNode::IsDm:
            each([&](size_t r) {
                return acceptedAt(node.accepted, c.guilds[r], [&](quint32 index) {
                    return live && index < live->guilds.size() && live->guilds[index] == 0;
                });
            });
            return;
        default:
            each([&](size_t r) { return c.extraFlags[r] & StoreChunk::IsReply; });
            return;
        }
    case FilterNode::Before:
        each([&](size_t r) { return c.timestamps[r] < source.timeMs; });
        return;
    case FilterNode::After:
        each([&](size_t r) { return c.timestamps[r] > source.timeMs; });
        return;
    case FilterNode::Shard:
        each([&](size_t r) { return c.shards[r] == source.id; });
        return;
    }
}

void ColumnarFilter::appendMatches(const StoreChunk &chunk, quint64 fromSeq, quint64 toSeq,
                                   const QMap<quint64, Message> &overrides,
                                   std::vector<quint64> *out, const StoreTables *liveTables) const
{
    const quint64 chunkEnd = chunk.firstSeq + quint64(chunk.size());
    fromSeq = qMax(fromSeq, chunk.firstSeq);
    toSeq = qMin(toSeq, chunkEnd);
    if (fromSeq >= toSeq)
        return;
    const int from = int(fromSeq - chunk.firstSeq);
    const int to = int(toSeq - chunk.firstSeq);
    quint8 result[StoreChunk::Rows];
    evaluate(chunk, from, to, result, liveTables);
    for (auto it = overrides.lowerBound(fromSeq); it != overrides.cend() && it.key() < toSeq; ++it)
        result[it.key() - fromSeq] = matches(it.value()) ? 1 : 0;
    for (int i = 0; i < to - from; ++i) {
        if (result[i])
            out->push_back(fromSeq + quint64(i));
    }
}

std::vector<quint64> ColumnarFilter::matchesInChunk(const StoreSnapshot &snapshot, size_t index,
                                                    const std::atomic<bool> *cancel) const
{
    std::vector<quint64> out;
    if (cancel && cancel->load(std::memory_order_relaxed))
        return out;
    appendMatches(*snapshot.chunks[index], snapshot.firstSeq, snapshot.endSeq, snapshot.overrides,
                  &out);
    return out;
}

} // namespace Gatescope
