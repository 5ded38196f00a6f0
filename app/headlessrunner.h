#pragma once

#include "app/appoptions.h"
#include "app/eventlineformatter.h"
#include "core/connection/connectioncontroller.h"
#include "core/connection/identifybudget.h"
#include "core/connection/shardhealth.h"
#include "core/connection/shardstatsmodel.h"
#include "core/io/csvsink.h"
#include "core/store/directory.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTextStream>

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
    /// Stops cleanly: closes with 1000, flushes every output, prints the stats line.
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
};

} // namespace Gatescope::App
