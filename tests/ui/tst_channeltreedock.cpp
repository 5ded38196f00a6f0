#include "core/store/channeltreemodel.h"
#include "core/store/directory.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "ui/channeltreedock.h"
#include "ui/feeddelegate.h"
#include "ui/feedview.h"
#include "ui/filterbar.h"
#include "ui/mainwindow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

namespace {

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

const QByteArray guild = R"({"id":"100","name":"Rust Fans",
  "channels":[{"id":"110","type":4,"name":"Talk","position":1},
              {"id":"111","type":0,"name":"general","position":0},
              {"id":"112","type":0,"name":"mods","parent_id":"110"}],
  "roles":[{"id":"120","name":"Moderators"}],
  "members":[{"user":{"id":"900","username":"alice","global_name":"Alice"}}]})";

QJsonObject message(quint64 id, quint64 channel, const QString &content)
{
    return {{u"id"_s, QString::number(id)},
            {u"channel_id"_s, QString::number(channel)},
            {u"guild_id"_s, u"100"_s},
            {u"author"_s, QJsonObject{{u"id"_s, u"900"_s}, {u"username"_s, u"alice"_s}}},
            {u"content"_s, content},
            {u"timestamp"_s, u"2026-11-27T10:00:00.000000+00:00"_s},
            {u"mentions"_s, QJsonArray()}};
}

} // namespace

/// The Servers dock and the rendered feed in the real window: names and counts in the tree,
/// choosing a row filters the feed, mentions render as names and update when names arrive.
class tst_ChannelTreeDock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void treeShowsNamesAndCounts();
    void selectionFiltersTheFeed();
    void feedRendersNames();

private:
    QModelIndex treeIndex(quint64 guildId, quint64 channelId) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void tst_ChannelTreeDock::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"GatescopeTest"_s);
    QCoreApplication::setApplicationName(u"tst_channeltreedock"_s);
}

void tst_ChannelTreeDock::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                       m_dir->filePath(u"settings"_s));
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir->filePath(u"settings"_s));
    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    MessageStore *store = m_window->store();
    store->handleDispatch(u"GUILD_CREATE"_s, json(guild));
    store->addMessage(message(1, 111, u"hello <@900>"_s));
    store->addMessage(message(2, 111, u"second"_s));
    store->addMessage(message(3, 112, u"in mods"_s));
    store->flush();
    m_window->channelTree()->model()->rebuild();
}

void tst_ChannelTreeDock::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

QModelIndex tst_ChannelTreeDock::treeIndex(quint64 guildId, quint64 channelId) const
{
    return m_window->channelTree()->model()->indexOf(guildId, channelId);
}

void tst_ChannelTreeDock::treeShowsNamesAndCounts()
{
    QTreeView *view = m_window->channelTree()->view();
    QVERIFY(view->isVisible());
    QCOMPARE(treeIndex(100, 0).data().toString(), u"Rust Fans"_s);
    QCOMPARE(treeIndex(100, 0).data(ChannelTreeModel::InitialsRole).toString(), u"RF"_s);
    QCOMPARE(treeIndex(100, 111).data().toString(), u"#general"_s);
    QCOMPARE(treeIndex(100, 112).parent(), treeIndex(100, 110));
    QCOMPARE(treeIndex(100, 111).data(ChannelTreeModel::UnreadRole).toInt(), 2);
    QCOMPARE(treeIndex(100, 0).data(ChannelTreeModel::UnreadRole).toInt(), 3);
    // The rows are shown (expanded) and paint without trouble.
    QVERIFY(view->visualRect(treeIndex(100, 112)).isValid());
    QVERIFY(!view->grab().isNull());

    // Counts follow live messages, once per store batch.
    m_window->store()->addMessage(message(4, 112, u"more"_s));
    QTRY_COMPARE_WITH_TIMEOUT(treeIndex(100, 112).data(ChannelTreeModel::UnreadRole).toInt(), 2,
                              10000);
}

void tst_ChannelTreeDock::selectionFiltersTheFeed()
{
    ChannelTreeDock *tree = m_window->channelTree();
    QSignalSpy selected(tree, &ChannelTreeDock::channelSelected);
    QCOMPARE(m_window->filterModel()->rowCount(), 3);

    tree->select(100, 111);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.last().at(1).toULongLong(), 111ULL);
    QCOMPARE(treeIndex(100, 111).data(ChannelTreeModel::UnreadRole).toInt(), 0); // viewed
    QTRY_COMPARE_WITH_TIMEOUT(m_window->filterModel()->rowCount(), 2, 10000);
    QCOMPARE(m_window->filterBar()->scopeTerm(), u"in:111"_s);

    tree->select(100, 110); // the category: its channels
    QTRY_COMPARE_WITH_TIMEOUT(m_window->filterModel()->rowCount(), 1, 10000);
    tree->select(100, 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->filterModel()->rowCount(), 3, 10000);
    QCOMPARE(m_window->filterBar()->scopeTerm(), u"guild:100"_s);
    tree->select(0, 0); // all channels: the location term goes
    QTRY_COMPARE_WITH_TIMEOUT(m_window->filterBar()->scopeTerm(), QString(), 10000);
}

void tst_ChannelTreeDock::feedRendersNames()
{
    auto *feed = m_window->findChild<FeedView *>(u"feedView"_s);
    QVERIFY(feed);
    auto *delegate = qobject_cast<FeedDelegate *>(feed->itemDelegate());
    QVERIFY(delegate);
    MessageStore *store = m_window->store();
    store->addMessage(message(5, 111, u"ping <@901> and <@&120> in <#112> <:blob:77>"_s));
    store->flush();
    const int last = m_window->filterModel()->rowCount() - 1;
    const QModelIndex content = m_window->filterModel()->index(last, MessageModel::ContentColumn);
    const auto rendered = [&] {
        return MessageRenderer::plainText(delegate->spansFor(content));
    };
    QCOMPARE(rendered(), u"ping @901 and @Moderators in #mods :blob:"_s);
    QVERIFY(!delegate->spansFor(content).at(1).known);
    // The raw text stays what the model shows (and the details pane and exports use).
    QCOMPARE(content.data().toString(), u"ping <@901> and <@&120> in <#112> <:blob:77>"_s);

    // User 901 becomes known: the row renders again with the name.
    store->handleDispatch(u"USER_UPDATE"_s,
                          json(R"({"id":"901","username":"bob","global_name":"Bobby"})"));
    QCOMPARE(rendered(), u"ping @Bobby and @Moderators in #mods :blob:"_s);
    QVERIFY(delegate->spansFor(content).at(1).known);
    feed->scrollToBottom();
    QVERIFY(!feed->grab().isNull());
}

QTEST_MAIN(tst_ChannelTreeDock)
#include "tst_channeltreedock.moc"
