#include "ui/feeddelegate.h"
#include "ui/feedview.h"

#include <QPushButton>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QTest>

using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

class tst_FeedView : public QObject
{
    Q_OBJECT

private slots:
    void followsAtBottom();
    void pauseHoldsRowsStill();
    void scrolledUpShowsNewButton();
    void evictionKeepsTopRowWhileHeld();
    void burstIsRepaintedOnceAtTheRefresh();
    void inputShowsAtOnceDuringABurst();
    void quietRowShowsAtOnce();
    void firstPaintLooksUpFallbackFonts();
    void holdEndsWithoutAScrollToMake_data();
    void holdEndsWithoutAScrollToMake();

private:
    /// Shows @p view on @p model at a size that fits a few rows.
    static bool show(FeedView &view, QStandardItemModel &model)
    {
        view.setModel(&model);
        view.resize(400, 200);
        view.show();
        return QTest::qWaitForWindowExposed(&view);
    }
    /// Waits for the refresh that ends the hold of rows just appended, and its scroll to the
    /// newest row.
    static bool settleAtBottom(const FeedView &view)
    {
        return QTest::qWaitFor([&view] {
            return !view.isRefreshHeld()
                   && view.verticalScrollBar()->value() == view.verticalScrollBar()->maximum();
        });
    }
    static void append(QStandardItemModel &model, int count)
    {
        for (int i = 0; i < count; ++i) {
            const int n = model.rowCount();
            model.appendRow(new QStandardItem(u"message %1"_s.arg(n)));
        }
    }
};

void tst_FeedView::followsAtBottom()
{
    QStandardItemModel model;
    FeedView view;
    QVERIFY(show(view, model));
    append(model, 200);
    QVERIFY(view.isFollowing());
    // Rows that arrive in a burst are scrolled to with the next refresh.
    QTRY_COMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
    QCOMPARE(view.newRowCount(), 0);
    QVERIFY(view.newMessagesButton()->isHidden());
}

void tst_FeedView::pauseHoldsRowsStill()
{
    QStandardItemModel model;
    FeedView view;
    QVERIFY(show(view, model));
    append(model, 100);
    const QString top = view.topVisibleIndex().data().toString();
    view.setPaused(true);
    append(model, 50);

    QCOMPARE(model.rowCount(), 150); // still received
    QCOMPARE(view.topVisibleIndex().data().toString(), top); // but held still
    QCOMPARE(view.newRowCount(), 50);
    QVERIFY(view.newMessagesButton()->isVisible());
    QVERIFY(view.newMessagesButton()->text().contains(u"50 new messages"_s));

    view.setPaused(false); // catches up
    QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
    QCOMPARE(view.newRowCount(), 0);
    QVERIFY(view.newMessagesButton()->isHidden());
}

void tst_FeedView::scrolledUpShowsNewButton()
{
    QStandardItemModel model;
    FeedView view;
    QVERIFY(show(view, model));
    append(model, 100);
    view.verticalScrollBar()->setValue(10);
    QVERIFY(!view.isFollowing());
    append(model, 3);
    QCOMPARE(view.verticalScrollBar()->value(), 10);
    QCOMPARE(view.newRowCount(), 3);
    QVERIFY(view.newMessagesButton()->isVisible());
    view.newMessagesButton()->click();
    QVERIFY(view.isFollowing());
    QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
    // Scrolling back to the bottom by hand also resumes following.
    view.verticalScrollBar()->setValue(0);
    append(model, 1);
    view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum());
    QVERIFY(view.isFollowing());
    QCOMPARE(view.newRowCount(), 0);
}

void tst_FeedView::evictionKeepsTopRowWhileHeld()
{
    QStandardItemModel model;
    FeedView view;
    QVERIFY(show(view, model));
    append(model, 100);
    view.verticalScrollBar()->setValue(40);
    const QString top = view.topVisibleIndex().data().toString();
    model.removeRows(0, 10); // the ring drops its oldest rows
    QCOMPARE(view.topVisibleIndex().data().toString(), top);
}

/// Counts the paints of a widget.
class PaintCounter : public QObject
{
public:
    explicit PaintCounter(QWidget *widget) { widget->installEventFilter(this); }
    int paints = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return false;
    }
};

