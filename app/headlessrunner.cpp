#include "app/headlessrunner.h"

#include "core/gateway/redaction.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace Gatescope::App {

namespace {

QString oneLine(QString text, qsizetype maxLength = 200)
{
    text.replace(u'\n', u' ').replace(u'\r', u' ');
    if (text.size() > maxLength)
        text = text.left(maxLength - 1) + u'…';
    return text;
}

QString timestampNow()
{
    return QDateTime::currentDateTimeUtc().toString(u"HH:mm:ss.zzz"_s);
}

} // namespace

HeadlessRunner::HeadlessRunner(const AppOptions &options, GatewayClient *client, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_client(client)
    , m_out(stdout)
    , m_err(stderr)
{
    connect(m_client, &GatewayClient::dispatch, this, &HeadlessRunner::onDispatch);
    connect(m_client, &GatewayClient::messageCreated, this, &HeadlessRunner::onMessageCreated);
    connect(m_client, &GatewayClient::stateChanged, this, &HeadlessRunner::onStateChanged);
    connect(m_client, &GatewayClient::fatalError, this, &HeadlessRunner::onFatal);
    connect(m_client, &GatewayClient::connectionError, this,
            [this](const QString &message) { status(u"error: "_s + message); });
    connect(m_client, &GatewayClient::disconnected, this,
            [this](int code, const QString &reason, GatewayClient::Initiator initiator,
                   CloseCodes::Action action) {
                if (initiator == GatewayClient::Initiator::User)
                    status(u"disconnected: closed with %1 as asked"_s.arg(code));
                else
                    status(u"disconnected: %1 %2 -> %3"_s.arg(code).arg(
                            reason, CloseCodes::actionName(action)));
            });
    connect(m_client, &GatewayClient::reconnectScheduled, this, [this](int attempt, int delayMs) {
        status(u"reconnecting (attempt %1) in %2 ms"_s.arg(attempt).arg(delayMs));
    });
    connect(m_client, &GatewayClient::sessionEstablished, this,
            [this](const QString &sessionId, bool resumed, int replayed) {
                if (m_firstReadyMs < 0)
                    m_firstReadyMs = m_elapsed.elapsed();
                status(resumed ? u"resumed session %1 (%2 events replayed)"_s.arg(sessionId.left(8))
                                         .arg(replayed)
                               : u"session %1 ready"_s.arg(sessionId.left(8)));
            });
}

bool HeadlessRunner::start(QString *error)
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
    m_elapsed.start();
    if (m_options.durationS > 0)
        QTimer::singleShot(qint64(m_options.durationS * 1000), this, [this] { stop(ExitOk); });
    m_client->open();
    return true;
}

void HeadlessRunner::status(const QString &line)
{
    m_err << timestampNow() << u' ' << Redaction::redact(line) << Qt::endl;
}

void HeadlessRunner::onStateChanged(GatewayClient::State state)
{
    status(u"state: "_s + GatewayClient::stateName(state));
}

void HeadlessRunner::onDispatch(const QString &type, qint64 seq, const QJsonObject &data)
{
    if (m_stopping)
        return;
    // Names first, so the MESSAGE_CREATE line that follows (a later signal) shows them.
    m_directory.handleDispatch(type, data);
    if (m_options.quiet || type == "MESSAGE_CREATE"_L1)
        return;
    const QString id = data.value("id"_L1).toString();
    m_out << timestampNow() << u' ' << type << " s="_L1 << seq;
    if (!id.isEmpty())
        m_out << " id="_L1 << id;
    m_out << u'\n';
}

void HeadlessRunner::onMessageCreated(const QJsonObject &message)
{
    if (m_stopping)
        return;
    ++m_messages;
    m_lastMessageMs = m_elapsed.elapsed();
    const bool wantLine = !m_options.quiet;
    const bool wantCsv = m_csv.isOpen();
    if (wantLine || wantCsv) {
        const Message parsed = m_parser.parse(message);
        m_directory.noteMessage(parsed);
        ExportRow row{&parsed, m_directory.guildName(parsed.guildId),
                      m_directory.channelName(parsed.channelId)};
        if (wantCsv)
            m_csv.append(row);
        if (wantLine) {
            const QString place = parsed.isDm() ? u"DM"_s : row.guildName;
            m_out << timestampNow() << " MESSAGE_CREATE "_L1 << place << " #"_L1 << row.channelName
                  << u' ' << parsed.displayAuthor() << (parsed.isBot() ? u" [bot]"_s : QString())
                  << ": "_L1 << Redaction::redact(oneLine(parsed.content)) << u'\n';
        }
    }
    if (m_options.exitAfterMessages > 0 && m_messages >= m_options.exitAfterMessages)
        stop(ExitOk);
}

void HeadlessRunner::onFatal(int closeCode, const QString &explanation)
{
    status(u"fatal close %1: %2"_s.arg(closeCode).arg(explanation));
    stop(closeCode == CloseCodes::AuthenticationFailed ? ExitAuthenticationFailed : ExitOtherFatal);
}

void HeadlessRunner::stop(int exitCode)
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_client->state() != GatewayClient::State::Failed)
        m_client->close();
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
    const GatewayMetrics &metrics = m_client->metrics();
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
            {u"state"_s, GatewayClient::stateName(m_client->state())},
    };
    m_out << QJsonDocument(stats).toJson(QJsonDocument::Compact) << Qt::endl;
}

} // namespace Gatescope::App
