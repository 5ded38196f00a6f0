#include "core/store/directory.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "storetestdata.h"
#include "ui/feeddelegate.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QImage>
#include <QJsonArray>
#include <QPainter>
#include <QScreen>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

/// The feed delegate draws plain text cells itself (from its text cache) rather than through
/// QStyle; the pixels must stay those QStyledItemDelegate paints in a table.
class tst_FeedDelegate : public QObject
{
    Q_OBJECT

private slots:
    void textCellsPaintAsQStyledItemDelegate_data();
    void textCellsPaintAsQStyledItemDelegate();
    void renderedCellDrawsInsideItsRect();
};

void tst_FeedDelegate::textCellsPaintAsQStyledItemDelegate_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("selected");
    QTest::newRow("fits") << u"Rust Fans"_s << 160 << false;
    QTest::newRow("elided") << u"A guild whose name is far too long"_s << 90 << false;
    QTest::newRow("selected") << u"#general"_s << 120 << true;
    QTest::newRow("selected, elided") << u"#a-very-long-channel-name"_s << 70 << true;
    QTest::newRow("empty") << QString() << 100 << false;
    QTest::newRow("long") << u"lorem ipsum "_s.repeated(400) << 300 << false;
}

void tst_FeedDelegate::textCellsPaintAsQStyledItemDelegate()
{
    QFETCH(QString, text);
    QFETCH(int, width);
    QFETCH(bool, selected);
    QStandardItemModel model(1, MessageModel::ColumnCount);
    const QModelIndex index = model.index(0, MessageModel::GuildColumn);
    model.setData(index, text);
    QTableView view;
    view.setModel(&model);
    view.resize(600, 200);

    QStyleOptionViewItem option;
    option.initFrom(&view);
    option.widget = &view;
    option.rect = QRect(0, 0, width, 26);
    option.textElideMode = Qt::ElideRight;
    option.displayAlignment = Qt::AlignLeft | Qt::AlignVCenter;
    option.features |= QStyleOptionViewItem::HasDisplay;
    option.showDecorationSelected = true; // as QTableView, the feed's view, sets it
    if (selected)
        option.state |= QStyle::State_Selected;
    const auto paint = [&](QAbstractItemDelegate &delegate) {
        QImage image(width, 26, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        QPainter painter(&image);
        delegate.paint(&painter, option, index);
        return image;
    };
    QStyledItemDelegate reference;
    FeedDelegate feed(nullptr);
    QCOMPARE(paint(feed), paint(reference));
}

void tst_FeedDelegate::renderedCellDrawsInsideItsRect()
{
    // A rendered Content cell with an underlined attachment link, in a view that is not at the
    // window's origin, as the feed is: the link's pixels, underline included, stay in the cell.
    // (Under xcb, QPainter drew a QStaticText's underline far to the left of its text; the
    // offscreen platform does not show that, so the screenshots under Xvfb are the check.)
    Directory directory;
    MessageStore store(&directory);
    MessageModel model(&store);
    QJsonObject message = StoreTestData::message(1, u"see the file"_s);
    message.insert(u"attachments"_s,
                   QJsonArray{QJsonObject{{u"id"_s, u"5"_s},
                                          {u"filename"_s, u"report.csv"_s},
                                          {u"size"_s, 2048},
                                          {u"url"_s, u"https://cdn.example/report.csv"_s}}});
    store.addMessage(message);
    store.flush();
    QCOMPARE(model.rowCount(), 1);

    QWidget window;
    auto *layout = new QHBoxLayout(&window);
    layout->setContentsMargins(300, 100, 0, 0);
    auto *view = new QTableView(&window);
    layout->addWidget(view);
    view->setModel(&model);
    view->setItemDelegate(new FeedDelegate(nullptr, view, &store));
    for (int column = 0; column < MessageModel::ColumnCount; ++column)
        view->setColumnHidden(column, column != MessageModel::ContentColumn);
    view->setColumnWidth(MessageModel::ContentColumn, 300);
    window.resize(800, 300);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QColor link = view->palette().color(QPalette::Link);
    const auto isLink = [&link](QColor pixel) {
        return qAbs(pixel.hue() - link.hue()) < 20 && pixel.saturation() > 100;
    };
    const QRect cell = view->visualRect(model.index(0, MessageModel::ContentColumn))
                               .translated(view->viewport()->mapTo(&window, QPoint(0, 0)));
    int inside = 0;
    int outside = 0;
    // Counts the window's link-coloured pixels in and out of the cell; true once the link shows.
    const auto countLinkPixels = [&] {
        const QImage image = window.screen()->grabWindow(window.winId()).toImage();
        inside = 0;
        outside = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                if (isLink(image.pixelColor(x, y)))
                    ++(cell.contains(x, y) ? inside : outside);
            }
        }
        return inside > 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(countLinkPixels(), 5000);
    QCOMPARE(outside, 0);
}

QTEST_MAIN(tst_FeedDelegate)
#include "tst_feeddelegate.moc"
