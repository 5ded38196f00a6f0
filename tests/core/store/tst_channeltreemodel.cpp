#include "core/store/channeltreemodel.h"
#include "core/store/directory.h"
#include "core/store/messagefilter.h"
#include "core/store/messagestore.h"
#include "storetestdata.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Kind = ChannelTreeModel::NodeKind;

namespace {

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

// Guild 100 "Rust Fans": #general (111, top level, position 1), #news (115, position 0),
// category 110 "Talk" with #mods (112) and #random (116, before #mods by position), a thread
// 113 under #general. Guild 200 "alpha beta" with #lobby (211). A DM 50 with dora.
const QByteArray rustFans = R"({
  "id": "100", "name": "Rust Fans",
  "channels": [
    {"id": "110", "type": 4, "name": "Talk", "position": 2},
    {"id": "111", "type": 0, "name": "general", "position": 1},
    {"id": "115", "type": 5, "name": "news", "position": 0},
    {"id": "112", "type": 0, "name": "mods", "parent_id": "110", "position": 5},
    {"id": "116", "type": 0, "name": "random", "parent_id": "110", "position": 3}
  ],
  "threads": [{"id": "113", "type": 11, "name": "help thread", "parent_id": "111"}]
})";
const QByteArray alpha
        = R"({"id":"200","name":"alpha beta","channels":[{"id":"211","type":0,"name":"lobby"}]})";
const QByteArray ready = R"({"user":{"id":"1","username":"bot","bot":true},"guilds":[],
  "private_channels":[{"id":"50","type":1,"recipients":[{"id":"7","username":"dora"}]}]})";

} // namespace

class tst_ChannelTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void treeFollowsTheDirectory();
    void namesOnlyChangeKeepsRows();
    void rebuildsInARowAreSpaced();
    void countsNewMessagesAndMentions();
    void activeChannelDoesNotCount();
    void filterTerms_data();
    void filterTerms();
    void withLocationTerm_data();
    void withLocationTerm();
    void initials_data();
    void initials();
    void hostileParentsStayBounded();

private:
    QStringList childNames(const QModelIndex &parent) const;
    void addMessage(quint64 id, quint64 channel, quint64 guild, QJsonArray mentions = {},
                    bool everyone = false);

    Directory *m_directory = nullptr;
    MessageStore *m_store = nullptr;
    ChannelTreeModel *m_model = nullptr;
};

void tst_ChannelTreeModel::init()
{
    m_directory = new Directory(this);
    m_store = new MessageStore(m_directory, this);
    m_model = new ChannelTreeModel(m_store, this);
    new QAbstractItemModelTester(m_model, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 m_model);
    m_directory->handleDispatch(u"READY"_s, json(ready));
    m_directory->handleDispatch(u"GUILD_CREATE"_s, json(rustFans));
    m_directory->handleDispatch(u"GUILD_CREATE"_s, json(alpha));
    m_model->rebuild();
}

void tst_ChannelTreeModel::cleanup()
{
    delete m_model;
    delete m_store;
    delete m_directory;
}

QStringList tst_ChannelTreeModel::childNames(const QModelIndex &parent) const
{
    QStringList names;
    for (int row = 0; row < m_model->rowCount(parent); ++row)
        names.append(m_model->index(row, 0, parent).data().toString());
    return names;
}

void tst_ChannelTreeModel::addMessage(quint64 id, quint64 channel, quint64 guild,
                                      QJsonArray mentions, bool everyone)
{
    QJsonObject m = StoreTestData::message(id, u"hi"_s, channel, guild);
    m.insert(u"mentions"_s, mentions);
    m.insert(u"mention_everyone"_s, everyone);
    m_store->addMessage(m);
}

