#include "core/store/directory.h"
#include "core/store/message.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

const QByteArray guildCreate = R"({
  "id": "100", "name": "Rust Fans", "member_count": 2, "large": false,
  "channels": [
    {"id": "110", "type": 4, "name": "Text Channels"},
    {"id": "111", "type": 0, "name": "general", "parent_id": "110", "position": 0},
    {"id": "112", "type": 0, "name": "mods", "parent_id": "110"}
  ],
  "roles": [{"id": "100", "name": "@everyone"}, {"id": "120", "name": "Moderators"}],
  "threads": [{"id": "113", "type": 11, "name": "help thread", "parent_id": "111"}],
  "members": [{"user": {"id": "900", "username": "alice", "global_name": "Alice"}, "roles": []}]
})";

} // namespace

class tst_Directory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void guildCreateChannelsWithoutGuildId();
    void events_data();
    void events();
    void readyAndDms();
    void messageAuthorsAndDmChannels();
    void lookupsByName();
    void oddPayloadsDoNotCrash();
    void rolesTypesAndPositions();
};

void tst_Directory::guildCreateChannelsWithoutGuildId()
{
    Directory directory;
    QSignalSpy changed(&directory, &Directory::changed);
    QVERIFY(directory.handleDispatch(u"GUILD_CREATE"_s, json(guildCreate)));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(directory.guildName(100), u"Rust Fans"_s);
    for (quint64 channel : {110ULL, 111ULL, 112ULL, 113ULL})
        QCOMPARE(directory.channelGuild(channel), 100ULL);
    QCOMPARE(directory.channelName(111), u"general"_s);
    QCOMPARE(directory.channelLabel(111), u"#general"_s);
    QCOMPARE(directory.channelLabel(999), u"999"_s);
    QVERIFY(directory.isThread(113));
    QCOMPARE(directory.channelParent(113), 111ULL);
    QCOMPARE(directory.userName(900), u"Alice"_s);
    // The same GUILD_CREATE again (reconnect) changes nothing and stays silent.
    directory.handleDispatch(u"GUILD_CREATE"_s, json(guildCreate));
    QCOMPARE(changed.size(), 1);
}

void tst_Directory::events_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("emits");
    QTest::addColumn<QString>("guild100");
    QTest::addColumn<QString>("channel111");
    QTest::addColumn<quint64>("guildOf114");
    QTest::newRow("guild rename") << u"GUILD_UPDATE"_s
                                  << QByteArray(R"({"id":"100","name":"Crabs"})") << true
                                  << u"Crabs"_s << u"general"_s << 0ULL;
    QTest::newRow("guild update same name")
            << u"GUILD_UPDATE"_s << QByteArray(R"({"id":"100","name":"Rust Fans"})") << false
            << u"Rust Fans"_s << u"general"_s << 0ULL;
    QTest::newRow("guild outage keeps name")
            << u"GUILD_DELETE"_s << QByteArray(R"({"id":"100","unavailable":true})") << true
            << u"Rust Fans"_s << u"general"_s << 0ULL;
    QTest::newRow("channel rename")
            << u"CHANNEL_UPDATE"_s
            << QByteArray(R"({"id":"111","type":0,"guild_id":"100","name":"lobby"})") << true
            << u"Rust Fans"_s << u"lobby"_s << 0ULL;
    QTest::newRow("channel create")
            << u"CHANNEL_CREATE"_s
            << QByteArray(R"({"id":"114","type":0,"guild_id":"100","name":"new"})") << true
            << u"Rust Fans"_s << u"general"_s << 100ULL;
    QTest::newRow("channel delete keeps name")
            << u"CHANNEL_DELETE"_s << QByteArray(R"({"id":"111","type":0,"guild_id":"100"})")
            << true << u"Rust Fans"_s << u"general"_s << 0ULL;
    QTest::newRow("thread create")
            << u"THREAD_CREATE"_s
            << QByteArray(R"({"id":"114","type":11,"guild_id":"100","parent_id":"111",)"
                          R"("name":"t","newly_created":true})")
            << true << u"Rust Fans"_s << u"general"_s << 100ULL;
    QTest::newRow("thread list sync without guild ids")
            << u"THREAD_LIST_SYNC"_s
            << QByteArray(R"({"guild_id":"100","threads":[{"id":"114","type":11,"name":"s"}],)"
                          R"("members":[]})")
            << true << u"Rust Fans"_s << u"general"_s << 100ULL;
    QTest::newRow("unrelated event") << u"TYPING_START"_s << QByteArray(R"({"channel_id":"111"})")
                                     << false << u"Rust Fans"_s << u"general"_s << 0ULL;
}

