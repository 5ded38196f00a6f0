#include "core/fleet/fleetshardsmodel.h"
#include "core/gateway/gatewayclient.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

using Attention = FleetShardsModel::Attention;

/// The fleet's shards as the Shards dock shows them: a stale shard and a gap ask for attention
/// (AttentionRole) in the cells that say so, for the window to colour.
class tst_FleetShardsModel : public QObject
{
    Q_OBJECT

private slots:
    void attention_data();
    void attention();
    void stateOfTheHealthEntry();

private:
    static FleetShard shard(int id, bool stale, qint64 missing)
    {
        FleetShard s;
        s.collector = u"host-a"_s;
        s.shard = id;
        s.state = u"Ready"_s;
        s.stale = stale;
        s.missing = missing;
        return s;
    }
};

void tst_FleetShardsModel::attention_data()
{
    QTest::addColumn<bool>("stale");
    QTest::addColumn<qint64>("missing");
    QTest::addColumn<Attention>("state");
    QTest::addColumn<Attention>("gap");
    QTest::newRow("healthy") << false << qint64(0) << Attention::None << Attention::None;
    QTest::newRow("stale") << true << qint64(0) << Attention::Warning << Attention::None;
    QTest::newRow("gap") << false << qint64(3) << Attention::None << Attention::Error;
    QTest::newRow("stale with a gap")
            << true << qint64(1) << Attention::Warning << Attention::Error;
}

void tst_FleetShardsModel::attention()
{
    QFETCH(bool, stale);
    QFETCH(qint64, missing);
    QFETCH(Attention, state);
    QFETCH(Attention, gap);
    FleetShardsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setShards({shard(0, stale, missing)});
    const auto attentionOf = [&](int column) {
        return model.index(0, column).data(FleetShardsModel::AttentionRole).value<Attention>();
    };
    QCOMPARE(attentionOf(FleetShardsModel::State), state);
    QCOMPARE(attentionOf(FleetShardsModel::Missing), gap);
    for (int column : {FleetShardsModel::Collector, FleetShardsModel::Shard,
                       FleetShardsModel::Events, FleetShardsModel::LastClose})
        QCOMPARE(attentionOf(column), Attention::None);
    if (stale)
        QCOMPARE(model.index(0, FleetShardsModel::State).data().toString(), u"Stale"_s);
    if (missing > 0)
        QCOMPARE(model.index(0, FleetShardsModel::Missing).data().toString(),
                 u"gap: %1 missing"_s.arg(missing));
}

void tst_FleetShardsModel::stateOfTheHealthEntry()
{
    FleetShardsModel model;
    FleetShard reconnecting = shard(1, false, 0);
    reconnecting.state = u"Reconnecting"_s;
    FleetShard unknown = shard(2, false, 0);
    unknown.state = u"Sleeping"_s;
    FleetShard none = shard(3, false, 0);
    none.state.clear();
    model.setShards({shard(0, false, 0), reconnecting, unknown, none});
    const auto stateOf = [&](int row) {
        return model.index(row, FleetShardsModel::State).data(FleetShardsModel::StateRole);
    };
    QCOMPARE(stateOf(0).value<GatewayClient::State>(), GatewayClient::State::Ready);
    QCOMPARE(stateOf(1).value<GatewayClient::State>(), GatewayClient::State::Reconnecting);
    QVERIFY(!stateOf(2).isValid()); // a name this build does not know
    QVERIFY(!stateOf(3).isValid()); // no health yet
}

QTEST_GUILESS_MAIN(tst_FleetShardsModel)
#include "tst_fleetshardsmodel.moc"