void tst_ChannelTreeModel::treeFollowsTheDirectory()
{
    QCOMPARE(childNames({}), QStringList({u"All channels"_s, u"alpha beta"_s, u"Rust Fans"_s,
                                          u"Direct messages"_s}));
    const QModelIndex rust = m_model->indexOf(100, 0);
    QCOMPARE(rust.data(ChannelTreeModel::KindRole).toInt(), int(Kind::Guild));
    QCOMPARE(rust.data(ChannelTreeModel::InitialsRole).toString(), u"RF"_s);
    QCOMPARE(childNames(rust), QStringList({u"#news"_s, u"#general"_s, u"Talk"_s}));
    const QModelIndex talk = m_model->indexOf(100, 110);
    QCOMPARE(talk.data(ChannelTreeModel::KindRole).toInt(), int(Kind::Category));
    QCOMPARE(childNames(talk), QStringList({u"#random"_s, u"#mods"_s}));
    const QModelIndex general = m_model->indexOf(100, 111);
    QCOMPARE(childNames(general), QStringList({u"help thread"_s}));
    QCOMPARE(m_model->indexOf(100, 113).data(ChannelTreeModel::KindRole).toInt(),
             int(Kind::Thread));
    const QModelIndex dms = m_model->indexOf(0, ChannelTreeModel::AllDirectMessages);
    QCOMPARE(childNames(dms), QStringList({u"DM with dora"_s}));

    // A new thread and a new guild arrive through events; the tree follows after its delay.
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    m_model->setRebuildDelay(10);
    m_directory->handleDispatch(
            u"THREAD_CREATE"_s,
            json(R"({"id":"117","type":11,"guild_id":"100","parent_id":"112","name":"t2"})"));
    QTRY_COMPARE_WITH_TIMEOUT(reset.size(), 1, 10000);
    QCOMPARE(childNames(m_model->indexOf(100, 112)), QStringList({u"t2"_s}));
}

void tst_ChannelTreeModel::rebuildsInARowAreSpaced()
{
    constexpr int Delay = 100;
    m_model->setRebuildDelay(Delay);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    const auto createThreadUnder112 = [this](int id) {
        m_directory->handleDispatch(
                u"THREAD_CREATE"_s,
                json(QByteArray(R"({"id":")") + QByteArray::number(id)
                     + R"(","type":11,"guild_id":"100","parent_id":"112","name":"t)"
                     + QByteArray::number(id) + R"("})"));
        return m_model->msUntilRebuild();
    };
    // init() rebuilt just now: each change waits for the spacing, not just the delay.
    for (int thread : {117, 118}) {
        const int wait = createThreadUnder112(thread);
        QVERIFY2(wait > 2 * Delay, qPrintable(QString::number(wait)));
        const qsizetype before = reset.size();
        QTRY_COMPARE_WITH_TIMEOUT(reset.size(), before + 1, 10000);
    }
    QCOMPARE(childNames(m_model->indexOf(100, 112)), QStringList({u"t117"_s, u"t118"_s}));

    // Without a delay there is no spacing either.
    m_model->setRebuildDelay(0);
    m_model->rebuild();
    QCOMPARE(createThreadUnder112(119), 0);
}

void tst_ChannelTreeModel::namesOnlyChangeKeepsRows()
{
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    const QPersistentModelIndex general = m_model->indexOf(100, 111);
    m_directory->handleDispatch(u"CHANNEL_UPDATE"_s,
                                json(R"({"id":"111","type":0,"guild_id":"100","name":"lobby",)"
                                     R"("position":1})"));
    m_model->rebuild();
    QCOMPARE(reset.size(), 0);
    QVERIFY(general.isValid());
    QCOMPARE(general.data().toString(), u"#lobby"_s);
    QVERIFY(!changed.isEmpty());
}

