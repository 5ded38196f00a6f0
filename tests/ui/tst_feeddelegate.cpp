#include "core/store/messagemodel.h"
#include "ui/feeddelegate.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
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

QTEST_MAIN(tst_FeedDelegate)
#include "tst_feeddelegate.moc"
