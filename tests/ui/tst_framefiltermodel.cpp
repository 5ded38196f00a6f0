#include "ui/framefiltermodel.h"
#include "ui/framemodel.h"

#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

class tst_FrameFilterModel : public QObject
{
    Q_OBJECT

private slots:
    void filter_data();
    void filter();
};

void tst_FrameFilterModel::filter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("rows");
    // Frames: HELLO in, IDENTIFY out, READY in, MESSAGE_CREATE ×3 in, MESSAGE_UPDATE in,
    // HEARTBEAT out, HEARTBEAT_ACK in, RECONNECT in.
    QTest::newRow("empty") << QString() << 10;
    QTest::newRow("op number") << u"0"_s << 5;
    QTest::newRow("op prefix") << u"op:7"_s << 1;
    QTest::newRow("two ops") << u"1, 11"_s << 2;
    QTest::newRow("type prefix") << u"message"_s << 4;
    QTest::newRow("exact type") << u"MESSAGE_UPDATE"_s << 1;
    QTest::newRow("op name") << u"heartbeat"_s << 2;
    QTest::newRow("direction") << u"out"_s << 2;
    QTest::newRow("direction and op") << u"out 1"_s << 1;
    QTest::newRow("no match") << u"typing"_s << 0;
}

void tst_FrameFilterModel::filter()
{
    QFETCH(QString, text);
    QFETCH(int, rows);
    FrameModel model;
    auto add = [&model](int op, const QString &type, bool out = false) {
        FrameRecord f;
        f.op = op;
        f.type = type;
        f.direction = out ? FrameRecord::Direction::Outgoing : FrameRecord::Direction::Incoming;
        model.addFrame(f);
    };
    add(10, {});
    add(2, {}, true);
    add(0, u"READY"_s);
    add(0, u"MESSAGE_CREATE"_s);
    add(0, u"MESSAGE_CREATE"_s);
    add(0, u"MESSAGE_CREATE"_s);
    add(0, u"MESSAGE_UPDATE"_s);
    add(1, {}, true);
    add(11, {});
    add(7, {});
    model.flush();
    FrameFilterModel filter;
    filter.setSourceModel(&model);
    filter.setFilterText(text);
    QCOMPARE(filter.rowCount(), rows);
}

QTEST_MAIN(tst_FrameFilterModel)
#include "tst_framefiltermodel.moc"