void tst_ChannelTreeModel::countsNewMessagesAndMentions()
{
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    const QJsonArray mentionsSelf{StoreTestData::user(1, u"bot"_s, true)};
    const QJsonArray mentionsOther{StoreTestData::user(7, u"dora"_s)};
    addMessage(1, 111, 100);
    addMessage(2, 111, 100, mentionsSelf);
    addMessage(3, 112, 100, mentionsOther);
    addMessage(4, 112, 100, {}, true);
    addMessage(5, 50, 0);
    addMessage(6, 113, 100);
    // Nothing counts before the store's batch reaches the views.
    QCOMPARE(m_model->unreadCount(111), 0);
    QCOMPARE(changed.size(), 0);
    m_store->flush();

    const auto unread = [this](quint64 guild, quint64 channel) {
        return m_model->indexOf(guild, channel).data(ChannelTreeModel::UnreadRole).toInt();
    };
    const auto mentions = [this](quint64 guild, quint64 channel) {
        return m_model->indexOf(guild, channel).data(ChannelTreeModel::MentionsRole).toInt();
    };
    QCOMPARE(unread(100, 111), 3); // its thread's message is summed into it
    QCOMPARE(m_model->unreadCount(111), 2);
    QCOMPARE(mentions(100, 111), 1);
    QCOMPARE(unread(100, 112), 2);
    QCOMPARE(mentions(100, 112), 1); // @everyone; a mention of someone else does not count
    QCOMPARE(unread(100, 110), 2);
    QCOMPARE(unread(100, 0), 5);
    QCOMPARE(mentions(100, 0), 2);
    QCOMPARE(unread(0, ChannelTreeModel::AllDirectMessages), 1);
    QCOMPARE(unread(0, 50), 1);
    QCOMPARE(unread(200, 0), 0);
    QVERIFY(m_model->indexOf(100, 111).data(Qt::ToolTipRole).toString().contains(u"3 new"_s));
    // One signal per changed row and ancestor, not per event.
    QVERIFY(changed.size() <= 10);

    m_model->markViewed(100, 110);
    QCOMPARE(unread(100, 112), 0);
    QCOMPARE(unread(100, 0), 3);
    m_model->markViewed(100, 0);
    QCOMPARE(unread(100, 0), 0);
    QCOMPARE(unread(0, 50), 1);
    m_store->clear();
    QCOMPARE(unread(0, 50), 0);
}

void tst_ChannelTreeModel::activeChannelDoesNotCount()
{
    addMessage(1, 111, 100);
    m_store->flush();
    m_model->setActive(100, 111);
    QCOMPARE(m_model->unreadCount(111), 0);
    addMessage(2, 111, 100);
    addMessage(3, 112, 100);
    m_store->flush();
    QCOMPARE(m_model->unreadCount(111), 0);
    QCOMPARE(m_model->unreadCount(112), 1);
    m_model->setActive(0, 0); // all channels: everything counts again
    addMessage(4, 111, 100);
    m_store->flush();
    QCOMPARE(m_model->unreadCount(111), 1);
    m_model->setActive(0, ChannelTreeModel::AllDirectMessages);
    addMessage(5, 50, 0);
    m_store->flush();
    QCOMPARE(m_model->unreadCount(50), 0);
}

void tst_ChannelTreeModel::filterTerms_data()
{
    QTest::addColumn<quint64>("guild");
    QTest::addColumn<quint64>("channel");
    QTest::addColumn<QString>("term");
    QTest::addColumn<QList<quint64>>("matching"); // message channels the term accepts
    QTest::newRow("all") << 0ULL << 0ULL << QString() << QList<quint64>{111, 112, 50};
    QTest::newRow("guild") << 100ULL << 0ULL << u"guild:100"_s << QList<quint64>{111, 112};
    QTest::newRow("channel") << 100ULL << 111ULL << u"in:111"_s << QList<quint64>{111};
    QTest::newRow("category") << 100ULL << 110ULL << u"(in:116 OR in:112)"_s << QList<quint64>{112};
    QTest::newRow("dms") << 0ULL << ChannelTreeModel::AllDirectMessages << u"is:dm"_s
                         << QList<quint64>{50};
    QTest::newRow("dm channel") << 0ULL << 50ULL << u"in:50"_s << QList<quint64>{50};
}

