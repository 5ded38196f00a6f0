#pragma once

#include "app/appoptions.h"
#include "core/gateway/gatewayclient.h"
#include "core/io/csvsink.h"
#include "core/store/directory.h"
#include "core/store/messageparser.h"
#include "core/store/stringinterner.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTextStream>

namespace Gatescope::App {

/// The headless path of the app: drives one GatewayClient, prints one line per event on stdout
/// (unless quiet), state and errors on stderr, and the --stats-json line at exit. Emits finished()
/// with the process exit code.
class HeadlessRunner : public QObject
{
    Q_OBJECT

public:
    HeadlessRunner(const AppOptions &options, GatewayClient *client, QObject *parent = nullptr);

    /// Opens the CSV file (when asked for) and connects. False, with a one-line @p error, when
    /// an output cannot be opened; nothing has been started then.
    bool start(QString *error);
    /// Stops cleanly: closes with 1000, flushes every output, prints the stats line.
    void stop(int exitCode);

signals:
    void finished(int exitCode);

private:
    void onDispatch(const QString &type, qint64 seq, const QJsonObject &data);
    void onMessageCreated(const QJsonObject &message);
    void onStateChanged(GatewayClient::State state);
    void onFatal(int closeCode, const QString &explanation);
    void printStats();
    void status(const QString &line);

    AppOptions m_options;
    GatewayClient *m_client;
    Directory m_directory;
    StringInterner m_interner;
    MessageParser m_parser{&m_interner};
    CsvSink m_csv;
    QTextStream m_out;
    QTextStream m_err;
    QElapsedTimer m_elapsed;
    qint64 m_messages = 0;
    qint64 m_firstReadyMs = -1;
    qint64 m_lastMessageMs = -1;
    bool m_stopping = false;
};

} // namespace Gatescope::App
