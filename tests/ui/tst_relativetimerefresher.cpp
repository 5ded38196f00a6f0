#include "core/store/directory.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "storetestdata.h"
#include "ui/feeddelegate.h"
#include "ui/relativetimerefresher.h"

#include <QPaintEvent>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 Start = 1'700'000'000; // unix seconds

/// Collects what a widget repaints.
class PaintRecorder : public QObject
{
public:
    explicit PaintRecorder(QWidget *widget) { widget->installEventFilter(this); }
    QRegion painted;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            painted += static_cast<QPaintEvent *>(event)->region();
        return false;
    }
};

} // namespace

/// Relative times in the feed ("in 2 minutes") change as time passes, with no new event: the
/// visible rows that hold one are repainted and rendered again; the others are left alone.
class tst_RelativeTimeRefresher : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void visibleRelativeTimesFollowTheClock();
    void idleWithoutRelativeTimes();

private:
    QString shown(int row) const
    {
        return MessageRenderer::plainText(
                m_delegate->spansFor(m_model->index(row, MessageModel::ContentColumn)));
    }
    QRect contentRect(int row) const
    {
        return m_view->visualRect(m_model->index(row, MessageModel::ContentColumn));
    }
    void showView();

    qint64 m_nowMs = Start * 1000;
    std::unique_ptr<Directory> m_directory;
    std::unique_ptr<MessageStore> m_store;
    std::unique_ptr<MessageModel> m_model;
    std::unique_ptr<QTableView> m_view;
    FeedDelegate *m_delegate = nullptr;
    RelativeTimeRefresher *m_refresher = nullptr;
};

void tst_RelativeTimeRefresher::init()
{
    m_nowMs = Start * 1000;
    m_directory = std::make_unique<Directory>();
    m_store = std::make_unique<MessageStore>(m_directory.get());
    m_model = std::make_unique<MessageModel>(m_store.get());
    m_view = std::make_unique<QTableView>();
    m_view->setModel(m_model.get());
    m_delegate = new FeedDelegate(nullptr, m_view.get(), m_store.get());
    m_delegate->renderer().setClock([this] { return m_nowMs; });
    m_view->setItemDelegate(m_delegate);
    m_refresher = new RelativeTimeRefresher(m_view.get(), m_delegate, MessageModel::ContentColumn);
    // The timer runs on real time, the rows on the injected clock: look often.
    m_refresher->setMaxIntervalMs(20);
}

void tst_RelativeTimeRefresher::cleanup()
{
    m_view.reset();
    m_model.reset();
    m_store.reset();
    m_directory.reset();
}

void tst_RelativeTimeRefresher::showView()
{
    m_store->flush();
    m_view->resize(900, 300);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void tst_RelativeTimeRefresher::visibleRelativeTimesFollowTheClock()
{
    m_store->addMessage(StoreTestData::message(1, u"starts <t:%1:R>"_s.arg(Start + 120)));
    m_store->addMessage(StoreTestData::message(2, u"no time here"_s));
    showView();
    QCOMPARE(shown(0), u"starts in 2 minutes"_s);
    PaintRecorder recorder(m_view->viewport());
    QTRY_VERIFY_WITH_TIMEOUT(m_refresher->isActive(), 10000);

    m_nowMs += 60'000; // no event arrives; only time passes
    QTRY_VERIFY_WITH_TIMEOUT(recorder.painted.intersects(contentRect(0)), 10000);
    QCOMPARE(shown(0), u"starts in 1 minute"_s);
    QVERIFY(!recorder.painted.intersects(contentRect(1))); // no relative time: left alone

    recorder.painted = {};
    m_nowMs = (Start + 120) * 1000;
    QTRY_VERIFY_WITH_TIMEOUT(recorder.painted.intersects(contentRect(0)), 10000);
    QCOMPARE(shown(0), u"starts now"_s);
    QVERIFY(m_refresher->isActive()); // "now" becomes "1 second ago": still watched
}

void tst_RelativeTimeRefresher::idleWithoutRelativeTimes()
{
    m_store->addMessage(StoreTestData::message(1, u"at <t:%1:f>"_s.arg(Start)));
    m_store->addMessage(StoreTestData::message(2, u"plain"_s));
    showView();
    m_refresher->refresh();
    QVERIFY(!m_refresher->isActive()); // no timer wakes the window for nothing

    // A row with a relative time arrives: it is looked at soon, and then followed.
    m_store->addMessage(StoreTestData::message(3, u"<t:%1:R>"_s.arg(Start - 30)));
    m_store->flush();
    QVERIFY(m_refresher->isActive());
    QCOMPARE(shown(2), u"30 seconds ago"_s);

    // A hidden view stops looking.
    m_view->hide();
    m_refresher->refresh();
    QVERIFY(!m_refresher->isActive());
}

QTEST_MAIN(tst_RelativeTimeRefresher)
#include "tst_relativetimerefresher.moc"
