#include "ui/healthpanel.h"
#include "ui/latencychart.h"
#include "ui/statebadge.h"

#include <QDateTime>
#include <QLabel>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

class tst_HealthPanel : public QObject
{
    Q_OBJECT

private slots:
    void stateBadge_data();
    void stateBadge();
    void latency();
    void session();
    void metrics();
    void identifyBudget();

private:
    static QString label(const HealthPanel &panel, const QString &name)
    {
        const auto *l = panel.findChild<QLabel *>(name);
        return l ? l->text() : u"<missing %1>"_s.arg(name);
    }
};

void tst_HealthPanel::stateBadge_data()
{
    QTest::addColumn<GatewayClient::State>("state");
    QTest::addColumn<QString>("text");
    QTest::newRow("ready") << GatewayClient::State::Ready << u"Ready"_s;
    QTest::newRow("failed") << GatewayClient::State::Failed << u"Failed"_s;
    QTest::newRow("resuming") << GatewayClient::State::Resuming << u"Resuming…"_s;
}

void tst_HealthPanel::stateBadge()
{
    QFETCH(GatewayClient::State, state);
    QFETCH(QString, text);
    HealthPanel panel;
    panel.setState(state);
    QCOMPARE(panel.stateBadge()->state(), state);
    QCOMPARE(panel.stateBadge()->text(), text);
}

void tst_HealthPanel::latency()
{
    HealthPanel panel;
    QCOMPARE(panel.latencyText(), u"—"_s);
    panel.setLatency(42, 45);
    QCOMPARE(panel.latencyText(), u"42 ms"_s);
    QCOMPARE(label(panel, u"smoothedValue"_s), u"avg 45 ms"_s);
    QCOMPARE(panel.latencyChart()->sampleCount(), 1);
    panel.addAckMiss();
    QCOMPARE(panel.latencyChart()->ackMissCount(), 1);
}

void tst_HealthPanel::session()
{
    HealthPanel panel;
    SessionInfo info;
    info.sessionId = u"3f9a77c0d1e2f3a4b5c6"_s;
    info.resumeGatewayUrl = QUrl(u"wss://gateway-us-east1-b.discord.gg"_s);
    info.shardId = 0;
    info.shardCount = 2;
    panel.setSession(info);
    QCOMPARE(label(panel, u"sessionValue"_s), u"session 3f9a77c0…"_s);
    QCOMPARE(label(panel, u"resumeHostValue"_s), u"resume via gateway-us-east1-b.discord.gg"_s);
    QCOMPARE(label(panel, u"shardValue"_s), u"shard 0/2"_s);
}

void tst_HealthPanel::metrics()
{
    HealthPanel panel;
    GatewayMetrics m;
    m.lastSeq = 18234;
    m.eventsPerSecond = 120;
    m.wireBytesIn = 1024 * 1024;
    m.inflatedBytesIn = 5 * 1024 * 1024;
    m.identifies = 1;
    m.resumes = 3;
    m.reconnects = 4;
    m.ackMisses = 2;
    m.dispatchesByType = {{u"MESSAGE_CREATE"_s, 100}, {u"TYPING_START"_s, 10}};
    panel.setMetrics(m);
    QCOMPARE(label(panel, u"seqValue"_s), u"18,234"_s);
    QCOMPARE(label(panel, u"eventsPerSecondValue"_s), u"120"_s);
    QCOMPARE(label(panel, u"wireBytesValue"_s), u"1.0 MB"_s);
    QCOMPARE(label(panel, u"inflatedBytesValue"_s), u"5.0 MB"_s);
    QCOMPARE(label(panel, u"ratioValue"_s), u"20.0 %"_s);
    QCOMPARE(label(panel, u"identifiesValue"_s), u"1"_s);
    QCOMPARE(label(panel, u"resumesValue"_s), u"3"_s);
    QCOMPARE(label(panel, u"reconnectsValue"_s), u"4"_s);
    QCOMPARE(label(panel, u"ackMissValue"_s), u"2 missed ACKs"_s);
    QCOMPARE(label(panel, u"uptimeValue"_s), u"—"_s);

    // The next refresh shows the busiest types by their growth.
    m.dispatchesByType[u"MESSAGE_CREATE"_s] = 400;
    m.dispatchesByType[u"TYPING_START"_s] = 20;
    m.connectedSinceMs = QDateTime::currentMSecsSinceEpoch() - 65'000;
    panel.setMetrics(m);
    const QString top = label(panel, u"topTypesValue"_s);
    QVERIFY2(top.startsWith(u"MESSAGE_CREATE"_s), qPrintable(top));
    QVERIFY2(top.contains(u"TYPING_START"_s), qPrintable(top));
    QVERIFY2(label(panel, u"uptimeValue"_s).startsWith(u"1 min"_s),
             qPrintable(label(panel, u"uptimeValue"_s)));
}

void tst_HealthPanel::identifyBudget()
{
    HealthPanel panel;
    GatewayBotInfo info;
    info.sessionStartTotal = 1000;
    info.sessionStartRemaining = 998;
    panel.setBotInfo(info);
    QCOMPARE(label(panel, u"budgetValue"_s), u"998 / 1,000"_s);
}

QTEST_MAIN(tst_HealthPanel)
#include "tst_healthpanel.moc"