void tst_FeedView::burstIsRepaintedOnceAtTheRefresh()
{
    QStandardItemModel model;
    FeedView view;
    QVERIFY(show(view, model));
    append(model, 100);
    QVERIFY(settleAtBottom(view));

    // A burst: each row is handed over in a turn of the event loop of its own, as the store's
    // slices do. The first change may show at once; the ones after it wait for one refresh.
    append(model, 2);
    QVERIFY(view.isRefreshHeld());
    QVERIFY(!view.viewport()->updatesEnabled());
    // The paint the first row asked for may still wait for the window's next frame: drawn now,
    // so that only paints made during the hold are counted.
    view.repaint();
    PaintCounter counter(view.viewport());
    const int maximumBefore = view.verticalScrollBar()->maximum();
    // On a loaded machine the refresh can come in the middle of the burst and the next row begin
    // a new hold: a paint is wrong only in a turn of the event loop that a single hold spans.
    int heldTurns = 0;
    int paintsWhileHeld = 0;
    // It ends inside a hold, so that the repaint checked below is the refresh's.
    for (int i = 0; i < 20 || (!view.isRefreshHeld() && i < 200); ++i) {
        append(model, 1);
        const bool heldBefore = view.isRefreshHeld();
        const int paintsBefore = counter.paints;
        QCoreApplication::processEvents();
        if (heldBefore && view.isRefreshHeld()) {
            ++heldTurns;
            paintsWhileHeld += counter.paints - paintsBefore;
        }
    }
    QVERIFY(heldTurns > 0);
    QCOMPARE(paintsWhileHeld, 0);
    QVERIFY(view.isRefreshHeld());
    QVERIFY(view.verticalScrollBar()->maximum() > maximumBefore); // the range kept up
    const int paintsBeforeRefresh = counter.paints;

    QTRY_VERIFY(!view.isRefreshHeld());
    QVERIFY(view.viewport()->updatesEnabled());
    QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
    QTRY_VERIFY(counter.paints > paintsBeforeRefresh);
    QCOMPARE(view.newRowCount(), 0);
}

void tst_FeedView::inputShowsAtOnceDuringABurst()
{
    QStandardItemModel model;
    FeedView view;
    QVERIFY(show(view, model));
    append(model, 100);
    QVERIFY(view.isRefreshHeld());
    QTest::keyClick(&view, Qt::Key_Up);
    QVERIFY(!view.isRefreshHeld());
    QVERIFY(view.viewport()->updatesEnabled());

    append(model, 2);
    QVERIFY(view.isRefreshHeld());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(10, 10));
    QVERIFY(!view.isRefreshHeld());
}

void tst_FeedView::quietRowShowsAtOnce()
{
    QStandardItemModel model;
    FeedView view;
    QVERIFY(show(view, model));
    append(model, 100);
    QTRY_VERIFY(!view.isRefreshHeld());
    // Nothing arrived for a refresh interval: the next row is not held back.
    QTest::qWait(FeedView::RefreshIntervalMs + 10);
    append(model, 1);
    QVERIFY(!view.isRefreshHeld());
    QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
}

void tst_FeedView::holdEndsWithoutAScrollToMake_data()
{
    QTest::addColumn<bool>("scrolledUp");
    QTest::newRow("rows arrive while scrolled up") << true;
    QTest::newRow("rows change while following") << false;
}

void tst_FeedView::holdEndsWithoutAScrollToMake()
{
    // A hold that no scroll to the newest row ends (the view is not following, or rows only
    // changed) must still end at the refresh: the feed once stayed frozen after it.
    QFETCH(bool, scrolledUp);
    QStandardItemModel model;
    FeedView view;
    QVERIFY(show(view, model));
    append(model, 100);
    QVERIFY(settleAtBottom(view));
    if (scrolledUp) {
        view.verticalScrollBar()->setValue(10);
        QVERIFY(!view.isFollowing());
        append(model, 2);
    } else {
        model.item(98)->setText(u"edited"_s);
        model.item(99)->setText(u"edited too"_s);
    }
    QVERIFY(view.isRefreshHeld());
    QVERIFY(!view.viewport()->updatesEnabled());
    QTRY_VERIFY(!view.isRefreshHeld());
    QVERIFY(view.viewport()->updatesEnabled());
    QVERIFY(view.verticalScrollBar()->updatesEnabled());
}

void tst_FeedView::firstPaintLooksUpFallbackFonts()
{
    FeedView view;
    QFont font = view.font();
    font.setPointSizeF(font.pointSizeF() + 0.5); // a font no other case has warmed
    view.setFont(font);
    QVERIFY(!FeedDelegate::fontsWarmed(view.font()));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(FeedDelegate::fontsWarmed(view.font()));
}

QTEST_MAIN(tst_FeedView)
#include "tst_feedview.moc"
