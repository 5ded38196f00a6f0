#include "ui/feedtextcache.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QTest>

#include <cmath>

using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

/// The feed's cache of elided, laid-out cell texts: what it shows is what
/// QFontMetricsF::elidedText shows, long texts are cut before shaping without changing that,
/// and the cache is bounded.
class tst_FeedTextCache : public QObject
{
    Q_OBJECT

private slots:
    void elidesAsFontMetrics_data();
    void elidesAsFontMetrics();
    void nothingFitsInNoRoom();
    void longTextIsCutBeforeShaping_data();
    void longTextIsCutBeforeShaping();
    void cutNeverSplitsASurrogatePair();
    void hitsAndBound();
};

void tst_FeedTextCache::elidesAsFontMetrics_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qreal>("width");
    QTest::newRow("fits") << u"Rust Fans"_s << 300.0;
    QTest::newRow("elided") << u"a guild name far too long for its column"_s << 80.0;
    QTest::newRow("one character") << u"x"_s << 40.0;
    QTest::newRow("right to left") << u"שלום עולם, מה שלומך היום"_s << 60.0;
    QTest::newRow("return mark") << u"first line\u23CEsecond line"_s << 70.0;
    const qreal average = QFontMetricsF(QGuiApplication::font()).averageCharWidth();
    // Wide letters pass the "probably fits" guess and are laid out whole first: still elided.
    QTest::newRow("wide letters") << u"WWWWWWWWWW"_s << std::ceil(10.5 * average);
    QTest::newRow("wide letters, room") << u"WWWWWWWWWW"_s << 400.0;
    QTest::newRow("trailing spaces") << u"Rust Fans    "_s << 70.0;
}

void tst_FeedTextCache::elidesAsFontMetrics()
{
    QFETCH(QString, text);
    QFETCH(qreal, width);
    FeedTextCache cache;
    const QFont font = QGuiApplication::font();
    const QStaticText &shown = cache.elided(text, font, width);
    QCOMPARE(shown.text(), QFontMetricsF(font).elidedText(text, Qt::ElideRight, width));
    QCOMPARE(shown.textFormat(), Qt::PlainText);
    QVERIFY(shown.size().width() <= width + 1);
}

void tst_FeedTextCache::nothingFitsInNoRoom()
{
    FeedTextCache cache;
    QVERIFY(cache.elided(u"anything"_s, QGuiApplication::font(), 0).text().isEmpty());
    QVERIFY(cache.elided(u"anything"_s, QGuiApplication::font(), -12).text().isEmpty());
}

void tst_FeedTextCache::longTextIsCutBeforeShaping_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("words") << u"lorem ipsum dolor sit amet "_s.repeated(200);
    QTest::newRow("narrow letters") << u"il"_s.repeated(3000);
    QTest::newRow("wide letters") << u"WM"_s.repeated(3000);
}

void tst_FeedTextCache::longTextIsCutBeforeShaping()
{
    QFETCH(QString, text);
    const QFont font = QGuiApplication::font();
    const QFontMetricsF metrics(font);
    const qreal width = 400;
    const QString part = FeedTextCache::visiblePart(text, width, metrics.averageCharWidth());
    QVERIFY2(part.size() < text.size() / 4, qPrintable(QString::number(part.size())));
    QVERIFY(part.endsWith(QChar(0x2026)));
    // What the cell shows is what eliding the whole text shows.
    FeedTextCache cache;
    QCOMPARE(cache.elided(text, font, width).text(),
             metrics.elidedText(text, Qt::ElideRight, width));
    // A text short enough is left whole.
    QCOMPARE(FeedTextCache::visiblePart(u"short"_s, width, metrics.averageCharWidth()), u"short"_s);
}

void tst_FeedTextCache::cutNeverSplitsASurrogatePair()
{
    const QString emoji = u"\U0001F600"_s; // two UTF-16 units
    for (int offset : {0, 1}) {
        const QString text = u"x"_s.repeated(offset) + emoji.repeated(100);
        const QString part = FeedTextCache::visiblePart(text, 40, 8);
        QVERIFY(part.size() < text.size());
        const QString kept = part.chopped(1); // the ellipsis
        QVERIFY2(!kept.back().isHighSurrogate(), qPrintable(QString::number(offset)));
        QVERIFY(text.startsWith(kept));
    }
}

void tst_FeedTextCache::hitsAndBound()
{
    FeedTextCache cache;
    const QFont font = QGuiApplication::font();
    cache.elided(u"Rust Fans"_s, font, 100);
    cache.elided(u"Rust Fans"_s, font, 100.6); // the same whole pixels
    QCOMPARE(cache.size(), 1);
    cache.elided(u"Rust Fans"_s, font, 40);
    QFont bold = font;
    bold.setBold(true);
    cache.elided(u"Rust Fans"_s, bold, 100);
    QCOMPARE(cache.size(), 3);
    for (int i = 0; i < FeedTextCache::MaxEntries + 10; ++i)
        cache.elided(QString::number(i), font, 100);
    QVERIFY(cache.size() <= 2 * FeedTextCache::MaxEntries);
    QCOMPARE(cache.elided(u"12"_s, font, 100).text(), u"12"_s);
    // A text in use across generation turnovers stays right, and the cache stays bounded.
    for (int i = 0; i < 3 * FeedTextCache::MaxEntries; ++i) {
        QCOMPARE(cache.elided(u"Rust Fans"_s, font, 100).text(), u"Rust Fans"_s);
        cache.elided(u"n"_s + QString::number(i), font, 100);
        QVERIFY(cache.size() <= 2 * FeedTextCache::MaxEntries);
    }
}

QTEST_MAIN(tst_FeedTextCache)
#include "tst_feedtextcache.moc"
