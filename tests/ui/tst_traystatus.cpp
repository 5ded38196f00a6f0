#include "core/connection/shardstatsmodel.h"
#include "ui/traystatus.h"

#include <QImage>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using State = GatewayClient::State;
using Level = TrayStatus::Level;

class tst_TrayStatus : public QObject
{
    Q_OBJECT

private slots:
    void levelOfOneShard_data();
    void levelOfOneShard();
    void worstOverShards_data();
    void worstOverShards();
    void iconIsDrawnInTheLevelsColour_data();
    void iconIsDrawnInTheLevelsColour();
};

void tst_TrayStatus::levelOfOneShard_data()
{
    QTest::addColumn<State>("state");
    QTest::addColumn<bool>("silent");
    QTest::addColumn<Level>("level");
    QTest::newRow("disconnected") << State::Disconnected << false << Level::Idle;
    QTest::newRow("connecting") << State::Connecting << false << Level::Warning;
    QTest::newRow("identifying") << State::Identifying << false << Level::Warning;
    QTest::newRow("resuming") << State::Resuming << false << Level::Warning;
    QTest::newRow("reconnecting") << State::Reconnecting << false << Level::Warning;
    QTest::newRow("ready") << State::Ready << false << Level::Ok;
    QTest::newRow("ready but silent") << State::Ready << true << Level::Warning;
    QTest::newRow("failed") << State::Failed << false << Level::Error;
}

void tst_TrayStatus::levelOfOneShard()
{
    QFETCH(State, state);
    QFETCH(bool, silent);
    QFETCH(Level, level);
    QCOMPARE(TrayStatus::levelOf(state, silent), level);
}

void tst_TrayStatus::worstOverShards_data()
{
    QTest::addColumn<QList<State>>("states");
    QTest::addColumn<int>("silentShard"); // -1 = none
    QTest::addColumn<bool>("budgetWarning");
    QTest::addColumn<Level>("level");
    QTest::newRow("nothing") << QList<State>{} << -1 << false << Level::Idle;
    QTest::newRow("all ready") << QList<State>{State::Ready, State::Ready} << -1 << false
                               << Level::Ok;
    QTest::newRow("one silent") << QList<State>{State::Ready, State::Ready} << 1 << false
                                << Level::Warning;
    QTest::newRow("one failed, one reconnecting")
            << QList<State>{State::Failed, State::Reconnecting} << -1 << false << Level::Error;
    QTest::newRow("range partly up")
            << QList<State>{State::Ready, State::Disconnected} << -1 << false << Level::Warning;
    QTest::newRow("budget warning") << QList<State>{State::Ready} << -1 << true << Level::Warning;
    QTest::newRow("budget warning, not connected")
            << QList<State>{State::Disconnected} << -1 << true << Level::Idle;
}

void tst_TrayStatus::worstOverShards()
{
    QFETCH(QList<State>, states);
    QFETCH(int, silentShard);
    QFETCH(bool, budgetWarning);
    QFETCH(Level, level);
    ShardStatsModel model;
    QList<int> shards;
    for (int i = 0; i < states.size(); ++i)
        shards.append(i);
    model.resetShards(shards);
    for (int i = 0; i < states.size(); ++i)
        model.setState(i, states.at(i));
    if (silentShard >= 0) {
        ShardHealthFacts facts;
        facts.shard = silentShard;
        facts.silent = true;
        model.applyHealth({facts});
    }
    QCOMPARE(TrayStatus::worst(model, budgetWarning), level);
}

void tst_TrayStatus::iconIsDrawnInTheLevelsColour_data()
{
    QTest::addColumn<Level>("level");
    QTest::newRow("idle") << Level::Idle;
    QTest::newRow("ok") << Level::Ok;
    QTest::newRow("warning") << Level::Warning;
    QTest::newRow("error") << Level::Error;
}

void tst_TrayStatus::iconIsDrawnInTheLevelsColour()
{
    QFETCH(Level, level);
    const QIcon icon = TrayStatus::icon(level);
    QVERIFY(!icon.isNull());
    QCOMPARE(icon.availableSizes().size(), 4);
    const QImage image = icon.pixmap(32, 32).toImage();
    QCOMPARE(image.size(), QSize(32, 32));
    // Below the highlight, the disc is the level's colour; the corners stay transparent.
    QCOMPARE(image.pixelColor(16, 24).rgb(), TrayStatus::color(level).rgb());
    QCOMPARE(image.pixelColor(0, 0).alpha(), 0);
    // The four levels are told apart by colour alone.
    for (Level other : {Level::Idle, Level::Ok, Level::Warning, Level::Error}) {
        if (other != level)
            QVERIFY(TrayStatus::color(other) != TrayStatus::color(level));
    }
}

QTEST_MAIN(tst_TrayStatus)
#include "tst_traystatus.moc"
