#include "app/eventlineformatter.h"
#include "core/store/messageparser.h"

#include <QJsonArray>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::App;
using namespace Qt::StringLiterals;

class tst_EventLineFormatter : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void escapesEverythingThatBreaksALine_data();
    void escapesEverythingThatBreaksALine();
    void messageLineHasTimeSequencePlaceAndAuthor();
    void otherEventsAreSummarised_data();
    void otherEventsAreSummarised();

private:
    Directory m_directory;
};

void tst_EventLineFormatter::initTestCase()
{
    m_directory.handleDispatch(
            u"GUILD_CREATE"_s,
            QJsonObject{{u"id"_s, u"100"_s},
                        {u"name"_s, u"Rust"_s},
                        {u"channels"_s, QJsonArray{QJsonObject{{u"id"_s, u"200"_s},
                                                               {u"name"_s, u"general"_s},
                                                               {u"type"_s, 0}}}}});
}

void tst_EventLineFormatter::escapesEverythingThatBreaksALine_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"hello, 世界 🦀"_s << u"hello, 世界 🦀"_s;
    QTest::newRow("newlines") << u"a\nb\r\nc"_s << u"a\\nb\\r\\nc"_s;
    QTest::newRow("tab") << u"a\tb"_s << u"a\\tb"_s;
    QTest::newRow("backslash") << u"C:\\new"_s << u"C:\\\\new"_s;
    QTest::newRow("escape sequence") << u"\x1b[2Jboom"_s << u"\\u001b[2Jboom"_s;
    QTest::newRow("nul and DEL") << QString(u"a\0b\x7f"_s) << u"a\\u0000b\\u007f"_s;
    QTest::newRow("C1 control") << u"a\u0085b"_s << u"a\\u0085b"_s;
    QTest::newRow("line separator") << u"a\u2028b\u2029"_s << u"a\\u2028b\\u2029"_s;
    QTest::newRow("bidi override") << u"abc\u202eexe.txt"_s << u"abc\\u202eexe.txt"_s;
}

void tst_EventLineFormatter::escapesEverythingThatBreaksALine()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(EventLineFormatter::escaped(text), expected);
}

void tst_EventLineFormatter::messageLineHasTimeSequencePlaceAndAuthor()
{
    MessageParser parser;
    const Message message = parser.parse(QJsonObject{
            {u"id"_s, u"300"_s},
            {u"channel_id"_s, u"200"_s},
            {u"guild_id"_s, u"100"_s},
            {u"content"_s, u"two\nlines"_s},
            {u"author"_s,
             QJsonObject{{u"id"_s, u"9"_s}, {u"username"_s, u"bob"_s}, {u"bot"_s, true}}},
            {u"attachments"_s,
             QJsonArray{QJsonObject{{u"id"_s, u"1"_s}, {u"filename"_s, u"a.png"_s}}}},
    });
    const EventLineFormatter lines(&m_directory);
    QCOMPARE(lines.messageLine(1795000000123, -1, 1234, message),
             u"2026-11-18T11:06:40.123Z #1234 MESSAGE_CREATE Rust/#general bob [bot]: "
             "two\\nlines [1 attachment]"_s);
    // Several shards in one run: the sequence says which shard it counts.
    QVERIFY(lines.messageLine(1795000000123, 2, 1234, message)
                    .startsWith(
                            u"2026-11-18T11:06:40.123Z #2:1234 MESSAGE_CREATE Rust/#general"_s));
}

void tst_EventLineFormatter::otherEventsAreSummarised_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QJsonObject>("data");
    QTest::addColumn<QString>("expected");
    QTest::newRow("update") << u"MESSAGE_UPDATE"_s
                            << QJsonObject{{u"id"_s, u"5"_s},
                                           {u"channel_id"_s, u"200"_s},
                                           {u"guild_id"_s, u"100"_s},
                                           {u"content"_s, u"fixed\ttypo"_s}}
                            << u"MESSAGE_UPDATE Rust/#general id=5: fixed\\ttypo"_s;
    QTest::newRow("ready") << u"READY"_s
                           << QJsonObject{{u"session_id"_s, u"0123456789abcdef"_s},
                                          {u"user"_s, QJsonObject{{u"username"_s, u"bot\nname"_s}}},
                                          {u"guilds"_s, QJsonArray{QJsonObject(), QJsonObject()}}}
                           << u"READY session=01234567 user=bot\\nname guilds=2"_s;
    QTest::newRow("guild") << u"GUILD_CREATE"_s
                           << QJsonObject{{u"id"_s, u"7"_s}, {u"name"_s, u"\x1b]0;pwned\x07"_s}}
                           << u"GUILD_CREATE id=7 name=\\u001b]0;pwned\\u0007"_s;
    QTest::newRow("bulk") << u"MESSAGE_DELETE_BULK"_s
                          << QJsonObject{{u"ids"_s, QJsonArray{u"1"_s, u"2"_s, u"3"_s}},
                                         {u"channel_id"_s, u"200"_s},
                                         {u"guild_id"_s, u"100"_s}}
                          << u"MESSAGE_DELETE_BULK Rust/#general messages=3"_s;
}

void tst_EventLineFormatter::otherEventsAreSummarised()
{
    QFETCH(QString, type);
    QFETCH(QJsonObject, data);
    QFETCH(QString, expected);
    const EventLineFormatter lines(&m_directory);
    const QString line = lines.eventLine(1795000000123, -1, 42, type, data);
    QCOMPARE(line, u"2026-11-18T11:06:40.123Z #42 "_s + expected);
    QVERIFY(!line.contains(u'\n'));
}

QTEST_GUILESS_MAIN(tst_EventLineFormatter)
#include "tst_eventlineformatter.moc"
