#include "core/fleet/fleetpublisher.h"
#include "core/fleet/fleetshardsmodel.h"
#include "core/fleet/fleetsubscriber.h"
#include "core/store/messagestore.h"
#include "redisserver.h"
#include "ui/feedview.h"
#include "ui/mainwindow.h"
#include "ui/openfleetdialog.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

/// "Open fleet…": the dialog, and a window subscribed to a real redis-server that a
/// FleetPublisher writes to.
class tst_OpenFleet : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void dialogReadsThePasswordFileAndNeverSavesAPassword();
    void dialogRefusesAUrlWithAPassword();
    void windowShowsEveryShardOfTheFleetAndItsMessages();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {

/// @p count MESSAGE_CREATE events of @p shard from sequence @p firstSeq.
GatewayEventBatch messages(int shard, qint64 firstSeq, int count)
{
    GatewayEventBatch batch;
    for (int i = 0; i < count; ++i) {
        const qint64 seq = firstSeq + i;
        GatewayEvent event;
        event.type = u"MESSAGE_CREATE"_s;
        event.shard = shard;
        event.seq = seq;
        event.rawData = QByteArray(R"({"id":")" + QByteArray::number(100000 * (shard + 1) + seq)
                                   + R"(","channel_id":"11","guild_id":"22","type":0,)"
                                   + R"("author":{"id":"33","username":"ana"},"content":"shard )"
                                   + QByteArray::number(shard) + " seq " + QByteArray::number(seq)
                                   + R"(","timestamp":"2026-01-02T03:04:05.000000+00:00"})");
        batch.append(event);
    }
    return batch;
}

ShardStats healthOf(int shard)
{
    ShardStats row;
    row.shard = shard;
    row.state = GatewayClient::State::Ready;
    row.latencyMs = 40 + shard;
    row.lastSeq = 3;
    return row;
}

} // namespace

void tst_OpenFleet::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"GatescopeTest"_s);
    QCoreApplication::setApplicationName(u"tst_openfleet"_s);
}

void tst_OpenFleet::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                       m_dir->filePath(u"settings"_s));
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir->filePath(u"settings"_s));
}

void tst_OpenFleet::cleanup()
{
    m_dir.reset();
}

void tst_OpenFleet::dialogReadsThePasswordFileAndNeverSavesAPassword()
{
    const QString path = m_dir->filePath(u"redis-password"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("s3cret-from-file\n");
    file.close();

    OpenFleetDialog dialog;
    dialog.urlEdit()->setText(u"rediss://redis.example:6380/bots"_s);
    dialog.passwordFileEdit()->setText(path);
    dialog.fromNowBox()->setChecked(true);
    QString error;
    std::optional<RedisEndpoint> endpoint = dialog.endpoint(&error);
    QVERIFY2(endpoint, qPrintable(error));
    QCOMPARE(endpoint->host, u"redis.example"_s);
    QCOMPARE(endpoint->port, 6380);
    QVERIFY(endpoint->tls);
    QCOMPARE(endpoint->prefix, u"bots"_s);
    QCOMPARE(endpoint->password, "s3cret-from-file");
    QVERIFY(dialog.fromNow());

    // A typed password wins, for this run: the settings keep where it came from, never it.
    dialog.passwordEdit()->setText(u"typed-secret"_s);
    endpoint = dialog.endpoint(&error);
    QVERIFY(endpoint);
    QCOMPARE(endpoint->password, "typed-secret");
    {
        QSettings settings;
        dialog.saveSettings(settings);
    }
    QSettings settings;
    for (const QString &key : settings.allKeys()) {
        QVERIFY2(!settings.value(key).toString().contains(u"secret"_s), qPrintable(key));
    }
    OpenFleetDialog again;
    again.loadSettings(settings);
    QCOMPARE(again.urlEdit()->text(), u"rediss://redis.example:6380/bots"_s);
    QCOMPARE(again.passwordFileEdit()->text(), path);
    QVERIFY(again.passwordEdit()->text().isEmpty());
    QVERIFY(again.fromNowBox()->isChecked());

    // A file that cannot be read is an error that names it.
    dialog.passwordEdit()->clear();
    dialog.passwordFileEdit()->setText(m_dir->filePath(u"missing"_s));
    QVERIFY(!dialog.endpoint(&error));
    QVERIFY2(error.contains(u"missing"_s), qPrintable(error));
}

void tst_OpenFleet::dialogRefusesAUrlWithAPassword()
{
    OpenFleetDialog dialog;
    dialog.urlEdit()->setText(u"redis://:pw@127.0.0.1:6379"_s);
    QString error;
    QVERIFY(!dialog.endpoint(&error));
    QVERIFY(!error.isEmpty());
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected)); // stays open with the error shown
}

