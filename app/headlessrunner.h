#pragma once

#include "app/appoptions.h"
#include "app/eventlineformatter.h"
#include "core/gateway/gatewayclient.h"
#include "core/gateway/shardmanager.h"
#include "core/io/csvsink.h"
#include "core/io/framerecorder.h"
#include "core/io/replayer.h"
#include "core/store/directory.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTextStream>

namespace Gatescope::App {

/// The headless path of the app: drives one GatewayClient (live, or fed by a Replayer) or a
/// ShardManager's range, prints one line per event on stdout (unless quiet), state, latency and
/// errors on stderr, streams the CSV and the recording, and prints the --stats-json line at
/// exit. Emits finished() with the process exit code. With a range, sequence numbers are
/// written `#shard:seq` and status lines start with `shard N:`.
class HeadlessRunner : public QObject
{
    Q_OBJECT

public:
    HeadlessRunner(const AppOptions &options, GatewayClient *client, QObject *parent = nullptr);
    HeadlessRunner(const AppOptions &options, ShardManager *shards, QObject *parent = nullptr);

    /// Opens the replay and the outputs (CSV, recording). False, with a one-line @p error,
    /// when one cannot be opened; call it before anything else starts.
    bool prepare(QString *error);
    /// Connects, or starts the replay.
    void start();
    /// Stops cleanly: closes with 1000, flushes every output, prints the stats line.
    void stop(int exitCode);
    /// One line on stderr, with the time; redacted.
    void status(const QString &line);

signals:
    void finished(int exitCode);

private:
    bool openOutputs(QString *error);
    bool openReplay(QString *error);
    void attachClient(GatewayClient *client, int shard);
    void attachNewShards();
    void onEvents(const GatewayEventBatch &events);
    void onEvent(const GatewayEvent &event);
    void onMessageCreated(const GatewayEvent &event);
    int lineShard(const GatewayEvent &event) const;
    /// Hands over the events every client still holds (before stopping, so none is lost).
    void flushClients();
    void onFatal(int closeCode, const QString &explanation);
    void printLine(const QString &line);
    void printStats();

    AppOptions m_options;
    GatewayClient *m_client = nullptr; ///< one connection or a replay
    ShardManager *m_shards = nullptr; ///< or a range of shards
    /// m_shards' clients already wired; QPointer, so a new client at a freed address is not
    /// mistaken for one of them.
    QList<QPointer<GatewayClient>> m_attached;
    Directory m_directory;
    EventLineFormatter m_lines{&m_directory};
    CsvSink m_csv;
    FrameRecorder m_recorder;
    Replayer m_replayer;
    QTextStream m_out;
    QTextStream m_err;
    QElapsedTimer m_elapsed;
    qint64 m_messages = 0;
    qint64 m_firstReadyMs = -1;
    qint64 m_lastMessageMs = -1;
    bool m_stopping = false;
    bool m_handlingBatch = false; ///< inside onEvents(): a flush there would re-enter it
    GatewayClient::State m_stateAtStop = GatewayClient::State::Disconnected;
};

} // namespace Gatescope::App
