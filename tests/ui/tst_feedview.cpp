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

private:
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
    view.setModel(&model);
    view.resize(400, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    append(model, 200);
    QVERIFY(view.isFollowing());
    QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
    QCOMPARE(view.newRowCount(), 0);
    QVERIFY(view.newMessagesButton()->isHidden());
}

void tst_FeedView::pauseHoldsRowsStill()
{
    QStandardItemModel model;
    FeedView view;
    view.setModel(&model);
    view.resize(400, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
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
    view.setModel(&model);
    view.resize(400, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
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
    view.setModel(&model);
    view.resize(400, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    append(model, 100);
    view.verticalScrollBar()->setValue(40);
    const QString top = view.topVisibleIndex().data().toString();
    model.removeRows(0, 10); // the ring drops its oldest rows
    QCOMPARE(view.topVisibleIndex().data().toString(), top);
}

QTEST_MAIN(tst_FeedView)
#include "tst_feedview.moc"
