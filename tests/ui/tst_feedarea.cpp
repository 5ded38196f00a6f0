#include "core/store/directory.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "storetestdata.h"
#include "ui/feedarea.h"
#include "ui/feedpane.h"
#include "ui/feedview.h"
#include "ui/filterbar.h"
#include "ui/highlightrules.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabBar>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

namespace {
constexpr quint64 General = 111;
constexpr quint64 Random = 112;
constexpr quint64 Guild = 100;
} // namespace

/// Tabs and splits of feeds over one shared store: each pane keeps its own filter, channel
/// selection and pause state, and the layout survives a save and restore.
class tst_FeedArea : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void startsWithOnePane();
    void splitRightKeepsItsOwnFilter();
    void splitAcrossNestsASplitter();
    void newTabAndClose();
    void panesOnScreenRefreshInTurns();
    void focusMakesAPaneCurrent();
    void channelSelectionIsNamedAndKeptApartFromTheQuery();
    void nextMentionWalksTheMentions();
    void layoutRoundTrip();
    void badLayoutIsRefusedWhole_data();
    void badLayoutIsRefusedWhole();

private:
    std::unique_ptr<FeedArea> makeArea();
    static int rowsOf(FeedPane *pane) { return pane->filterModel()->rowCount(); }

    std::unique_ptr<Directory> m_directory;
    std::unique_ptr<MessageStore> m_store;
    std::unique_ptr<MessageModel> m_model;
    std::unique_ptr<HighlightRules> m_highlights;
};

void tst_FeedArea::initTestCase()
{
    qRegisterMetaType<FeedPane *>();
}

void tst_FeedArea::init()
{
    m_directory = std::make_unique<Directory>();
    m_store = std::make_unique<MessageStore>(m_directory.get());
    m_model = std::make_unique<MessageModel>(m_store.get());
    m_highlights = std::make_unique<HighlightRules>();
    m_store->handleDispatch(u"GUILD_CREATE"_s, StoreTestData::guildWithTwoChannels());
    // 6 in #general, 4 in #random; every third one mentions a user.
    for (quint64 i = 1; i <= 10; ++i) {
        QJsonObject m = StoreTestData::message(1000 + i, u"message %1"_s.arg(i),
                                               i <= 6 ? General : Random);
        if (i % 3 == 0)
            m.insert(u"mentions"_s, QJsonArray{StoreTestData::user(901, u"bob"_s)});
        m_store->addMessage(m);
    }
    m_store->flush();
    QCOMPARE(m_store->count(), 10);
}

void tst_FeedArea::cleanup()
{
    m_model.reset();
    m_store.reset();
    m_directory.reset();
    m_highlights.reset();
}

std::unique_ptr<FeedArea> tst_FeedArea::makeArea()
{
    auto area = std::make_unique<FeedArea>(m_model.get(), m_store.get(), m_directory.get(),
                                           m_highlights.get());
    area->resize(1000, 600);
    return area;
}

void tst_FeedArea::startsWithOnePane()
{
    const auto area = makeArea();
    QCOMPARE(area->count(), 1);
    QCOMPARE(area->paneCount(), 1);
    QVERIFY(area->currentPane());
    QCOMPARE(rowsOf(area->currentPane()), 10);
    QVERIFY(!area->closeCurrentPane()); // the last pane stays
    QCOMPARE(area->paneCount(), 1);
}

void tst_FeedArea::splitRightKeepsItsOwnFilter()
{
    const auto area = makeArea();
    area->show();
    FeedPane *first = area->currentPane();
    QSignalSpy created(area.get(), &FeedArea::paneCreated);
    FeedPane *second = area->splitCurrent(Qt::Horizontal);
    QVERIFY(second);
    QCOMPARE(created.size(), 1);
    QCOMPARE(area->currentPane(), second);
    QCOMPARE(area->panes(), (QList<FeedPane *>{first, second}));
    auto *splitter = qobject_cast<QSplitter *>(first->parentWidget());
    QVERIFY(splitter);
    QCOMPARE(splitter->orientation(), Qt::Horizontal);
    QCOMPARE(second->parentWidget(), splitter);

    second->selectChannel(Guild, Random);
    QTRY_COMPARE(rowsOf(second), 4);
    QCOMPARE(rowsOf(first), 10);
    first->filterBar()->setQuery(u"\"message 1\""_s); // 1 and 10
    QTRY_COMPARE(rowsOf(first), 2);
    QCOMPARE(rowsOf(second), 4);
    QVERIFY(second->filterBar()->query().isEmpty());

    second->setPaused(true);
    QVERIFY(second->isPaused());
    QVERIFY(!first->isPaused());
    QVERIFY(second->pauseButton()->isChecked());
    QVERIFY(!first->pauseButton()->isChecked());
}