void tst_ChannelTreeModel::filterTerms()
{
    QFETCH(quint64, guild);
    QFETCH(quint64, channel);
    QFETCH(QString, term);
    QFETCH(QList<quint64>, matching);
    QCOMPARE(m_model->filterTerm(guild, channel), term);
    // The term is valid filter language and selects exactly the row's messages.
    MessageFilter filter = MessageFilter::parse(term);
    QVERIFY2(filter.isValid(), qPrintable(filter.errorString()));
    filter.resolve(m_directory);
    for (quint64 c : {111ULL, 112ULL, 50ULL}) {
        Message m;
        m.id = 1;
        m.channelId = c;
        m.guildId = c == 50 ? 0 : 100;
        QCOMPARE(filter.matches(m), matching.contains(c));
    }
}

void tst_ChannelTreeModel::withLocationTerm_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("term");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QString() << u"in:1"_s << u"in:1"_s;
    QTest::newRow("append") << u"hello -is:bot"_s << u"guild:2"_s << u"hello -is:bot guild:2"_s;
    QTest::newRow("replace in") << u"a in:5 b"_s << u"guild:2"_s << u"a guild:2 b"_s;
    QTest::newRow("replace group") << u"(in:1 OR in:2) x"_s << u"is:dm"_s << u"is:dm x"_s;
    QTest::newRow("replace dm") << u"x is:dm"_s << u"in:3"_s << u"x in:3"_s;
    QTest::newRow("remove") << u"x guild:4 y"_s << QString() << u"x y"_s;
    QTest::newRow("names are the user's") << u"in:general"_s << u"in:3"_s << u"in:general in:3"_s;
}

void tst_ChannelTreeModel::withLocationTerm()
{
    QFETCH(QString, query);
    QFETCH(QString, term);
    QFETCH(QString, expected);
    QCOMPARE(ChannelTreeModel::withLocationTerm(query, term), expected);
}

void tst_ChannelTreeModel::initials_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("two words") << u"Rust Fans"_s << u"RF"_s;
    QTest::newRow("one word") << u"gatescope"_s << u"G"_s;
    QTest::newRow("three words") << u"the rust book"_s << u"TR"_s;
    QTest::newRow("punctuation") << u"  [dev] -- ops"_s << u"DO"_s;
    QTest::newRow("empty") << QString() << u"?"_s;
    QTest::newRow("symbols") << u"!!! ???"_s << u"?"_s;
    QTest::newRow("non-BMP letter") << u"\U0001D4D0bc x"_s << u"\U0001D4D0X"_s;
}

void tst_ChannelTreeModel::initials()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(ChannelTreeModel::initials(name), expected);
}

void tst_ChannelTreeModel::hostileParentsStayBounded()
{
    // A chain of 20,000 channels each the parent of the next, a channel its own parent, and a
    // cycle: the tree is built without recursing without end, and stays a valid model.
    QByteArray channels = R"({"id":"300","name":"chain","channels":[)";
    for (int i = 0; i < 20000; ++i) {
        channels += QByteArray(i ? "," : "") + R"({"id":")" + QByteArray::number(1000 + i)
                    + R"(","type":0,"name":"c","parent_id":")"
                    + QByteArray::number(i ? 1000 + i - 1 : 0) + R"("})";
    }
    channels += R"(,{"id":"5","type":0,"name":"self","parent_id":"5"})";
    channels += R"(,{"id":"6","type":0,"name":"a","parent_id":"7"})";
    channels += R"(,{"id":"7","type":0,"name":"b","parent_id":"6"}]})";
    m_directory->handleDispatch(u"GUILD_CREATE"_s, json(channels));
    m_model->rebuild();
    const QModelIndex chain = m_model->indexOf(300, 0);
    QVERIFY(chain.isValid());
    QCOMPARE(m_model->rowCount(chain), 1);
    QVERIFY(!m_model->indexOf(300, 5).isValid());
}

QTEST_GUILESS_MAIN(tst_ChannelTreeModel)
#include "tst_channeltreemodel.moc"
