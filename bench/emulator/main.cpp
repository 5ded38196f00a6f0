// bench_emulator: how many events and MESSAGE_CREATE per second an in-process EmulatorServer
// (in its own thread) delivers to one client, and the server thread's CPU time per message.
// The client is a plain QWebSocket with plain zlib inflate; it identifies with every intent.
// Usage: bench_emulator [seconds=3] [rates=20000,50000,100000,max] [compress=zlib,none]
//        [zlib-level=6] [ws://HOST:PORT of a running gatescope-emulator]
// With a URL the client measures that emulator (its --rate decides; the rates argument is only a
// label) and no server CPU is reported.
// Rates are generated events per second (the --rate of gatescope-emulator; about 80% of the
// events are MESSAGE_CREATE); "max" asks for far more than one core can make.

#include "core/gateway/intents.h"
#include "emulator/emulatorserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <zlib.h>

#include <ctime>
#include <memory>

using namespace Qt::StringLiterals;
using Gatescope::Emulator::EmulatorServer;
using Gatescope::Emulator::ServerConfig;

namespace {

constexpr double MaxRate = 1'000'000; // gatescope-emulator's --rate limit

/// Runs the event loop for @p ms or until @p done, without spinning: the server thread needs the
/// other core.
template<typename Done>
void waitFor(qint64 ms, Done done)
{
    QElapsedTimer timer;
    timer.start();
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || timer.elapsed() >= ms)
            loop.quit();
    });
    poll.start(10);
    loop.exec();
}

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

/// Counts what arrives: payloads, dispatches by kind, bytes on the wire and inflated.
class BenchClient : public QObject
{
public:
    explicit BenchClient(bool zlib)
        : m_zlib(zlib)
    {
        if (m_zlib)
            inflateInit(&m_stream);
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QByteArray bytes = text.toUtf8();
            wireBytes += bytes.size();
            onPayload(bytes);
        });
        connect(&socket, &QWebSocket::binaryMessageReceived, this,
                [this](const QByteArray &data) { onBinary(data); });
    }
    ~BenchClient() override
    {
        if (m_zlib)
            inflateEnd(&m_stream);
    }

    QWebSocket socket;
    bool ready = false;
    bool failed = false;
    qint64 payloads = 0;
    qint64 messageCreates = 0;
    qint64 wireBytes = 0;
    qint64 jsonBytes = 0;

private:
    void onPayload(const QByteArray &json)
    {
        ++payloads;
        jsonBytes += json.size();
        if (json.startsWith("{\"t\":\"MESSAGE_CREATE\""))
            ++messageCreates;
        else if (json.startsWith("{\"t\":null,\"s\":null,\"op\":10,"))
            identify();
        else if (json.startsWith("{\"t\":\"READY\""))
            ready = true;
    }

    void identify()
    {
        const quint32 intents = Gatescope::Intents::AllDocumented;
        socket.sendTextMessage(u"{\"op\":2,\"d\":{\"token\":\"test-token\",\"intents\":%1,"
                               "\"properties\":{\"os\":\"linux\",\"browser\":\"bench\","
                               "\"device\":\"bench\"}}}"_s.arg(intents));
    }

    void onBinary(const QByteArray &data)
    {
        wireBytes += data.size();
        m_buffer += data;
        if (!m_buffer.endsWith(QByteArrayView("\x00\x00\xff\xff", 4)))
            return;
        m_out.clear();
        m_stream.next_in = reinterpret_cast<Bytef *>(m_buffer.data());
        m_stream.avail_in = uInt(m_buffer.size());
        char chunk[65536];
        do {
            m_stream.next_out = reinterpret_cast<Bytef *>(chunk);
            m_stream.avail_out = sizeof chunk;
            const int rc = inflate(&m_stream, Z_SYNC_FLUSH);
            if (rc != Z_OK && rc != Z_BUF_ERROR) {
                failed = true;
                socket.abort();
                return;
            }
            m_out.append(chunk, qsizetype(sizeof chunk - m_stream.avail_out));
        } while (m_stream.avail_in > 0 || m_stream.avail_out == 0);
        m_buffer.clear();
        onPayload(m_out);
    }

    bool m_zlib = false;
    z_stream m_stream{};
    QByteArray m_buffer;
    QByteArray m_out;
};

struct Result
{
    bool ok = false;
    double seconds = 0;
    qint64 payloads = 0;
    qint64 messageCreates = 0;
    qint64 wireBytes = 0;
    qint64 jsonBytes = 0;
    double serverCpuSeconds = 0;
    qint64 generatedCreates = 0; ///< MESSAGE_CREATE the server made (sent or still queued)
};