void tst_Directory::events()
{
    QFETCH(QString, type);
    QFETCH(QByteArray, data);
    QFETCH(bool, emits);
    QFETCH(QString, guild100);
    QFETCH(QString, channel111);
    QFETCH(quint64, guildOf114);
    Directory directory;
    directory.handleDispatch(u"GUILD_CREATE"_s, json(guildCreate));
    QSignalSpy changed(&directory, &Directory::changed);
    const quint64 revision = directory.revision();
    directory.handleDispatch(type, json(data));
    QCOMPARE(changed.size(), emits ? 1 : 0);
    QCOMPARE(directory.revision() > revision, emits);
    QCOMPARE(directory.guildName(100), guild100);
    QCOMPARE(directory.channelName(111), channel111);
    QCOMPARE(directory.channelGuild(114), guildOf114);
}

void tst_Directory::readyAndDms()
{
    Directory directory;
    directory.handleDispatch(
            u"READY"_s,
            json(R"({"v":10,"user":{"id":"1","username":"bot","bot":true},"session_id":"s",)"
                 R"("guilds":[{"id":"100","unavailable":true}],)"
                 R"("private_channels":[{"id":"50","type":1,"recipients":[{"id":"2","username":"dora"}]}]})"));
    QCOMPARE(directory.selfId(), 1ULL);
    QCOMPARE(directory.userName(1), u"bot"_s);
    QVERIFY(directory.guild(100));
    QVERIFY(directory.guild(100)->unavailable);
    QCOMPARE(directory.channelName(50), u"DM with dora"_s);
    QCOMPARE(directory.channelLabel(50), u"DM with dora"_s);
    QCOMPARE(directory.channelGuild(50), 0ULL);
    directory.handleDispatch(u"GUILD_CREATE"_s, json(guildCreate));
    QVERIFY(!directory.guild(100)->unavailable);
    QCOMPARE(directory.guildName(100), u"Rust Fans"_s);
    directory.handleDispatch(u"GUILD_DELETE"_s, json(R"({"id":"100"})"));
    QVERIFY(directory.guild(100)->left);
    QCOMPARE(directory.guildName(100), u"Rust Fans"_s);
    directory.handleDispatch(u"USER_UPDATE"_s, json(R"({"id":"1","username":"bot2"})"));
    QCOMPARE(directory.userName(1), u"bot2"_s);
}

void tst_Directory::messageAuthorsAndDmChannels()
{
    Directory directory;
    directory.handleDispatch(u"READY"_s, json(R"({"user":{"id":"1","username":"me"}})"));
    QSignalSpy changed(&directory, &Directory::changed);

    Message own;
    own.id = 10;
    own.channelId = 60;
    own.authorId = 1;
    own.authorName = u"me"_s;
    directory.noteMessage(own);
    QCOMPARE(directory.channelName(60), u"DM"_s);

    Message reply = own;
    reply.id = 11;
    reply.authorId = 3;
    reply.authorName = u"erin"_s;
    directory.noteMessage(reply);
    QCOMPARE(directory.channelName(60), u"DM with erin"_s);
    QCOMPARE(directory.userName(3), u"erin"_s);
    const qsizetype afterDm = changed.size();
    QVERIFY(afterDm >= 1);

    // A guild message from a new author: learnt silently.
    Message guildMessage = reply;
    guildMessage.id = 12;
    guildMessage.channelId = 111;
    guildMessage.guildId = 100;
    guildMessage.authorId = 4;
    guildMessage.authorName = u"frank"_s;
    directory.noteMessage(guildMessage);
    QCOMPARE(changed.size(), afterDm);
    QCOMPARE(directory.channelGuild(111), 100ULL);
    QCOMPARE(directory.userName(4), u"frank"_s);

    // The same author renamed: emits.
    guildMessage.authorGlobalName = u"Frank F"_s;
    directory.noteMessage(guildMessage);
    QCOMPARE(changed.size(), afterDm + 1);
    QCOMPARE(directory.userName(4), u"Frank F"_s);
}

