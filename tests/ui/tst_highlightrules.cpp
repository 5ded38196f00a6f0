#include "core/store/message.h"
#include "ui/highlightrules.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

class tst_HighlightRules : public QObject
{
    Q_OBJECT

private slots:
    void firstMatchingRuleWins();
    void invalidAndEmptyRulesNeverMatch();
    void persists();

private:
    static Message message(const QString &content, bool bot = false)
    {
        Message m;
        m.id = 1;
        m.content = content;
        m.searchKey = content.toCaseFolded();
        m.authorName = u"alice"_s;
        if (bot)
            m.flags |= Message::AuthorIsBot;
        return m;
    }
};

void tst_HighlightRules::firstMatchingRuleWins()
{
    HighlightRules rules;
    rules.setRules(
            {{u"deploy"_s, QColor(Qt::red), true, 0}, {u"is:bot"_s, QColor(Qt::blue), false, 0}});
    QSignalSpy highlighted(&rules, &HighlightRules::highlighted);
    QCOMPARE(rules.colorFor(message(u"Deploy done"_s, true)), QColor(Qt::red));
    QCOMPARE(rules.colorFor(message(u"ping"_s, true)), QColor(Qt::blue));
    QVERIFY(!rules.colorFor(message(u"ping"_s)).isValid());
    QCOMPARE(rules.count(message(u"deploy"_s)), 0);
    QCOMPARE(rules.count(message(u"hello"_s)), -1);
    QCOMPARE(rules.count(message(u"beep"_s, true)), 1);
    QCOMPARE(highlighted.count(), 2);
    QCOMPARE(rules.totalHits(), quint64(2));
    QCOMPARE(rules.rules().at(0).hits, quint64(1));
}

void tst_HighlightRules::invalidAndEmptyRulesNeverMatch()
{
    HighlightRules rules;
    rules.setRules(
            {{u"(unclosed"_s, QColor(Qt::red), true, 0}, {u"   "_s, QColor(Qt::green), true, 0}});
    QVERIFY(!rules.errorFor(0).isEmpty());
    QVERIFY(!rules.errorFor(1).isEmpty());
    QCOMPARE(rules.match(message(u"unclosed"_s)), -1);
    QCOMPARE(rules.match(message(QString())), -1);
}

void tst_HighlightRules::persists()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    HighlightRules rules;
    rules.setRules({{u"has:mention"_s, QColor(0xf2, 0xcc, 0x60), false, 0}});
    rules.save(settings);
    HighlightRules loaded;
    loaded.load(settings);
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(loaded.rules().at(0).query, u"has:mention"_s);
    QCOMPARE(loaded.rules().at(0).color, QColor(0xf2, 0xcc, 0x60));
    QCOMPARE(loaded.rules().at(0).notify, false);
}

QTEST_MAIN(tst_HighlightRules)
#include "tst_highlightrules.moc"
