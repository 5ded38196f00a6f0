#pragma once

// Private to core/store: the parsed form of a MessageFilter, shared by MessageFilter (one message
// at a time) and ColumnarFilter (a store's columns).

#include "core/store/message.h"

#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringMatcher>

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

namespace Gatescope {

class Directory;

struct FoldedNeedle;

struct FilterNode
{
    enum Kind { And, Or, Not, Text, Regex, From, In, Guild, Has, Is, Before, After, Shard };
    enum HasWhat { HasLink, HasAttachment, HasEmbed, HasMention };
    enum IsWhat { IsBot, IsHuman, IsWebhook, IsEdited, IsDeleted, IsDm, IsReply };

    Kind kind = Text;
    int what = 0; ///< HasWhat / IsWhat
    std::vector<std::unique_ptr<FilterNode>> children;
    QString text; ///< case-folded word, or the name of from:/in:/guild:
    std::unique_ptr<FoldedNeedle> needle; ///< Text nodes
    quint64 id = 0; ///< the value as an id, if it is one; Shard: the shard id
    QSet<quint64> ids; ///< resolved ids (from:, in:, guild:)
    qint64 timeMs = 0;
    QRegularExpression regex;

    bool matches(const Message &m) const;
    bool matchesAuthor(const Message &m) const;
    void resolve(const Directory *directory);
    bool usesDirectory() const;
    QString describe() const;
};

inline constexpr char16_t asciiLower(char16_t c)
{
    return c >= u'A' && c <= u'Z' ? char16_t(c + 32) : c;
}

/// A case-folded search text and how to find it in a message: in Message::searchKey when one is
/// stored, else in the ASCII content compared in ASCII lower case (which is its case fold), with
/// Boyer-Moore-Horspool.
struct FoldedNeedle
{
    explicit FoldedNeedle(const QString &text = {})
        : folded(text.toCaseFolded())
        , matcher(folded, Qt::CaseSensitive)
    {
        ascii = std::all_of(folded.cbegin(), folded.cend(),
                            [](QChar c) { return c.unicode() < 0x80; });
        const qsizetype n = folded.size();
        skip.fill(quint8(qMin<qsizetype>(n, 255)));
        if (ascii) {
            for (qsizetype k = 0; k + 1 < n; ++k)
                skip[folded[k].unicode()] = quint8(qMin<qsizetype>(n - 1 - k, 255));
        }
    }

    bool contains(const Message &m) const
    {
        if (!m.searchKey.isNull())
            return matcher.indexIn(m.searchKey) >= 0;
        // ASCII content: a non-ASCII needle cannot occur in it.
        return ascii && asciiContains(m.content);
    }

    bool asciiContains(QStringView text) const
    {
        const qsizetype n = folded.size();
        if (n == 0)
            return true;
        if (text.size() < n)
            return false;
        const char16_t *h = text.utf16();
        const char16_t *p = QStringView(folded).utf16();
        const char16_t lastChar = p[n - 1];
        const qsizetype last = text.size() - n;
        qsizetype i = 0;
        while (i <= last) {
            const char16_t c = asciiLower(h[i + n - 1]);
            if (c == lastChar) {
                qsizetype j = n - 2;
                while (j >= 0 && asciiLower(h[i + j]) == p[j])
                    --j;
                if (j < 0)
                    return true;
            }
            i += c < 128 ? skip[c] : n;
        }
        return false;
    }

    QString folded;
    QStringMatcher matcher;
    bool ascii = true;
    std::array<quint8, 128> skip{};
};

} // namespace Gatescope
