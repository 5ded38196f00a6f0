#include "core/metrics/metricsregistry.h"

#include <QTest>

#include <memory>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_MetricsRegistry : public QObject
{
    Q_OBJECT

private slots:
    void providersRunInOrder();
    void removedProviderIsNotAsked();
    void providerGoesWithItsContext();
};

void tst_MetricsRegistry::providersRunInOrder()
{
    MetricsRegistry registry;
    registry.addProvider([](MetricsSnapshot &s) { s.addGauge(u"b"_s, u"h"_s, 1); });
    registry.addProvider([](MetricsSnapshot &s) { s.addGauge(u"a"_s, u"h"_s, 2); });
    const MetricsSnapshot snapshot = registry.collect();
    QCOMPARE(snapshot.families().size(), 2);
    QCOMPARE(snapshot.families().at(0).name, u"b"_s);
    QCOMPARE(snapshot.value(u"a"_s), 2.0);
}

void tst_MetricsRegistry::removedProviderIsNotAsked()
{
    MetricsRegistry registry;
    int calls = 0;
    const int id = registry.addProvider([&calls](MetricsSnapshot &) { ++calls; });
    registry.collect();
    registry.removeProvider(id);
    registry.collect();
    QCOMPARE(calls, 1);
    QCOMPARE(registry.providerCount(), 0);
}

void tst_MetricsRegistry::providerGoesWithItsContext()
{
    MetricsRegistry registry;
    auto context = std::make_unique<QObject>();
    int value = 7;
    registry.addProvider([&value](MetricsSnapshot &s) { s.addGauge(u"v"_s, u"h"_s, value); },
                         context.get());
    QCOMPARE(registry.collect().value(u"v"_s), 7.0);
    context.reset();
    QVERIFY(registry.collect().families().isEmpty());
    QCOMPARE(registry.providerCount(), 0);
}

QTEST_GUILESS_MAIN(tst_MetricsRegistry)
#include "tst_metricsregistry.moc"
