#include "core/fleet/fleetshardsmodel.h"
#include "ui/shardstatedelegate.h"

#include <QImage>
#include <QPainter>
#include <QTableView>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

/// The Shards dock's State cells and, for a fleet, its Missing cells: a stale shard in an amber
/// badge, a gap in a red one, in light and dark palettes alike.
class tst_ShardStateDelegate : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void badgeColors_data();
    void badgeColors();
    void badgeIsPainted_data();
    void badgeIsPainted();

private:
    /// Rows: 0 healthy, 1 stale, 2 with a gap of 3 events.
    FleetShardsModel m_model;
};

void tst_ShardStateDelegate::init()
{
    QList<FleetShard> shards(3);
    for (int row = 0; row < 3; ++row) {
        shards[row].collector = u"host-a"_s;
        shards[row].shard = row;
        shards[row].state = u"Ready"_s;
    }
    shards[1].stale = true;
    shards[2].missing = 3;
    m_model.setShards(shards);
}

void tst_ShardStateDelegate::badgeColors_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<QColor>("color");
    QTest::newRow("healthy state") << 0 << int(FleetShardsModel::State) << QColor();
    QTest::newRow("healthy missing") << 0 << int(FleetShardsModel::Missing) << QColor();
    QTest::newRow("stale state") << 1 << int(FleetShardsModel::State)
                                 << ShardStateDelegate::silentColor();
    QTest::newRow("stale missing") << 1 << int(FleetShardsModel::Missing) << QColor();
    QTest::newRow("gap state") << 2 << int(FleetShardsModel::State) << QColor();
    QTest::newRow("gap missing") << 2 << int(FleetShardsModel::Missing)
                                 << ShardStateDelegate::errorColor();
}

void tst_ShardStateDelegate::badgeColors()
{
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(QColor, color);
    QCOMPARE(ShardStateDelegate::badgeColor(m_model.index(row, column)), color);
}

/// Whether @p image has a pixel of @p color's hue, strongly saturated (the badge's outline or
/// the state's dot), so neither grey text nor a white or dark background counts.
static bool hasHue(const QImage &image, const QColor &color)
{
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            if (pixel.hsvSaturation() > 150 && pixel.value() > 100
                && std::abs(pixel.hsvHue() - color.hsvHue()) <= 12)
                return true;
        }
    }
    return false;
}

void tst_ShardStateDelegate::badgeIsPainted_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void tst_ShardStateDelegate::badgeIsPainted()
{
    QFETCH(bool, dark);
    QTableView view;
    view.setModel(&m_model);
    QPalette palette = view.palette();
    if (dark) {
        palette.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        palette.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    }
    ShardStateDelegate state;
    ShardStateDelegate gaps;
    gaps.setShowsState(false);
    const auto paint = [&](QStyledItemDelegate &delegate, int row, int column) {
        QStyleOptionViewItem option;
        option.initFrom(&view);
        option.palette = palette;
        option.widget = &view;
        option.rect = QRect(0, 0, 160, 24);
        QImage image(option.rect.size(), QImage::Format_ARGB32_Premultiplied);
        image.fill(palette.color(QPalette::Base));
        QPainter painter(&image);
        delegate.paint(&painter, option, m_model.index(row, column));
        return image;
    };
    const QColor amber = ShardStateDelegate::silentColor();
    const QColor red = ShardStateDelegate::errorColor();
    QVERIFY(hasHue(paint(state, 1, FleetShardsModel::State), amber)); // stale
    QVERIFY(!hasHue(paint(state, 0, FleetShardsModel::State), amber)); // Ready: a green dot
    QVERIFY(hasHue(paint(gaps, 2, FleetShardsModel::Missing), red)); // gap
    QVERIFY(!hasHue(paint(gaps, 0, FleetShardsModel::Missing), red)); // "–"
}

QTEST_MAIN(tst_ShardStateDelegate)
#include "tst_shardstatedelegate.moc"