void tst_FeedArea::splitAcrossNestsASplitter()
{
    const auto area = makeArea();
    FeedPane *left = area->currentPane();
    FeedPane *right = area->splitCurrent(Qt::Horizontal);
    FeedPane *below = area->splitCurrent(Qt::Vertical);
    QVERIFY(below);
    auto *root = qobject_cast<QSplitter *>(left->parentWidget());
    auto *nested = qobject_cast<QSplitter *>(right->parentWidget());
    QVERIFY(root && nested && root != nested);
    QCOMPARE(nested->orientation(), Qt::Vertical);
    QCOMPARE(nested->parentWidget(), root);
    QCOMPARE(below->parentWidget(), nested);
    QCOMPARE(area->panes(), (QList<FeedPane *>{left, right, below}));

    // Closing one of the two below leaves the other in the nested splitter's place.
    QVERIFY(area->closePane(below));
    QCOMPARE(right->parentWidget(), root);
    QCOMPARE(root->count(), 2);
    QCOMPARE(area->currentPane(), right);
}

void tst_FeedArea::newTabAndClose()
{
    const auto area = makeArea();
    FeedPane *first = area->currentPane();
    first->filterBar()->setQuery(u"message"_s);
    FeedPane *tabbed = area->newTab();
    QVERIFY(tabbed);
    QCOMPARE(area->count(), 2);
    QCOMPARE(area->currentIndex(), 1);
    QCOMPARE(area->currentPane(), tabbed);
    QVERIFY(tabbed->filterBar()->query().isEmpty()); // a new tab shows every channel
    QVERIFY(!area->tabBar()->isHidden() || !area->isVisible());

    area->setCurrentIndex(0);
    QCOMPARE(area->currentPane(), first);
    area->setCurrentIndex(1);
    QCOMPARE(area->currentPane(), tabbed);
    QVERIFY(area->closeCurrentPane());
    QCOMPARE(area->count(), 1);
    QCOMPARE(area->currentPane(), first);
}

void tst_FeedArea::panesOnScreenRefreshInTurns()
{
    const auto area = makeArea();
    FeedPane *left = area->currentPane();
    FeedPane *middle = area->splitCurrent(Qt::Horizontal);
    const auto phases = [](const QList<FeedPane *> &panes) {
        QList<int> out;
        for (FeedPane *pane : panes)
            out << pane->feedView()->refreshPhase();
        return out;
    };
    QCOMPARE(phases({left, middle}), (QList<int>{0, FeedView::RefreshIntervalMs / 2}));
    FeedPane *right = area->splitCurrent(Qt::Horizontal);
    const int interval = FeedView::RefreshIntervalMs;
    QCOMPARE(phases(area->panesOfTab(0)), (QList<int>{0, interval / 3, 2 * interval / 3}));

    // Only the panes on screen share the interval: a new tab's pane has it to itself.
    FeedPane *tabbed = area->newTab();
    QCOMPARE(tabbed->feedView()->refreshPhase(), 0);
    QVERIFY(area->closePane(right));
    area->setCurrentIndex(0);
    QCOMPARE(phases(area->panesOfTab(0)), (QList<int>{0, FeedView::RefreshIntervalMs / 2}));
}

void tst_FeedArea::focusMakesAPaneCurrent()
{
    const auto area = makeArea();
    area->show();
    area->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(area.get()));
    FeedPane *first = area->currentPane();
    FeedPane *second = area->splitCurrent(Qt::Horizontal);
    QCOMPARE(area->currentPane(), second);
    QSignalSpy changed(area.get(), &FeedArea::currentPaneChanged);
    first->filterBar()->queryEdit()->setFocus();
    QTRY_COMPARE(area->currentPane(), first);
    QCOMPARE(changed.size(), 1);
    QVERIFY(first->isCurrent());
    QVERIFY(!second->isCurrent());
    second->feedView()->setFocus();
    QTRY_COMPARE(area->currentPane(), second);
}

