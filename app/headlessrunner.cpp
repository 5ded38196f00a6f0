#include "app/headlessrunner.h"

#include "app/statusline.h"
#include "core/connection/durationtext.h"
#include "core/gateway/redaction.h"
#include "core/gateway/snowflake.h"
#include "core/io/replayer.h"
#include "core/metrics/connectionmetrics.h"
#include "core/metrics/processmetrics.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopedValueRollback>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace Gatescope::App {

HeadlessRunner::HeadlessRunner(const AppOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_out(stdout)
    , m_err(stderr)
{
    wireController();
    if (m_options.publish)
        startPublishing();
    wireAlarms();
}

QString HeadlessRunner::tag(int shard) const
{
    return shard >= 0 ? u"shard %1: "_s.arg(shard) : QString();
}

void HeadlessRunner::wireController()
{
    ConnectionController *c = &m_controller;
    m_shardStats.attach(c);
    connect(c, &ConnectionController::eventsReady, this, &HeadlessRunner::onEvents);
    connect(c, &ConnectionController::stateChanged, this, [this](GatewayClient::State state) {
        if (m_controller.isRange())
            status(u"state of shards %1-%2: %3"_s.arg(m_options.firstShard)
                           .arg(m_options.lastShard)
                           .arg(GatewayClient::stateName(state)));
        else
            status(u"state: "_s + GatewayClient::stateName(state));
    });
    connect(c, &ConnectionController::shardStateChanged, this,
            [this](int shard, GatewayClient::State state) {
                status(tag(shard) + u"state: "_s + GatewayClient::stateName(state));
            });
    connect(c, &ConnectionController::latencyChanged, this,
            [this](int shard, int last, int smoothed) {
                status(tag(shard) + u"latency: %1 ms (smoothed %2 ms)"_s.arg(last).arg(smoothed));
            });
    connect(c, &ConnectionController::heartbeatAckMissed, this,
            [this](int shard) { status(tag(shard) + u"heartbeat: no ACK since the last beat"_s); });
    connect(c, &ConnectionController::connectionError, this,
            [this](int shard, const QString &message) {
                status(tag(shard) + u"error: "_s + message);
            });
    connect(c, &ConnectionController::disconnected, this,
            [this](int shard, int code, const QString &reason, GatewayClient::Initiator initiator,
                   CloseCodes::Action action) {
                if (initiator == GatewayClient::Initiator::User)
                    status(tag(shard) + u"disconnected: closed with %1 as asked"_s.arg(code));
                else
                    status(tag(shard)
                           + u"disconnected: %1 %2 -> %3"_s.arg(code).arg(
                                   reason, CloseCodes::actionName(action)));
            });
    connect(c, &ConnectionController::reconnectScheduled, this,
            [this](int shard, int attempt, int delayMs) {
                status(tag(shard)
                       + u"reconnecting (attempt %1) in %2 ms"_s.arg(attempt).arg(delayMs));
            });
    connect(c, &ConnectionController::sessionEstablished, this,
            [this](int shard, const QString &sessionId, bool resumed, int replayed) {
                if (m_firstReadyMs < 0)
                    m_firstReadyMs = m_elapsed.elapsed();
                status(tag(shard)
                       + (resumed ? u"resumed session %1 (%2 events replayed)"_s
                                            .arg(sessionId.left(8))
                                            .arg(replayed)
                                  : u"session %1 ready"_s.arg(sessionId.left(8))));
            });
    connect(c, &ConnectionController::discoveryFinished, this, [this](const GatewayBotInfo &info) {
        if (!m_controller.isRange())
            return;
        status(u"discovery: %1 shards recommended, max_concurrency %2, %3 of %4 session starts "
               "left"_s.arg(info.shards)
                       .arg(info.maxConcurrency)
                       .arg(info.sessionStartRemaining)
                       .arg(info.sessionStartTotal));
    });
    connect(c, &ConnectionController::errorOccurred, this, [this](const QString &message) {
        status(u"error: "_s + message);
        stop(ExitError);
    });
    connect(c, &ConnectionController::fatalError, this, &HeadlessRunner::onFatal);
    connect(c, &ConnectionController::sessionFileStatus, this, &HeadlessRunner::status);
    connect(c, &ConnectionController::recordError, this,
            [this](const QString &message) { status(u"record: "_s + message); });
    connect(c, &ConnectionController::replayCorruptLine, this,
            [this](qint64 line, const QString &reason) {
                status(u"replay: line %1: %2; skipped"_s.arg(line).arg(reason));
            });
    connect(c, &ConnectionController::replayFinished, this,
            [this](qint64 frames, qint64 corruptLines) {
                status(u"replay: end of %1: %2 frames, %3 corrupt lines skipped"_s.arg(
                        m_options.replayPath, QString::number(frames),
                        QString::number(corruptLines)));
                stop(ExitOk);
            });
}

void HeadlessRunner::wireAlarms()
{
    if (m_options.silentAfterMs > 0)
        m_health.setSilentAfterMs(m_options.silentAfterMs);
    m_health.attach(&m_controller);
    m_shardStats.attachHealth(&m_health);
    m_budget.attach(&m_controller);
    connect(&m_health, &ShardHealth::silenceStarted, this,
            [this](int shard, qint64 msSinceDispatch, qint64 silentSinceMs) {
                status(tag(shard)
                       + u"silent: heartbeats are acknowledged but no event came for %1 (since "
                         "%2)"_s.arg(DurationText::human(msSinceDispatch),
                                     QDateTime::fromMSecsSinceEpoch(silentSinceMs, Qt::UTC)
                                             .toString(Qt::ISODateWithMs)));
            });
    connect(&m_health, &ShardHealth::silenceEnded, this,
            [this](int shard, qint64 silentForMs, bool byDispatch) {
                status(tag(shard)
                       + (byDispatch ? u"silence ended: events again after %1"_s
                                     : u"silence ended: the connection left Ready after %1"_s)
                                 .arg(DurationText::human(silentForMs)));
            });
    connect(&m_budget, &IdentifyBudget::warningChanged, this,
            [this](bool warning, const QString &text) {
                status(warning ? u"identify budget: warning: "_s + text
                               : u"identify budget: warning cleared"_s);
            });
}

bool HeadlessRunner::prepare(QString *error)
{
    if (!m_options.replayPath.isEmpty()) {
        Replayer probe;
        if (!probe.open(m_options.replayPath)) {
            *error = u"--replay: %1"_s.arg(probe.errorString());
            return false;
        }
    }
    if (!m_options.csvPath.isEmpty()) {
        m_csv.setFilePath(m_options.csvPath);
        m_csv.setEventRows(m_options.csvEvents);
        if (!m_csv.open()) {
            *error = u"--csv: %1"_s.arg(m_csv.errorString());
            return false;
        }
        connect(&m_csv, &CsvSink::errorOccurred, this,
                [this](const QString &message) { status(u"csv: "_s + message); });
    }
    QString recordError;
    if (!m_options.recordPath.isEmpty()
        && !m_controller.setRecordFile(m_options.recordPath, &recordError)) {
        *error = u"--record: %1"_s.arg(recordError);
        return false;
    }
    return startMetrics(error);
}

bool HeadlessRunner::startMetrics(QString *error)
{
    if (m_options.metricsListen.isEmpty())
        return true;
    // The same objects --stats-json reads, so a scrape and the stats line agree.
    m_metricsRegistry.addProvider(&ProcessMetrics::collectBuild);
    m_metricsRegistry.addProvider(ConnectionMetrics::provider(&m_controller, &m_shardStats));
    m_metricsRegistry.addProvider([this](MetricsSnapshot &snapshot) {
        ProcessMetrics::collectMessages(snapshot, quint64(m_messages), quint64(m_rejected));
        ProcessMetrics::collectCsvSink(snapshot, m_csv);
        ConnectionMetrics::collectBudget(snapshot, m_budget);
    });
    QString listenError;
    if (!m_metricsServer.listen(m_options.metricsAddress, m_options.metricsPort, &listenError)) {
        *error = u"--metrics-listen %1: %2"_s.arg(m_options.metricsListen, listenError);
        return false;
    }
    status(u"metrics: serving %1 (no authentication)"_s.arg(m_metricsServer.url()));
    return true;
}

bool HeadlessRunner::start(const GatewayConfig &config, QString *error)
{
    m_elapsed.start();
    if (m_options.durationS > 0)
        QTimer::singleShot(qint64(m_options.durationS * 1000), this, [this] { stop(ExitOk); });
    // One connection stops right after the last wanted message, so its output and its
    // recording end at the same event. (A range's total is counted here, in onMessageCreated().)
    if (m_options.subscribe) {
        startSubscribing();
        return true;
    }
    if (!m_options.usesShardManager())
        m_controller.setMessageLimit(m_options.exitAfterMessages);
    m_controller.setSessionFile(m_options.sessionFilePath);
    if (!m_options.replayPath.isEmpty())
        return m_controller.replay(m_options.replayPath, m_options.replaySpeed, error);
    GatewayConfig gated = config;
    if (m_identifyLock)
        gated.identifyGate = m_identifyLock->gate();
    if (m_options.usesShardManager())
        return m_controller.connectShards(gated, m_options.firstShard, m_options.lastShard,
                                          m_options.shardCount, error);
    m_controller.connectTo(gated);
    return true;
}

void HeadlessRunner::status(const QString &line)
{
    m_err << StatusLine::format(QDateTime::currentMSecsSinceEpoch(), line) << Qt::endl;
}

void HeadlessRunner::printLine(const QString &line)
{
    // Flushed per line: a pipe (`| grep`) sees each event when it happens. Redacted whole:
    // names, ids and content alike may hold a token someone pasted into a channel.
    m_out << Redaction::redact(line) << u'\n';
    m_out.flush();
}

void HeadlessRunner::onEvents(const GatewayEventBatch &events)
{
    if (m_publisher && !m_stopping)
        m_publisher->publish(events);
    const QScopedValueRollback handling(m_handlingBatch, true);
    for (const GatewayEvent &event : events) {
        if (m_stopping)
            break;
        onEvent(event);
    }
}

void HeadlessRunner::onEvent(const GatewayEvent &event)
{
    if (event.kind == GatewayEvent::Kind::MessageCreate) {
        onMessageCreated(event);
        return;
    }
    if (event.kind == GatewayEvent::Kind::Malformed) {
        onRejected(event);
        return;
    }
    if (m_csv.eventRows() && m_csv.isOpen())
        appendCsvEvent(event);
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
        printLine(m_lines.eventLine(event.receivedMs, event.shard, event.seq, event.type, data));
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
        printLine(m_lines.messageLine(event.receivedMs, event.shard, event.seq, message));
    if (m_options.exitAfterMessages > 0 && m_messages >= m_options.exitAfterMessages)
        stop(ExitOk);
}

void HeadlessRunner::appendCsvEvent(const GatewayEvent &event)
{
    const auto append = [this](CsvWriter::Event kind, const Message &message) {
        m_csv.appendEvent(kind, ExportRow{&message, m_directory.guildName(message.guildId),
                                          m_directory.channelName(message.channelId)});
    };
    if (event.kind == GatewayEvent::Kind::MessageUpdate && event.update) {
        // Headless keeps no store: the row holds what the update carried (the new content and
        // edited time; an update without content leaves the cell empty).
        Message message = event.update->values;
        if (message.timestampMs == 0)
            message.timestampMs = Snowflake::timestampMs(message.id);
        append(CsvWriter::Event::Update, message);
        return;
    }
    const bool bulk = event.kind == GatewayEvent::Kind::MessageDeleteBulk;
    if (!bulk && event.kind != GatewayEvent::Kind::MessageDelete)
        return;
    for (const quint64 id : event.deletedIds) {
        // Without a store the content and author of a deleted message are unknown: empty.
        Message message;
        message.id = id;
        message.channelId = event.channelId;
        message.guildId = event.guildId;
        message.timestampMs = Snowflake::timestampMs(id);
        message.deletedAtMs = event.receivedMs;
        message.flags |= Message::Deleted;
        append(bulk ? CsvWriter::Event::DeleteBulk : CsvWriter::Event::Delete, message);
    }
}

void HeadlessRunner::onRejected(const GatewayEvent &event)
{
    // A hostile server could send these by the thousand: the first few are named, the rest
    // only counted (--stats-json has them all).
    constexpr qint64 ReportedRejections = 10;
    ++m_rejected;
    if (m_rejected <= ReportedRejections) {
        const QString seq = event.seq >= 0 ? QString::number(event.seq) : u"-"_s;
        status(tag(event.shard)
               + u"rejected event #%1: %2; not shown or exported"_s.arg(
                       seq, EventLineFormatter::escaped(event.error)));
    }
    if (m_rejected == ReportedRejections)
        status(u"further rejected events are only counted"_s);
}

void HeadlessRunner::onFatal(int shard, int closeCode, const QString &explanation)
{
    if (m_controller.isReplay()) {
        // What ended the recorded run; the replay itself goes on to the end of the file.
        status(u"replay: the recorded run ended with fatal close %1: %2"_s.arg(closeCode).arg(
                explanation));
        return;
    }
    if (shard >= 0)
        status(u"shard %1: stopping every shard"_s.arg(shard));
    // A code the table does not call fatal: the client stopped identifying by itself.
    const bool stoppedIdentifying = CloseCodes::actionFor(closeCode) != CloseCodes::Action::Fatal;
    status(stoppedIdentifying ? u"stopped: %1"_s.arg(explanation)
                              : u"fatal close %1: %2"_s.arg(closeCode).arg(explanation));
    stop(closeCode == CloseCodes::AuthenticationFailed ? ExitAuthenticationFailed
         : stoppedIdentifying                          ? ExitStoppedIdentifying
                                                       : ExitOtherFatal);
}

void HeadlessRunner::stop(int exitCode)
{
    if (m_stopping)
        return;
    // Every event received before the stop is delivered (and printed) by stop() itself;
    // inside a batch, after --exit-after-messages, the rest of it is what is left out.
    // Inside a batch nothing after this event is printed, even what stop() still delivers.
    m_stopping = m_handlingBatch;
    // The alarm as the stop found it, not the Disconnected state closing brings.
    m_health.detach();
    // With --session-file, sessions still open close with 4000 and are saved; those a 1000
    // close already ended (--exit-after-messages) or a fatal close lost are not.
    const QString sessionLine = m_controller.stopKeepingSessions();
    if (!sessionLine.isEmpty())
        status(sessionLine);
    m_stopping = true;
    if (m_subscriber)
        m_subscriber->close();
    if (m_publisher) {
        // What the collector received is in its own outputs already; Redis gets a few seconds
        // to take the rest, and what it did not is counted in the stats.
        m_healthTimer.stop();
        m_publisher->publishHealth(healthRows());
        m_publisher->drain(5000, [this, exitCode] { finishStop(exitCode); });
        return;
    }
    finishStop(exitCode);
}

void HeadlessRunner::finishStop(int exitCode)
{
    m_out.flush();
    if (m_csv.isOpen())
        m_csv.close();
    if (m_options.statsJson)
        printStats();
    m_err.flush();
    emit finished(exitCode);
}

void HeadlessRunner::printStats()
{
    const GatewayMetrics &metrics = m_controller.metrics();
    m_shardStats.applySnapshots(m_controller.shardSnapshots()); // the final counters
    m_budget.applySnapshots(m_controller.shardSnapshots());
    const double ingest = m_firstReadyMs >= 0 && m_lastMessageMs >= m_firstReadyMs
                                  ? double(m_lastMessageMs - m_firstReadyMs) / 1000.0
                                  : 0.0;
    QJsonObject byType;
    for (auto it = metrics.dispatchesByType.cbegin(); it != metrics.dispatchesByType.cend(); ++it)
        byType.insert(it.key(), qint64(it.value()));
    QJsonObject byCode;
    for (auto it = metrics.reconnectsByCloseCode.cbegin();
         it != metrics.reconnectsByCloseCode.cend(); ++it)
        byCode.insert(QString::number(it.key()), it.value());
    QJsonObject stats{
            {u"messages"_s, m_messages},
            {u"rejected"_s, m_rejected},
            {u"dispatches"_s, qint64(metrics.dispatches)},
            {u"last_seq"_s, metrics.lastSeq},
            {u"identifies"_s, metrics.identifies},
            {u"resumes"_s, metrics.resumes},
            {u"reconnects"_s, metrics.reconnects},
            {u"bytes_in"_s, qint64(metrics.wireBytesIn)},
            {u"bytes_inflated"_s, qint64(metrics.inflatedBytesIn)},
            {u"dispatches_by_type"_s, byType},
            {u"reconnects_by_code"_s, byCode},
            {u"heartbeat_acks"_s, qint64(metrics.heartbeatLatency.count())},
            {u"csv_rows"_s, m_csv.rowsAccepted()},
            {u"csv_dropped"_s, m_csv.rowsDropped()},
            {u"elapsed_s"_s, double(m_elapsed.elapsed()) / 1000.0},
            {u"ingest_s"_s, ingest},
            // The state the run ended in, as the last state line on stderr says; and the state
            // it was in when asked to stop (Ready for a healthy run stopped by --duration).
            {u"state"_s, GatewayClient::stateName(m_controller.state())},
            {u"state_at_stop"_s, GatewayClient::stateName(m_controller.stateAtStop())},
            {u"shards"_s, m_shardStats.toJson()},
            {u"identify_budget"_s, m_budget.toJson()},
    };
    if (m_publisher)
        stats.insert(u"fleet"_s, fleetStats());
    if (m_subscriber)
        stats.insert(u"fleet"_s, subscriberStats());
    m_out << QJsonDocument(stats).toJson(QJsonDocument::Compact) << Qt::endl;
}

void HeadlessRunner::startPublishing()
{
    FleetPublisher::Options options;
    options.collectorId = m_options.collectorId;
    options.maxLen = m_options.publishMaxLen;
    options.bufferLimit = m_options.publishBuffer;
    m_publisher = std::make_unique<FleetPublisher>(*m_options.fleetRedis, options);
    const QString url = m_options.fleetRedis->displayUrl();
    connect(m_publisher->connection(), &RedisConnection::connected, this, [this, url] {
        status(u"fleet: publishing to %1 as %2"_s.arg(url, m_options.collectorId));
    });
    const auto reportOutage = [this, url] {
        status(u"fleet: Redis %1 unreachable since %2, %3 events not published%4"_s.arg(
                url, m_publisher->unreachableSince().toString(Qt::ISODateWithMs),
                QString::number(m_publisher->pending()),
                m_publisher->dropped() > 0
                        ? u" (%1 dropped beyond the buffer of %2)"_s.arg(m_publisher->dropped())
                                  .arg(m_options.publishBuffer)
                        : QString()));
    };
    m_unreachableTimer.setInterval(5000);
    connect(&m_unreachableTimer, &QTimer::timeout, this, reportOutage);
    connect(m_publisher.get(), &FleetPublisher::unreachable, this,
            [this, reportOutage](const QString &reason) {
                status(u"fleet: Redis: "_s + reason);
                reportOutage();
                m_unreachableTimer.start();
            });
    connect(m_publisher.get(), &FleetPublisher::reachableAgain, this,
            [this](qint64 downMs, qint64 pending, qint64 dropped) {
                m_unreachableTimer.stop();
                status(u"fleet: Redis reachable again after %1 s; catching up %2 events, %3 "
                       "dropped in all"_s.arg(double(downMs) / 1000.0, 0, 'f', 1)
                               .arg(pending)
                               .arg(dropped));
            });
    connect(m_publisher.get(), &FleetPublisher::refused, this,
            [this](const QString &error) { status(u"fleet: Redis refused an entry: "_s + error); });
    m_healthTimer.setInterval(1000);
    connect(&m_healthTimer, &QTimer::timeout, this,
            [this] { m_publisher->publishHealth(healthRows()); });
    m_healthTimer.start();
    m_publisher->open();

    m_identifyLock
            = std::make_unique<IdentifyLock>(*m_options.fleetRedis, m_options.collectorId,
                                             IdentifyLock::applicationKeyOf(m_options.token));
    connect(&m_controller, &ConnectionController::discoveryFinished, m_identifyLock.get(),
            [this](const GatewayBotInfo &info) {
                m_identifyLock->setMaxConcurrency(info.maxConcurrency);
            });
    connect(m_identifyLock.get(), &IdentifyLock::waiting, this,
            [this](int shard, const QString &holder, qint64 remainingMs) {
                status(tag(shard)
                       + (holder.isEmpty()
                                  ? u"identify waits for Redis (the fleet's identify lock)"_s
                                  : u"identify waits %1 ms: %2 holds the bucket"_s.arg(remainingMs)
                                            .arg(holder)));
            });
    connect(m_identifyLock.get(), &IdentifyLock::acquired, this, [this](int shard, qint64 today) {
        status(tag(shard)
               + u"identify lock taken; %1 identifies today across the fleet"_s.arg(today));
    });
    m_identifyLock->open();
}

void HeadlessRunner::startSubscribing()
{
    FleetSubscriber::Options options;
    options.fromNow = m_options.fromNow;
    m_subscriber = std::make_unique<FleetSubscriber>(*m_options.fleetRedis, options);
    FleetSubscriber *subscriber = m_subscriber.get();
    const QString url = m_options.fleetRedis->displayUrl();
    connect(subscriber, &FleetSubscriber::eventsReady, this, &HeadlessRunner::onEvents);
    connect(subscriber, &FleetSubscriber::reading, this, [this, url] {
        status(u"fleet: reading %1 from %2"_s.arg(
                url, m_options.fromNow ? u"now"_s : u"the oldest entry kept"_s));
    });
    connect(subscriber->connection(), &RedisConnection::disconnected, this,
            [this, url](const QString &reason) {
                status(u"fleet: Redis %1 unreachable: %2; retrying"_s.arg(url, reason));
            });
    connect(subscriber, &FleetSubscriber::gapDetected, this,
            [this](const QString &collector, int shard, qint64 nextSeq, qint64 missing) {
                status(u"fleet: gap: %1 shard %2 lacks %3 events before sequence %4"_s.arg(
                        collector, QString::number(shard), QString::number(missing),
                        QString::number(nextSeq)));
            });
    connect(subscriber, &FleetSubscriber::collectorStale, this,
            [this](const QString &collector, qint64 lastHealthMs) {
                status(u"fleet: collector %1 is stale: no health since %2"_s.arg(
                        collector, QDateTime::fromMSecsSinceEpoch(lastHealthMs, Qt::UTC)
                                           .toString(Qt::ISODateWithMs)));
            });
    connect(subscriber, &FleetSubscriber::collectorBack, this, [this](const QString &collector) {
        status(u"fleet: collector %1 publishes again"_s.arg(collector));
    });
    subscriber->open();
}

QJsonObject HeadlessRunner::subscriberStats() const
{
    QJsonArray shards;
    for (const FleetShard &shard : m_subscriber->shards()) {
        shards.append(QJsonObject{{u"collector"_s, shard.collector},
                                  {u"shard"_s, shard.shard},
                                  {u"state"_s, shard.state},
                                  {u"latency_ms"_s, shard.latencyMs},
                                  {u"reconnects"_s, shard.reconnects},
                                  {u"last_close"_s, shard.lastClose},
                                  {u"events"_s, shard.events},
                                  {u"last_seq"_s, shard.lastSeq},
                                  {u"missing"_s, shard.missing},
                                  {u"duplicates"_s, shard.duplicates},
                                  {u"stale"_s, shard.stale}});
    }
    return {{u"events"_s, m_subscriber->events()},
            {u"missing"_s, m_subscriber->missing()},
            {u"duplicates"_s, m_subscriber->duplicates()},
            {u"shards"_s, shards}};
}

QList<ShardStats> HeadlessRunner::healthRows() const
{
    QList<ShardStats> rows;
    for (int row = 0; row < m_shardStats.rowCount(); ++row)
        rows.append(m_shardStats.stats(row));
    return rows;
}

QJsonObject HeadlessRunner::fleetStats() const
{
    return {{u"collector"_s, m_options.collectorId},
            {u"published"_s, m_publisher->published()},
            {u"not_published"_s, m_publisher->pending()},
            {u"dropped"_s, m_publisher->dropped()},
            {u"refused"_s, m_publisher->failed()},
            {u"identifies_today"_s, m_identifyLock ? m_identifyLock->identifiesToday() : -1}};
}

} // namespace Gatescope::App
