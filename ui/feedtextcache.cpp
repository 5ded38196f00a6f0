#include "ui/feedtextcache.h"

#include <QFontMetricsF>

#include <cmath>
#include <utility>

namespace Gatescope::Ui {

namespace {
/// How much narrower than the average a character may be and still be counted on: a text of
/// only 'i' and 'l' stays whole, and a zero-width run at worst shows an ellipsis early.
constexpr qreal NarrowestShare = 0.25;
constexpr qsizetype MinVisibleChars = 16;
} // namespace

QString FeedTextCache::visiblePart(const QString &text, qreal width, qreal averageCharWidth)
{
    const qreal narrowest = std::max(1.0, averageCharWidth * NarrowestShare);
    const qsizetype limit = std::max(MinVisibleChars, qsizetype(std::ceil(width / narrowest)));
    if (text.size() <= limit)
        return text;
    qsizetype cut = limit;
    if (text.at(cut - 1).isHighSurrogate())
        --cut;
    return text.left(cut) + QChar(0x2026);
}

bool FeedTextCache::layOutIfItFits(QStaticText *laidOut, const QString &text, const QFont &font,
                                   int width)
{
    // Most cells fit: laying the text out at once and measuring the layout shapes it once, where
    // eliding first and laying out the result shapes it twice. The layout's width leaves out
    // trailing spaces, which elidedText() counts, so such a text takes the other way.
    const qreal average = QFontMetricsF(font).averageCharWidth();
    if (text.isEmpty() || text.back().isSpace() || qreal(text.size()) * average > width)
        return false;
    laidOut->setText(text);
    laidOut->prepare(QTransform(), font);
    return laidOut->size().width() <= width;
}

const QStaticText &FeedTextCache::elided(const QString &text, const QFont &font, qreal width)
{
    Key key{text, font, int(std::floor(width))};
    if (const QStaticText *found = m_texts.find(key, [](const QStaticText &) { return true; }))
        return *found;
    QStaticText laidOut;
    laidOut.setTextFormat(Qt::PlainText);
    laidOut.setPerformanceHint(QStaticText::ModerateCaching);
    if (key.width > 0 && !layOutIfItFits(&laidOut, text, font, key.width)) {
        const QFontMetricsF metrics(font);
        laidOut.setText(metrics.elidedText(visiblePart(text, key.width, metrics.averageCharWidth()),
                                           Qt::ElideRight, key.width));
        laidOut.prepare(QTransform(), font);
    }
    return m_texts.insert(std::move(key), std::move(laidOut));
}

} // namespace Gatescope::Ui
