#include "core/gateway/redaction.h"
#include "ui/framemodel.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QPixmap>
#include <QSignalSpy>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

class tst_FrameModel : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { Redaction::clearSecrets(); }
    void batchesAndColumns();
    void ringIsBounded();
    void pauseHoldsFrames();
    void secretsNeverShown();
    void rejectedFrameIsMarked();
    void directionIsAnIcon();

private:
    static FrameRecord frame(int op, const QString &type = {}, qint64 seq = -1,
                             const QByteArray &json = "{}")
    {
        FrameRecord f;
        f.timeMs = 1'700'000'000'000;
        f.op = op;
        f.type = type;
        f.seq = seq;
        f.json = json;
        f.wireBytes = json.size();
        return f;
    }
};

void tst_FrameModel::batchesAndColumns()
{
    FrameModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 50; ++i)
        model.addFrame(frame(0, u"MESSAGE_CREATE"_s, i, R"({"op":0,"t":"MESSAGE_CREATE"})"));
    QCOMPARE(model.rowCount(), 0);
    QTRY_COMPARE(model.rowCount(), 50);
    QCOMPARE(inserted.count(), 1); // one batch, not 50 inserts
    QCOMPARE(model.index(3, FrameModel::Op).data().toString(), u"0 DISPATCH"_s);
    QCOMPARE(model.index(3, FrameModel::Type).data().toString(), u"MESSAGE_CREATE"_s);
    QCOMPARE(model.index(3, FrameModel::Seq).data().toString(), u"3"_s);
    // UTC like the feed, whatever the machine's zone (CTest runs this suite with TZ=JST-9).
    QCOMPARE(model.index(3, FrameModel::Time).data().toString(), u"22:13:20.000"_s);
    QVERIFY(model.index(3, 0).data(FrameModel::JsonRole).toString().contains(u"\"op\": 0"_s));
}

void tst_FrameModel::ringIsBounded()
{
    FrameModel model;
    model.setCapacity(100);
    for (int i = 0; i < 250; ++i)
        model.addFrame(frame(1, {}, -1, QByteArray::number(i)));
    model.flush();
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.totalReceived(), quint64(250));
    QCOMPARE(model.index(0, 0).data(FrameModel::JsonRole).toString(), u"150"_s);
}

void tst_FrameModel::pauseHoldsFrames()
{
    FrameModel model;
    model.addFrame(frame(11));
    model.flush();
    model.setPaused(true);
    for (int i = 0; i < 5; ++i)
        model.addFrame(frame(1));
    model.flush(); // explicit flush while paused would show them; the timer must not
    model.setPaused(false);
    QCOMPARE(model.rowCount(), 6);

    model.setPaused(true);
    model.addFrame(frame(1));
    QTest::qWait(250); // the batch interval passes while paused: nothing may appear
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.heldCount(), 1);
    model.setPaused(false);
    QCOMPARE(model.rowCount(), 7);
}

void tst_FrameModel::secretsNeverShown()
{
    // The client redacts the token; if a frame still carried it, the view must hide it anyway.
    const QString token = u"MTIzNDU2Nzg5.SECRET-TOKEN-xyzzy"_s;
    Redaction::registerSecret(token);
    FrameModel model;
    const QByteArray json = R"({"op":2,"d":{"token":")" + token.toUtf8()
                            + R"(","intents":513,"properties":{"os":"linux"}}})";
    model.addFrame(frame(2, {}, -1, json));
    model.flush();
    for (int column = 0; column < model.columnCount(); ++column) {
        for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(FrameModel::JsonRole)}) {
            const QString text = model.index(0, column).data(role).toString();
            QVERIFY2(!text.contains(u"SECRET-TOKEN"_s), qPrintable(text));
        }
    }
    QVERIFY(model.index(0, 0).data(FrameModel::JsonRole).toString().contains(u"[redacted]"_s));
}

QTEST_MAIN(tst_FrameModel)
void tst_FrameModel::rejectedFrameIsMarked()
{
    FrameModel model;
    FrameRecord bad = frame(0, u"MESSAGE_CREATE"_s, 4, R"({"op":0,"t":"MESSAGE_CREATE","d":[]})");
    bad.rejected = u"MESSAGE_CREATE without an object as \"d\""_s;
    model.addFrame(frame(0, u"MESSAGE_CREATE"_s, 3));
    model.addFrame(bad);
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, FrameModel::Type).data().toString(), u"MESSAGE_CREATE"_s);
    QVERIFY(model.index(1, FrameModel::Type).data().toString().contains(u"rejected"_s));
    // The mark is the warning icon, not a character (U+26A0) that a font may lack.
    QVERIFY(!model.index(1, FrameModel::Type).data().toString().contains(u'\u26A0'));
    QVERIFY(!model.index(1, FrameModel::Type).data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(model.index(0, FrameModel::Type).data(Qt::DecorationRole).isNull());
    QVERIFY(model.index(1, FrameModel::Seq)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(bad.rejected));
    QVERIFY(model.index(1, FrameModel::Type).data(Qt::ForegroundRole).isValid());
    QVERIFY(!model.index(0, FrameModel::Type).data(Qt::ForegroundRole).isValid());
}

void tst_FrameModel::directionIsAnIcon()
{
    FrameModel model;
    FrameRecord sent = frame(1);
    sent.direction = FrameRecord::Direction::Outgoing;
    model.addFrame(frame(11));
    model.addFrame(sent);
    model.flush();
    const QModelIndex received = model.index(0, FrameModel::Direction);
    const QModelIndex outgoing = model.index(1, FrameModel::Direction);
    // No arrow characters (⇣ ⇡ show as boxes in fonts that lack them): an icon per direction.
    QVERIFY(received.data().toString().isEmpty());
    QVERIFY(outgoing.data().toString().isEmpty());
    const QIcon in = received.data(Qt::DecorationRole).value<QIcon>();
    const QIcon out = outgoing.data(Qt::DecorationRole).value<QIcon>();
    QVERIFY(!in.isNull());
    QVERIFY(!out.isNull());
    QVERIFY(in.pixmap(16).toImage() != out.pixmap(16).toImage());
    // The words stay for the tooltip and screen readers.
    QCOMPARE(received.data(Qt::ToolTipRole).toString(), u"received"_s);
    QCOMPARE(outgoing.data(Qt::ToolTipRole).toString(), u"sent"_s);
    QCOMPARE(received.data(Qt::AccessibleTextRole).toString(), u"received"_s);
    QCOMPARE(outgoing.data(Qt::AccessibleTextRole).toString(), u"sent"_s);
}

#include "tst_framemodel.moc"
