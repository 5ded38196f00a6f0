#include "ui/savedfilters.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

/// Saved filters: most recently used first, each once, at most Cap, kept in QSettings.
class tst_SavedFilters : public QObject
{
    Q_OBJECT

private slots:
    void mostRecentlyUsedFirst();
    void capDropsTheLeastRecentlyUsed();
    void emptyAndUnknownAreIgnored();
    void persistsAndLoadsCleanly();
};

void tst_SavedFilters::mostRecentlyUsedFirst()
{
    SavedFilters saved;
    QSignalSpy changed(&saved, &SavedFilters::changed);
    saved.save(u"from:alice"_s);
    saved.save(u"is:bot"_s);
    saved.save(u"  has:link  "_s); // trimmed
    QCOMPARE(saved.filters(), (QStringList{u"has:link"_s, u"is:bot"_s, u"from:alice"_s}));
    QVERIFY(saved.markUsed(u"from:alice"_s));
    QCOMPARE(saved.filters(), (QStringList{u"from:alice"_s, u"has:link"_s, u"is:bot"_s}));
    saved.save(u"is:bot"_s); // saving again moves, never duplicates
    QCOMPARE(saved.filters(), (QStringList{u"is:bot"_s, u"from:alice"_s, u"has:link"_s}));
    const int changes = int(changed.size());
    QVERIFY(saved.markUsed(u"is:bot"_s)); // already first: no change to tell
    QCOMPARE(changed.size(), changes);
    saved.remove(u"from:alice"_s);
    QCOMPARE(saved.filters(), (QStringList{u"is:bot"_s, u"has:link"_s}));
    saved.clear();
    QVERIFY(saved.filters().isEmpty());
}

void tst_SavedFilters::capDropsTheLeastRecentlyUsed()
{
    SavedFilters saved;
    for (int i = 0; i < SavedFilters::Cap; ++i)
        saved.save(u"q%1"_s.arg(i));
    QVERIFY(saved.markUsed(u"q0"_s)); // the oldest, used again: it stays
    saved.save(u"new"_s);
    QCOMPARE(saved.filters().size(), SavedFilters::Cap);
    QCOMPARE(saved.filters().first(), u"new"_s);
    QCOMPARE(saved.filters().at(1), u"q0"_s);
    QVERIFY(!saved.contains(u"q1"_s)); // the least recently used went
    QVERIFY(saved.contains(u"q2"_s));
}

void tst_SavedFilters::emptyAndUnknownAreIgnored()
{
    SavedFilters saved;
    QSignalSpy changed(&saved, &SavedFilters::changed);
    saved.save(u"   "_s);
    QVERIFY(!saved.markUsed(u"never saved"_s));
    saved.remove(u"never saved"_s);
    QVERIFY(saved.filters().isEmpty());
    QCOMPARE(changed.size(), 0);
}

void tst_SavedFilters::persistsAndLoadsCleanly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    SavedFilters saved;
    saved.save(u"a"_s);
    saved.save(u"b"_s);
    saved.store(settings);
    SavedFilters loaded;
    loaded.load(settings);
    QCOMPARE(loaded.filters(), (QStringList{u"b"_s, u"a"_s}));

    // A list edited by hand: blanks and repeats dropped, the cap kept.
    QStringList hostile{u""_s, u"x"_s, u" x "_s, u"y"_s};
    for (int i = 0; i < 2 * SavedFilters::Cap; ++i)
        hostile << u"z%1"_s.arg(i);
    settings.setValue(u"filters/saved"_s, hostile);
    loaded.load(settings);
    QCOMPARE(loaded.filters().size(), SavedFilters::Cap);
    QCOMPARE(loaded.filters().mid(0, 3), (QStringList{u"x"_s, u"y"_s, u"z0"_s}));
}

QTEST_GUILESS_MAIN(tst_SavedFilters)
#include "tst_savedfilters.moc"