void tst_FeedArea::channelSelectionIsNamedAndKeptApartFromTheQuery()
{
    const auto area = makeArea();
    FeedPane *pane = area->currentPane();
    QSignalSpy titles(pane, &FeedPane::titleChanged);
    pane->selectChannel(Guild, General);
    QCOMPARE(pane->filterBar()->scopeTerm(), u"in:111"_s);
    QCOMPARE(pane->filterBar()->scopeLabel(), u"#general"_s);
    QTRY_COMPARE(rowsOf(pane), 6);
    QCOMPARE(pane->title(), u"#general"_s);
    QVERIFY(!titles.isEmpty());
    QVERIFY(area->tabText(0).contains(u"#general"_s));
    // Typing a query narrows the channel, and does not lose it.
    pane->filterBar()->setQuery(u"\"message 1\""_s);
    QTRY_COMPARE(rowsOf(pane), 1);
    QCOMPARE(pane->filterBar()->query(), u"\"message 1\""_s);
    // A whole guild; then every channel again.
    pane->selectChannel(Guild, 0);
    QCOMPARE(pane->filterBar()->scopeLabel(), u"Guild"_s);
    QTRY_COMPARE(rowsOf(pane), 2);
    pane->selectChannel(0, 0);
    QVERIFY(pane->filterBar()->scopeTerm().isEmpty());
    QTRY_COMPARE(rowsOf(pane), 2);
    // The chip's button removes the selection.
    pane->selectChannel(Guild, Random);
    auto *chip = pane->filterBar()->findChild<QToolButton *>(u"scopeChip"_s);
    QVERIFY(chip && !chip->isHidden());
    pane->filterBar()->setQuery(QString());
    QTRY_COMPARE(rowsOf(pane), 4);
    chip->click();
    QTRY_COMPARE(rowsOf(pane), 10);
    QVERIFY(chip->isHidden());
}

void tst_FeedArea::nextMentionWalksTheMentions()
{
    const auto area = makeArea();
    FeedPane *pane = area->currentPane();
    const auto currentId = [pane] {
        return pane->feedView()->currentIndex().data(MessageModel::MessageIdRole).toULongLong();
    };
    QVERIFY(pane->nextMention());
    QCOMPARE(currentId(), 1003ULL);
    QVERIFY(pane->nextMention());
    QCOMPARE(currentId(), 1006ULL);
    QVERIFY(pane->nextMention());
    QCOMPARE(currentId(), 1009ULL);
    QVERIFY(pane->nextMention()); // wraps to the top
    QCOMPARE(currentId(), 1003ULL);
    pane->filterBar()->setQuery(u"\"message 1\""_s); // 1 and 10: no mention
    QTRY_COMPARE(rowsOf(pane), 2);
    QVERIFY(!pane->nextMention());
}