/// One fresh server (or the one at @p external) and client; measures @p seconds after a
/// one-second warm-up.
Result run(double rate, bool zlib, int zlibLevel, double seconds, const QUrl &external)
{
    QThread serverThread;
    serverThread.setObjectName(u"emulator"_s);
    serverThread.start();
    QObject anchor;
    anchor.moveToThread(&serverThread);
    std::unique_ptr<EmulatorServer> server;
    ServerConfig config;
    config.eventsPerSecond = rate;
    config.zlibLevel = zlibLevel;
    if (!external.isValid()) {
        QMetaObject::invokeMethod(
                &anchor,
                [&] {
                    server = std::make_unique<EmulatorServer>(config);
                    server->start();
                },
                Qt::BlockingQueuedConnection);
    }
    qint64 generated = 0;
    const auto serverCpu = [&] {
        double cpu = 0;
        if (server) {
            QMetaObject::invokeMethod(
                    &anchor,
                    [&] {
                        cpu = threadCpuSeconds();
                        generated = server->messagesGenerated();
                    },
                    Qt::BlockingQueuedConnection);
        }
        return cpu;
    };

    Result r;
    {
        BenchClient client(zlib);
        QUrl url = server ? server->gatewayUrl() : external;
        url.setPath(u"/"_s);
        url.setQuery(zlib ? u"v=10&encoding=json&compress=zlib-stream"_s : u"v=10&encoding=json"_s);
        client.socket.open(url);
        waitFor(10000, [&] { return client.ready || client.failed; });
        waitFor(1000, [&] { return client.failed; });

        const qint64 payloads = client.payloads;
        const qint64 creates = client.messageCreates;
        const qint64 wire = client.wireBytes;
        const qint64 json = client.jsonBytes;
        const double cpu = serverCpu();
        const qint64 generatedBefore = generated;
        QElapsedTimer timer;
        timer.start();
        waitFor(qint64(seconds * 1000), [&] { return client.failed; });
        r.serverCpuSeconds = serverCpu() - cpu;
        r.generatedCreates = generated - generatedBefore;
        r.seconds = double(timer.nsecsElapsed()) / 1e9;
        r.payloads = client.payloads - payloads;
        r.messageCreates = client.messageCreates - creates;
        r.wireBytes = client.wireBytes - wire;
        r.jsonBytes = client.jsonBytes - json;
        r.ok = client.ready && !client.failed;
        // A normal close ends the session; a dropped one would keep it buffering events.
        client.socket.close();
        waitFor(2000, [&] { return client.socket.state() == QAbstractSocket::UnconnectedState; });
    }
    QMetaObject::invokeMethod(
            &anchor, [&] { server.reset(); }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const double seconds = args.size() > 1 ? args.at(1).toDouble() : 3.0;
    const QStringList rates = (args.size() > 2 ? args.at(2) : u"20000,50000,100000,max"_s)
                                      .split(u',', Qt::SkipEmptyParts);
    const QStringList modes
            = (args.size() > 3 ? args.at(3) : u"zlib,none"_s).split(u',', Qt::SkipEmptyParts);
    const int zlibLevel = args.size() > 4 ? args.at(4).toInt() : 6;
    const QUrl external = args.size() > 5 ? QUrl(args.at(5)) : QUrl();
    if (seconds <= 0 || rates.isEmpty() || modes.isEmpty() || zlibLevel < 1 || zlibLevel > 9) {
        QTextStream(stderr) << "usage: bench_emulator [seconds>0] [rates=20000,...,max] "
                               "[compress=zlib,none] [zlib-level=1..9] [ws://host:port]\n";
        return 2;
    }
    QTextStream out(stdout);
    out << "bench_emulator: " << seconds << " s per run after 1 s warm-up, default traffic, "
        << "one client with every intent, zlib level " << zlibLevel
        << "; rate = requested events/s\n";
    for (const QString &mode : modes) {
        for (const QString &rateText : rates) {
            const double rate = rateText == "max"_L1 ? MaxRate : rateText.toDouble();
            const Result r = run(rate, mode == "zlib"_L1, zlibLevel, seconds, external);
            out << "  " << (mode == "zlib"_L1 ? "zlib-stream" : "none       ") << " rate "
                << qSetFieldWidth(7) << rateText << qSetFieldWidth(0) << ": ";
            if (!r.ok || r.payloads == 0) {
                out << "FAILED (no traffic)\n";
                continue;
            }
            out << qRound64(double(r.payloads) / r.seconds) << " events/s, "
                << qRound64(double(r.messageCreates) / r.seconds) << " MESSAGE_CREATE/s, ";
            if (r.serverCpuSeconds > 0) {
                out << "server " << QString::number(r.serverCpuSeconds / r.seconds * 100, 'f', 0)
                    << "% CPU, "
                    << QString::number(r.serverCpuSeconds * 1e6 / double(r.payloads), 'f', 1)
                    << " us CPU/event = " << qRound64(double(r.messageCreates) / r.serverCpuSeconds)
                    << " MESSAGE_CREATE per server CPU second, ";
            }
            out << r.wireBytes / r.payloads << " wire bytes/event (" << r.jsonBytes / r.payloads
                << " JSON)";
            if (r.serverCpuSeconds > 0)
                out << "; generated " << qRound64(double(r.generatedCreates) / r.seconds)
                    << " MESSAGE_CREATE/s";
            out << '\n';
            out.flush();
        }
    }
    return 0;
}
