#include "core/gateway/closecodes.h"

#include "core/gateway/intents.h"

#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Action = CloseCodes::Action;

class tst_CloseCodes : public QObject
{
    Q_OBJECT

private slots:
    void everyCodeHasItsClass_data();
    void everyCodeHasItsClass();
    void fatalCodesExplainTheFix_data();
    void fatalCodesExplainTheFix();
    void disallowedIntentsNamesTheToggle();
    void actionNamesReadBack();
};

void tst_CloseCodes::everyCodeHasItsClass_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<Action>("action");
    QTest::newRow("4000 unknown error") << 4000 << Action::Resume;
    QTest::newRow("4001 unknown opcode") << 4001 << Action::Resume;
    QTest::newRow("4002 decode error") << 4002 << Action::Resume;
    QTest::newRow("4003 not authenticated") << 4003 << Action::Identify;
    QTest::newRow("4004 authentication failed") << 4004 << Action::Fatal;
    QTest::newRow("4005 already authenticated") << 4005 << Action::Identify;
    QTest::newRow("4006 (voice only, unknown here)") << 4006 << Action::Resume;
    QTest::newRow("4007 invalid seq") << 4007 << Action::Identify;
    QTest::newRow("4008 rate limited") << 4008 << Action::Resume;
    QTest::newRow("4009 session timed out") << 4009 << Action::Identify;
    QTest::newRow("4010 invalid shard") << 4010 << Action::Fatal;
    QTest::newRow("4011 sharding required") << 4011 << Action::Fatal;
    QTest::newRow("4012 invalid API version") << 4012 << Action::Fatal;
    QTest::newRow("4013 invalid intents") << 4013 << Action::Fatal;
    QTest::newRow("4014 disallowed intents") << 4014 << Action::Fatal;
    QTest::newRow("1000 from the server") << 1000 << Action::Resume;
    QTest::newRow("1001 from the server") << 1001 << Action::Resume;
    QTest::newRow("1006 dropped") << 1006 << Action::Resume;
    QTest::newRow("unknown 4999") << 4999 << Action::Resume;
}

void tst_CloseCodes::everyCodeHasItsClass()
{
    QFETCH(int, code);
    QFETCH(Action, action);
    QCOMPARE(CloseCodes::actionFor(code), action);
    QVERIFY(!CloseCodes::meaning(code).isEmpty());
    QVERIFY(!CloseCodes::explanation(code).isEmpty());
}

void tst_CloseCodes::fatalCodesExplainTheFix_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("mustMention");
    QTest::newRow("4004") << 4004 << u"token"_s;
    QTest::newRow("4010") << 4010 << u"shard"_s;
    QTest::newRow("4011") << 4011 << u"shards"_s;
    QTest::newRow("4012") << 4012 << u"version"_s;
    QTest::newRow("4013") << 4013 << u"intents"_s;
}

void tst_CloseCodes::fatalCodesExplainTheFix()
{
    QFETCH(int, code);
    QFETCH(QString, mustMention);
    QVERIFY2(CloseCodes::explanation(code).contains(mustMention, Qt::CaseInsensitive),
             qPrintable(CloseCodes::explanation(code)));
}

void tst_CloseCodes::disallowedIntentsNamesTheToggle()
{
    const QString text = CloseCodes::explanation(4014, Intents::Guilds | Intents::GuildMessages
                                                               | Intents::MessageContent);
    QVERIFY2(text.contains(u"Message Content Intent"_s), qPrintable(text));
    QVERIFY(text.contains(u"Developer Portal"_s));
    QVERIFY(!text.contains(u"Presence Intent"_s));
    const QString both
            = CloseCodes::explanation(4014, Intents::GuildMembers | Intents::GuildPresences);
    QVERIFY(both.contains(u"Server Members Intent"_s) && both.contains(u"Presence Intent"_s));
}

void tst_CloseCodes::actionNamesReadBack()
{
    for (Action action : {Action::Resume, Action::Identify, Action::Fatal})
        QCOMPARE(CloseCodes::actionFromName(CloseCodes::actionName(action)), action);
    QCOMPARE(CloseCodes::actionFromName(u"reboot"), std::nullopt);
}

QTEST_GUILESS_MAIN(tst_CloseCodes)
#include "tst_closecodes.moc"