void tst_FeedArea::layoutRoundTrip()
{
    QByteArray layout;
    QList<int> savedSizes;
    {
        const auto area = makeArea();
        area->show();
        FeedPane *left = area->currentPane();
        left->filterBar()->setQuery(u"message"_s);
        left->filterBar()->setCheckedToggles({u"-is:bot"_s});
        FeedPane *right = area->splitCurrent(Qt::Horizontal);
        right->filterBar()->setQuery(QString());
        right->selectChannel(Guild, Random);
        right->setPaused(true);
        auto *root = qobject_cast<QSplitter *>(left->parentWidget());
        root->setSizes({700, 300});
        savedSizes = root->sizes();
        FeedPane *tabbed = area->newTab();
        tabbed->selectChannel(Guild, 0);
        area->splitCurrent(Qt::Vertical);
        area->setCurrentPane(right);
        layout = area->saveLayout();
    }
    // Ids travel as strings, never as numbers a double could round.
    QVERIFY2(layout.contains(R"("channel":"112")"), layout.constData());

    const auto restored = makeArea();
    restored->show();
    QSignalSpy created(restored.get(), &FeedArea::paneCreated);
    QVERIFY(restored->restoreLayout(layout));
    QCOMPARE(created.size(), 4);
    QCOMPARE(restored->count(), 2);
    QCOMPARE(restored->paneCount(), 4);
    const QList<FeedPane *> panes = restored->panes();
    QCOMPARE(restored->currentPane(), panes.at(1));
    QCOMPARE(restored->currentIndex(), 0);
    QCOMPARE(panes.at(0)->filterBar()->query(), u"message"_s);
    QCOMPARE(panes.at(0)->filterBar()->checkedToggles(), QStringList{u"-is:bot"_s});
    QVERIFY(!panes.at(0)->isPaused());
    QCOMPARE(panes.at(1)->selectedChannelId(), Random);
    QCOMPARE(panes.at(1)->filterBar()->scopeLabel(), u"#random"_s);
    QVERIFY(panes.at(1)->isPaused());
    QTRY_COMPARE(rowsOf(panes.at(1)), 4);
    QCOMPARE(panes.at(2)->selectedGuildId(), Guild);
    QCOMPARE(panes.at(2)->selectedChannelId(), 0ULL);
    auto *root = qobject_cast<QSplitter *>(panes.at(0)->parentWidget());
    QCOMPARE(root->orientation(), Qt::Horizontal);
    const QList<int> sizes = root->sizes();
    QCOMPARE(sizes.size(), 2);
    // The same proportions (the handle may take a pixel or two either way).
    QVERIFY2(qAbs(sizes.at(0) * savedSizes.at(1) - sizes.at(1) * savedSizes.at(0))
                     <= 4 * (sizes.at(0) + sizes.at(1)),
             qPrintable(u"%1/%2 vs %3/%4"_s.arg(sizes.at(0))
                                .arg(sizes.at(1))
                                .arg(savedSizes.at(0))
                                .arg(savedSizes.at(1))));
    auto *second = qobject_cast<QSplitter *>(panes.at(2)->parentWidget());
    QCOMPARE(second->orientation(), Qt::Vertical);
    QCOMPARE(panes.at(3)->parentWidget(), second);
}

void tst_FeedArea::badLayoutIsRefusedWhole_data()
{
    QTest::addColumn<QByteArray>("layout");
    const auto pane = QJsonObject{{u"pane"_s, QJsonObject{{u"query"_s, u"x"_s}}}};
    const auto wrap = [](const QJsonArray &tabs, int version = FeedArea::LayoutVersion) {
        return QJsonDocument(QJsonObject{{u"version"_s, version}, {u"tabs"_s, tabs}}).toJson();
    };
    QJsonObject deep = pane;
    for (int i = 0; i <= FeedArea::MaxDepth + 1; ++i)
        deep = QJsonObject{{u"orientation"_s, u"vertical"_s}, {u"children"_s, QJsonArray{deep}}};
    QJsonArray many;
    for (int i = 0; i <= FeedArea::MaxPanes; ++i)
        many.append(pane);
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("{\"version\":1,\"tabs\":[");
    QTest::newRow("no tabs") << wrap({});
    QTest::newRow("other version") << wrap({pane}, FeedArea::LayoutVersion + 1);
    QTest::newRow("bad orientation") << wrap(
            {QJsonObject{{u"orientation"_s, u"diagonal"_s}, {u"children"_s, QJsonArray{pane}}}});
    QTest::newRow("empty splitter") << wrap(
            {QJsonObject{{u"orientation"_s, u"vertical"_s}, {u"children"_s, QJsonArray{}}}});
    QTest::newRow("too deep") << wrap({deep});
    QTest::newRow("too many panes") << wrap(many);
    QTest::newRow("one bad tab of two") << wrap({pane, QJsonObject{{u"what"_s, 1}}});
}

void tst_FeedArea::badLayoutIsRefusedWhole()
{
    QFETCH(QByteArray, layout);
    const auto area = makeArea();
    FeedPane *first = area->currentPane();
    first->filterBar()->setQuery(u"kept"_s);
    area->splitCurrent(Qt::Horizontal);
    const QByteArray before = area->saveLayout();
    QVERIFY(!area->restoreLayout(layout));
    QCOMPARE(area->paneCount(), 2);
    QCOMPARE(area->panes().first(), first);
    QCOMPARE(area->saveLayout(), before);
}

QTEST_MAIN(tst_FeedArea)
#include "tst_feedarea.moc"
