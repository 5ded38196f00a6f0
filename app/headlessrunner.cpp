#include "app/headlessrunner.h"

#include "core/gateway/redaction.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace Gatescope::App {

HeadlessRunner::HeadlessRunner(const AppOptions &options, GatewayClient *client, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_client(client)
    , m_out(stdout)
    , m_err(stderr)
{
    attachClient(m_client, -1);
    connect(m_client, &GatewayClient::fatalError, this, &HeadlessRunner::onFatal);
}

HeadlessRunner::HeadlessRunner(const AppOptions &options, ShardManager *shards, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_shards(shards)
    , m_out(stdout)
    , m_err(stderr)
{
    connect(m_shards, &ShardManager::clientsChanged, this, &HeadlessRunner::attachNewShards);
    connect(m_shards, &ShardManager::stateChanged, this, [this](GatewayClient::State state) {
        status(u"state of shards %1-%2: %3"_s.arg(m_shards->firstShard())
                       .arg(m_shards->lastShard())
                       .arg(GatewayClient::stateName(state)));
    });
    connect(m_shards, &ShardManager::discoveryFinished, this, [this](const GatewayBotInfo &info) {
        status(u"discovery: %1 shards recommended, max_concurrency %2, %3 of %4 session starts "
               "left"_s.arg(info.shards)
                       .arg(info.maxConcurrency)
                       .arg(info.sessionStartRemaining)
                       .arg(info.sessionStartTotal));
    });
    connect(m_shards, &ShardManager::errorOccurred, this, [this](const QString &message) {
        status(u"error: "_s + message);
        stop(ExitError);
    });
    connect(m_shards, &ShardManager::fatalError, this,
            [this](int shard, int code, const QString &explanation) {
                if (shard >= 0)
                    status(u"shard %1: stopping every shard"_s.arg(shard));
                onFatal(code, explanation);
            });
}

void HeadlessRunner::attachNewShards()
{
    for (GatewayClient *client : m_shards->clients()) {
        if (m_attached.contains(client))
            continue;
        m_attached.append(client);
        attachClient(client, client->config().shardId);
    }
}

void HeadlessRunner::attachClient(GatewayClient *client, int shard)
{
    const QString tag = shard >= 0 ? u"shard %1: "_s.arg(shard) : QString();
    connect(client, &GatewayClient::stateChanged, this, [this, tag](GatewayClient::State state) {
        status(tag + u"state: "_s + GatewayClient::stateName(state));
    });
    connect(client, &GatewayClient::eventsReady, this, &HeadlessRunner::onEvents);
    connect(client, &GatewayClient::latencyChanged, this, [this, tag](int last, int smoothed) {
        status(tag + u"latency: %1 ms (smoothed %2 ms)"_s.arg(last).arg(smoothed));
    });
    connect(client, &GatewayClient::heartbeatAckMissed, this,
            [this, tag] { status(tag + u"heartbeat: no ACK since the last beat"_s); });
    connect(client, &GatewayClient::connectionError, this,
            [this, tag](const QString &message) { status(tag + u"error: "_s + message); });
    connect(client, &GatewayClient::disconnected, this,
            [this, tag](int code, const QString &reason, GatewayClient::Initiator initiator,
                        CloseCodes::Action action) {
                if (initiator == GatewayClient::Initiator::User)
                    status(tag + u"disconnected: closed with %1 as asked"_s.arg(code));
                else
                    status(tag
                           + u"disconnected: %1 %2 -> %3"_s.arg(code).arg(
                                   reason, CloseCodes::actionName(action)));
            });
    connect(client, &GatewayClient::reconnectScheduled, this,
            [this, tag](int attempt, int delayMs) {
                status(tag + u"reconnecting (attempt %1) in %2 ms"_s.arg(attempt).arg(delayMs));
            });
    connect(client, &GatewayClient::sessionEstablished, this,
            [this, tag](const QString &sessionId, bool resumed, int replayed) {
                if (m_firstReadyMs < 0)
                    m_firstReadyMs = m_elapsed.elapsed();
                status(tag
                       + (resumed ? u"resumed session %1 (%2 events replayed)"_s
                                            .arg(sessionId.left(8))
                                            .arg(replayed)
                                  : u"session %1 ready"_s.arg(sessionId.left(8))));
            });
}

bool HeadlessRunner::openOutputs(QString *error)
{
    if (!m_options.csvPath.isEmpty()) {
        m_csv.setFilePath(m_options.csvPath);
        if (!m_csv.open()) {
            *error = u"--csv: %1"_s.arg(m_csv.errorString());
            return false;
        }
        connect(&m_csv, &CsvSink::errorOccurred, this,
                [this](const QString &message) { status(u"csv: "_s + message); });
    }
    if (!m_options.recordPath.isEmpty()) {
        if (!m_recorder.open(m_options.recordPath)) {
            *error = u"--record: %1"_s.arg(m_recorder.errorString());
            return false;
        }
        connect(m_client, &GatewayClient::frameLogged, &m_recorder, &FrameRecorder::record);
        connect(m_client, &GatewayClient::disconnected, &m_recorder, &FrameRecorder::recordClose);
        connect(&m_recorder, &FrameRecorder::errorOccurred, this,
                [this](const QString &message) { status(u"record: "_s + message); });
    }
    return true;
}

bool HeadlessRunner::openReplay(QString *error)
{
    if (!m_replayer.open(m_options.replayPath)) {
        *error = u"--replay: %1"_s.arg(m_replayer.errorString());
        return false;
    }
    m_replayer.setSpeed(m_options.replaySpeed);
    connect(&m_replayer, &Replayer::frameReady, m_client, &GatewayClient::replayFrame);
    connect(&m_replayer, &Replayer::corruptLine, this, [this](qint64 line, const QString &reason) {
        status(u"replay: line %1: %2; skipped"_s.arg(line).arg(reason));
    });
    connect(&m_replayer, &Replayer::finished, this, [this] {
        status(u"replay: end of %1: %2 frames, %3 corrupt lines skipped"_s.arg(
                m_options.replayPath, QString::number(m_replayer.framesReplayed()),
                QString::number(m_replayer.corruptLines())));
        stop(ExitOk);
    });
    return true;
}

bool HeadlessRunner::prepare(QString *error)
{
    return (m_options.replayPath.isEmpty() || openReplay(error)) && openOutputs(error);
}

void HeadlessRunner::start()
{
    // One connection stops right after the last wanted message, so its output and its
    // recording end at the same event. (A range's total is counted here, in stop().)
    if (m_client && m_options.exitAfterMessages > 0)
        m_client->setMessageLimit(m_options.exitAfterMessages);
    const bool replay = !m_options.replayPath.isEmpty();
    m_elapsed.start();
    if (m_options.durationS > 0)
        QTimer::singleShot(qint64(m_options.durationS * 1000), this, [this] { stop(ExitOk); });
    if (m_shards) {
        m_shards->open();
    } else if (replay) {
        m_client->beginReplay();
        m_replayer.start();
    } else {
        m_client->open();
    }
}

void HeadlessRunner::status(const QString &line)
{
    m_err << EventLineFormatter::timestamp(QDateTime::currentMSecsSinceEpoch()) << u' '
          << Redaction::redact(line) << Qt::endl;
}

void HeadlessRunner::printLine(const QString &line)
{
    // Flushed per line: a pipe (`| grep`) sees each event when it happens.
    m_out << line << u'\n';
    m_out.flush();
}

void HeadlessRunner::onEvents(const GatewayEventBatch &events)
{
    m_handlingBatch = true;
    for (const GatewayEvent &event : events) {
        if (m_stopping)
            break;
        onEvent(event);
    }
    m_handlingBatch = false;
}

void HeadlessRunner::onEvent(const GatewayEvent &event)
{
    if (event.kind == GatewayEvent::Kind::MessageCreate) {
        onMessageCreated(event);
        return;
    }
    // Only the rare events that name guilds, channels and users are read as a tree here;
    // message updates and deletes only when their line is printed.
    const bool named = !event.isMessageEvent();
    const bool wantLine = !m_options.quiet;
    if (!named && !wantLine)
        return;
    const QJsonObject data = event.data();
    if (named)
        m_directory.handleDispatch(event.type, data);
    if (wantLine)
        printLine(
                m_lines.eventLine(event.receivedMs, lineShard(event), event.seq, event.type, data));
}

void HeadlessRunner::onMessageCreated(const GatewayEvent &event)
{
    ++m_messages;
    m_lastMessageMs = m_elapsed.elapsed();
    const Message &message = event.message;
    m_directory.noteMessage(message);
    if (m_csv.isOpen()) {
        m_csv.append(ExportRow{&message, m_directory.guildName(message.guildId),
                               m_directory.channelName(message.channelId)});
    }
    if (!m_options.quiet)
        printLine(m_lines.messageLine(event.receivedMs, lineShard(event), event.seq, message));
    if (m_options.exitAfterMessages > 0 && m_messages >= m_options.exitAfterMessages)
        stop(ExitOk);
}

int HeadlessRunner::lineShard(const GatewayEvent &event) const
{
    // A lone connection keeps the plain `#seq` even when it runs one chosen shard.
    return m_shards ? event.shard : -1;
}

void HeadlessRunner::flushClients()
{
    if (m_shards) {
        for (GatewayClient *client : m_shards->clients())
            client->flushEvents();
    } else {
        m_client->flushEvents();
    }
}

void HeadlessRunner::onFatal(int closeCode, const QString &explanation)
{
    if (m_client && m_client->isReplaying()) {
        // What ended the recorded run; the replay itself goes on to the end of the file.
        status(u"replay: the recorded run ended with fatal close %1: %2"_s.arg(closeCode).arg(
                explanation));
        return;
    }
    status(u"fatal close %1: %2"_s.arg(closeCode).arg(explanation));
    stop(closeCode == CloseCodes::AuthenticationFailed ? ExitAuthenticationFailed : ExitOtherFatal);
}

void HeadlessRunner::stop(int exitCode)
{
    if (m_stopping)
        return;
    // What was received before the stop is still printed and written (not inside a batch:
    // there the rest of the batch is what would be dropped, after --exit-after-messages).
    if (!m_handlingBatch)
        flushClients();
    m_stopping = true;
    // The stats report how the run ended (Failed, Ready …), not the Disconnected of closing.
    m_stateAtStop = m_shards ? m_shards->state() : m_client->state();
    m_replayer.stop();
    if (m_shards)
        m_shards->close();
    else if (m_client->state() != GatewayClient::State::Failed || m_client->isReplaying())
        m_client->close();
    m_out.flush();
    if (m_csv.isOpen())
        m_csv.close();
    m_recorder.close();
    if (m_options.statsJson)
        printStats();
    m_err.flush();
    emit finished(exitCode);
}

void HeadlessRunner::printStats()
{
    const GatewayMetrics metrics = m_shards ? m_shards->aggregatedMetrics() : m_client->metrics();
    const double ingest = m_firstReadyMs >= 0 && m_lastMessageMs >= m_firstReadyMs
                                  ? double(m_lastMessageMs - m_firstReadyMs) / 1000.0
                                  : 0.0;
    const QJsonObject stats{
            {u"messages"_s, m_messages},
            {u"dispatches"_s, qint64(metrics.dispatches)},
            {u"last_seq"_s, metrics.lastSeq},
            {u"identifies"_s, metrics.identifies},
            {u"resumes"_s, metrics.resumes},
            {u"reconnects"_s, metrics.reconnects},
            {u"bytes_in"_s, qint64(metrics.wireBytesIn)},
            {u"elapsed_s"_s, double(m_elapsed.elapsed()) / 1000.0},
            {u"ingest_s"_s, ingest},
            {u"state"_s, GatewayClient::stateName(m_stateAtStop)},
    };
    m_out << QJsonDocument(stats).toJson(QJsonDocument::Compact) << Qt::endl;
}

} // namespace Gatescope::App