void tst_OpenFleet::windowShowsEveryShardOfTheFleetAndItsMessages()
{
    if (!RedisServer::available())
        QSKIP(qPrintable(RedisServer::skipReason()));
    RedisServer server;
    QVERIFY(server.start());
    const RedisEndpoint endpoint = *RedisEndpoint::parse(server.url(u"fleet"_s), nullptr);

    FleetPublisher::Options options;
    options.collectorId = u"host-a"_s;
    FleetPublisher publisher(endpoint, options);
    QSignalSpy up(publisher.connection(), &RedisConnection::connected);
    publisher.open();
    QVERIFY(up.wait(20000));
    publisher.publish(messages(0, 1, 3));
    publisher.publish(messages(1, 1, 3));
    publisher.publishHealth({healthOf(0), healthOf(1)});
    QTRY_COMPARE_WITH_TIMEOUT(publisher.published(), 6, 20000);

    MainWindow window;
    window.show();
    window.subscribeToFleet(endpoint, false);
    QVERIFY(window.fleetSubscriber());
    QVERIFY(window.windowTitle().contains(u"fleet"_s));

    // Every message of both shards reaches the store and the feed.
    QTRY_COMPARE_WITH_TIMEOUT(window.store()->count(), 6, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(window.feedView()->model()->rowCount(), 6, 30000);

    // The Shards dock shows both shards with their collector and health.
    auto *shardsView = window.findChild<QTableView *>(u"shardsView"_s);
    QVERIFY(shardsView);
    QCOMPARE(shardsView->model(), window.fleetShards());
    FleetShardsModel *shards = window.fleetShards();
    QTRY_COMPARE_WITH_TIMEOUT(shards->rowCount(), 2, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(shards->index(1, FleetShardsModel::State).data().toString(),
                              u"Ready"_s, 30000);
    for (int row = 0; row < 2; ++row) {
        QCOMPARE(shards->index(row, FleetShardsModel::Collector).data().toString(), u"host-a"_s);
        QCOMPARE(shards->index(row, FleetShardsModel::Shard).data().toInt(), row);
    }
    QCOMPARE(shards->index(1, FleetShardsModel::Latency).data().toString(), u"41 ms"_s);

    // A jump in shard 0's sequence (4 and 5 never published) shows as a gap of 2.
    publisher.publish(messages(0, 6, 1));
    QTRY_COMPARE_WITH_TIMEOUT(shards->index(0, FleetShardsModel::Missing)
                                      .data(FleetShardsModel::MissingRole)
                                      .toLongLong(),
                              2, 30000);
    QVERIFY(shards->index(0, FleetShardsModel::Missing).data().toString().contains(u'2'));
    QTRY_COMPARE_WITH_TIMEOUT(window.store()->count(), 7, 30000);

    // A collector without health for more than 5 s is stale (the subscriber's clock, a minute
    // ahead, rather than a wait).
    window.fleetSubscriber()->setClock([] { return QDateTime::currentMSecsSinceEpoch() + 60000; });
    QTRY_COMPARE_WITH_TIMEOUT(shards->index(0, FleetShardsModel::State).data().toString(),
                              u"Stale"_s, 30000);
    QVERIFY(shards->index(1, FleetShardsModel::State).data(FleetShardsModel::StaleRole).toBool());

    // A replay (or a connection) takes the fleet's place: the dock shows the connection again.
    window.replayRecording(m_dir->filePath(u"none.jsonl"_s), 0);
    QVERIFY(!window.fleetSubscriber());
    QVERIFY(shardsView->model() != shards);
    QVERIFY(!window.windowTitle().contains(u"fleet"_s));
}

QTEST_MAIN(tst_OpenFleet)
#include "tst_openfleet.moc"
