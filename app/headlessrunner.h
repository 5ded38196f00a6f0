#pragma once

#include "app/appoptions.h"
#include "app/eventlineformatter.h"
#include "core/connection/connectioncontroller.h"
#include "core/connection/identifybudget.h"
#include "core/connection/shardhealth.h"
#include "core/connection/shardstatsmodel.h"
#include "core/fleet/fleetpublisher.h"
#include "core/fleet/fleetsubscriber.h"
#include "core/fleet/identifylock.h"
#include "core/io/csvsink.h"
#include "core/metrics/metricsregistry.h"
#include "core/metrics/metricsserver.h"
#include "core/store/directory.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTextStream>
#include <QTimer>

#include <memory>

namespace Gatescope::App {

/// The headless front end of the ConnectionController: one connection (live or replay) or a
/// range of shards, one line per event on stdout (unless quiet), state, latency and errors on
/// stderr, the CSV, the recording (through the controller) and the --stats-json line at exit.
/// Emits finished() with the process exit code. With a range, sequence numbers are written
/// `#shard:seq` and status lines start with `shard N:`. A silent shard (ShardHealth) and the
/// identify budget's warning (IdentifyBudget) get status lines and `--stats-json` entries.
class HeadlessRunner : public QObject
{
    Q_OBJECT

public:
    explicit HeadlessRunner(const AppOptions &options, QObject *parent = nullptr);

    /// Opens the outputs (CSV, recording) and checks the replay file. False, with a one-line
    /// @p error, when one cannot be opened; call it before anything else starts.
    bool prepare(QString *error);
    /// Connects with @p config (or starts the replay, or the range). False, with @p error,
    /// for a range the manager refuses.
    bool start(const GatewayConfig &config, QString *error);
    /// Stops cleanly: closes with 1000 (with --session-file: 4000, saving the sessions),
    /// flushes every output, prints the stats line.
    void stop(int exitCode);
    /// One line on stderr, with the time; redacted.
    void status(const QString &line);

signals:
    void finished(int exitCode);

private:
    void wireController();
    /// Status lines for the silent-shard alarm and the identify budget's warning.
    void wireAlarms();
    QString tag(int shard) const;
    void onEvents(const GatewayEventBatch &events);
    void onEvent(const GatewayEvent &event);
    void onMessageCreated(const GatewayEvent &event);
    /// --csv-events: the update, delete or delete_bulk rows of @p event (nothing for others).
    void appendCsvEvent(const GatewayEvent &event);
    /// A message event without a usable `d` or id: counted, reported on stderr, never printed
    /// or exported.
    void onRejected(const GatewayEvent &event);
    void onFatal(int shard, int closeCode, const QString &explanation);
    void printLine(const QString &line);
    void printStats();
    /// --metrics-listen: registers the series and starts serving. False, with @p error.
    bool startMetrics(QString *error);
    /// --publish: the publisher, its health timer and its status lines.
    void startPublishing();
    /// The end of stop(), once the publisher (if any) wrote what it could.
    void finishStop(int exitCode);
    QJsonObject fleetStats() const;
    QList<ShardStats> healthRows() const;
    /// --subscribe: the fleet's streams are the source instead of a gateway.
    void startSubscribing();
    QJsonObject subscriberStats() const;

    AppOptions m_options;
    ConnectionController m_controller;
    ShardStatsModel m_shardStats; ///< the `shards` of --stats-json
    ShardHealth m_health; ///< the silent-shard alarm; its facts go into m_shardStats
    IdentifyBudget m_budget; ///< `identify_budget` of --stats-json, and its warning line
    Directory m_directory;
    EventLineFormatter m_lines{&m_directory};
    CsvSink m_csv;
    QTextStream m_out;
    QTextStream m_err;
    QElapsedTimer m_elapsed;
    qint64 m_messages = 0;
    qint64 m_rejected = 0; ///< malformed message events skipped
    qint64 m_firstReadyMs = -1;
    qint64 m_lastMessageMs = -1;
    bool m_stopping = false;
    bool m_handlingBatch = false; ///< inside onEvents()
    /// --metrics-listen; declared last, so it stops serving before what its providers read goes.
    MetricsRegistry m_metricsRegistry;
    MetricsServer m_metricsServer{&m_metricsRegistry};
    std::unique_ptr<FleetPublisher> m_publisher; ///< --publish
    QTimer m_healthTimer; ///< --publish: each shard's health, once a second
    QTimer m_unreachableTimer; ///< --publish: repeats the outage line while Redis is down
    std::unique_ptr<FleetSubscriber> m_subscriber; ///< --subscribe
    std::unique_ptr<IdentifyLock> m_identifyLock; ///< --publish: the fleet's identify budget
};

} // namespace Gatescope::App
