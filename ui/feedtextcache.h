#pragma once

#include "ui/generationalcache.h"

#include <QFont>
#include <QHash>
#include <QStaticText>
#include <QString>

namespace Gatescope::Ui {

/// Feed cells' texts elided to their width and laid out once (QStaticText), so that painting a
/// row again, or a name that repeats on many rows (guilds, channels, authors), shapes no text.
/// A miss costs one shaping to elide and one to lay out, where QStyle's item painting shaped a
/// cell's text three to five times on every paint. A text far longer than the width could show
/// is cut before it is shaped, so a 4,000-character message costs what its visible part costs.
///
/// GUI thread only. Holds at most 2 × MaxEntries texts in a GenerationalCache, so the rows on
/// screen survive a turnover and a paint never lays out every visible cell again at once
/// (starting over did, a paint of 30-60 ms).
class FeedTextCache
{
public:
    static constexpr int MaxEntries = 8192;

    /// @p text in @p font, elided on the right to fit @p width pixels (empty when nothing fits),
    /// laid out as plain text on one line. The reference stays valid until the next call.
    const QStaticText &elided(const QString &text, const QFont &font, qreal width);

    /// @p text cut to what @p width pixels in a font of average character width
    /// @p averageCharWidth could ever show, with an ellipsis when cut (never inside a surrogate
    /// pair): the text elidedText() needs to see.
    static QString visiblePart(const QString &text, qreal width, qreal averageCharWidth);

    int size() const { return int(m_texts.size()); }

private:
    /// Lays @p text out into @p laidOut when it probably fits @p width whole; false when it
    /// did not, or was not tried (then it must be elided).
    static bool layOutIfItFits(QStaticText *laidOut, const QString &text, const QFont &font,
                               int width);

    struct Key
    {
        QString text;
        QFont font;
        int width = 0;
        friend bool operator==(const Key &a, const Key &b)
        {
            return a.width == b.width && a.text == b.text && a.font == b.font;
        }
        friend size_t qHash(const Key &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.text, key.font, key.width);
        }
    };

    GenerationalCache<Key, QStaticText> m_texts{MaxEntries};
};

} // namespace Gatescope::Ui