void tst_Directory::lookupsByName()
{
    Directory directory;
    directory.handleDispatch(u"GUILD_CREATE"_s, json(guildCreate));
    QCOMPARE(directory.channelsNamed(u"#GENERAL"), QList<quint64>{111});
    QCOMPARE(directory.channelsNamed(u"general"), QList<quint64>{111});
    QCOMPARE(directory.channelChildren(111), QList<quint64>{113});
    QCOMPARE(directory.guildsNamed(u"rust fans"), QList<quint64>{100});
    QCOMPARE(directory.usersNamed(u"@alice"), QList<quint64>{900});
    QCOMPARE(directory.usersNamed(u"ALICE"), QList<quint64>{900});
    QVERIFY(directory.usersNamed(u"nobody").isEmpty());
}

void tst_Directory::oddPayloadsDoNotCrash()
{
    Directory directory;
    const QList<QByteArray> payloads
            = {"{}", R"({"id":"x"})", R"({"id":100,"channels":"no"})",
               R"({"id":"100","channels":[1,"2",null,{"id":null}],"threads":{},"members":[{}]})",
               R"({"id":"100","name":5})"};
    for (const char *type :
         {"READY", "GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE", "CHANNEL_CREATE",
          "CHANNEL_DELETE", "THREAD_LIST_SYNC", "USER_UPDATE"}) {
        for (const QByteArray &payload : payloads)
            directory.handleDispatch(QString::fromLatin1(type), json(payload));
    }
    QVERIFY(directory.channelCount() <= 1);
    QCOMPARE(directory.guildName(100), QString());
}

void tst_Directory::rolesTypesAndPositions()
{
    Directory directory;
    QSignalSpy changed(&directory, &Directory::changed);
    directory.handleDispatch(u"GUILD_CREATE"_s, json(guildCreate));
    QCOMPARE(directory.roleName(120), u"Moderators"_s);
    QCOMPARE(directory.role(120)->guildId, 100ULL);
    QCOMPARE(directory.roleName(121), QString());
    QCOMPARE(directory.channel(110)->type, int(Directory::GuildCategory));
    QCOMPARE(directory.channel(111)->position, 0);
    QVERIFY(directory.isThread(113));

    directory.handleDispatch(u"GUILD_ROLE_UPDATE"_s,
                             json(R"({"guild_id":"100","role":{"id":"120","name":"Mods"}})"));
    QCOMPARE(directory.roleName(120), u"Mods"_s);
    directory.handleDispatch(u"GUILD_ROLE_CREATE"_s,
                             json(R"({"guild_id":"100","role":{"id":"121","name":"New"}})"));
    QCOMPARE(directory.roleName(121), u"New"_s);
    directory.handleDispatch(u"GUILD_ROLE_DELETE"_s, json(R"({"guild_id":"100","role_id":"121"})"));
    QVERIFY(directory.role(121)->deleted);
    QCOMPARE(directory.roleName(121), u"New"_s); // deletes keep names, as for channels
    QCOMPARE(changed.size(), 4);

    const quint64 revision = directory.revision();
    directory.handleDispatch(
            u"CHANNEL_UPDATE"_s,
            json(R"({"id":"112","type":0,"guild_id":"100","name":"mods","position":7})"));
    QCOMPARE(directory.channel(112)->position, 7);
    QVERIFY(directory.revision() > revision);
    // Hostile role events change nothing.
    for (const char *payload : {"{}", R"({"role":5})", R"({"role":{"id":"x","name":"y"}})",
                                R"({"role":{"id":"5"}})", R"({"role_id":"999"})"}) {
        directory.handleDispatch(u"GUILD_ROLE_CREATE"_s, json(payload));
        directory.handleDispatch(u"GUILD_ROLE_DELETE"_s, json(payload));
    }
    QCOMPARE(directory.role(5), nullptr);
}

QTEST_GUILESS_MAIN(tst_Directory)
#include "tst_directory.moc"
