#include "core/store/utf8regex.h"

#include <QTest>
#include <QThread>

#include <memory>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_Utf8Regex : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithQRegularExpression_data();
    void agreesWithQRegularExpression();
    void invalidPatternIsInvalid();
    void copiesShareTheCodeAcrossThreads();
};

using Options = QRegularExpression::PatternOptions;

void tst_Utf8Regex::agreesWithQRegularExpression_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<Options>("options");
    const Options none;
    const Options caseless(QRegularExpression::CaseInsensitiveOption);
    QTest::newRow("digits at the end") << u"\\d{2}$"_s << none;
    QTest::newRow("caseless word") << u"error\\d+"_s << caseless;
    QTest::newRow("caseless non-ASCII") << u"ÉTÉ"_s << caseless;
    QTest::newRow("greek") << u"αθηνά"_s << caseless;
    QTest::newRow("word boundary") << u"\\bok\\b"_s << none;
    QTest::newRow("dot all") << u"a.b"_s << Options(QRegularExpression::DotMatchesEverythingOption);
    QTest::newRow("multiline anchor")
            << u"^second"_s << Options(QRegularExpression::MultilineOption);
    QTest::newRow("unicode properties \\w")
            << u"^\\w+$"_s << Options(QRegularExpression::UseUnicodePropertiesOption);
    QTest::newRow("ascii \\w") << u"^\\w+$"_s << none;
    QTest::newRow("extended") << u"a b # comment"_s
                              << Options(QRegularExpression::ExtendedPatternSyntaxOption);
    QTest::newRow("back reference") << u"(\\w)\\1"_s << none;
    QTest::newRow("emoji") << u"🎉+"_s << none;
}

void tst_Utf8Regex::agreesWithQRegularExpression()
{
    QFETCH(QString, pattern);
    QFETCH(Options, options);
    const QRegularExpression qt(pattern, options);
    QVERIFY(qt.isValid());
    const Utf8Regex utf8(qt);
    QVERIFY(utf8.isValid());
    const QStringList subjects = {u""_s,
                                  u"build 42"_s,
                                  u"ERROR17 in deploy"_s,
                                  u"l'été est là, ÉTÉ"_s,
                                  u"Αθηνά"_s,
                                  u"is it ok?"_s,
                                  u"a\nb"_s,
                                  u"first\nsecond"_s,
                                  u"naïve"_s,
                                  u"plain"_s,
                                  u"ab"_s,
                                  u"aabb"_s,
                                  u"party 🎉🎉"_s,
                                  u"日本語 12"_s};
    int matched = 0;
    for (const QString &subject : subjects) {
        const bool expected = qt.match(subject).hasMatch();
        matched += expected ? 1 : 0;
        QVERIFY2(utf8.matches(subject.toUtf8()) == expected, qPrintable(subject));
    }
    QVERIFY(matched > 0); // every pattern matches something, so a matcher saying no always fails
}

void tst_Utf8Regex::invalidPatternIsInvalid()
{
    const Utf8Regex broken(QRegularExpression(u"(unclosed"_s));
    QVERIFY(!broken.isValid());
    QVERIFY(!broken.matches("(unclosed"));
    QVERIFY(!Utf8Regex().isValid());
}

void tst_Utf8Regex::copiesShareTheCodeAcrossThreads()
{
    const Utf8Regex regex(QRegularExpression(u"\\d{3}"_s));
    const Utf8Regex copy = regex;
    QVERIFY(copy.matches("abc 123"));
    bool inThread = false;
    std::unique_ptr<QThread> thread(
            QThread::create([&] { inThread = copy.matches("x 999 y") && !copy.matches("x 99"); }));
    thread->start();
    QVERIFY(thread->wait(5000));
    QVERIFY(inThread);
}

QTEST_GUILESS_MAIN(tst_Utf8Regex)
#include "tst_utf8regex.moc"
