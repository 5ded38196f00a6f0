// Measures the GUI under load and at start-up. Prints figures; never pass/fail.
//
//   gatescope-uibench [--seconds N] [--rate R] [--filter QUERY] [--startup-runs N] [--hide-frames]
//                     [--list-stalls MS] [--compare-plain] [--panes N] [--profile-events]
//                     [--emulator-idle-priority]
//
// 1. Stalls: an in-process emulator sends R events/s (default 10,000) for N s (default 30) to
//    a shown MainWindow with a filter active (the emulator runs in a thread of its own; with
//    --emulator-idle-priority it only takes CPU that Gatescope's threads leave, as a remote
//    server would, but on two cores it then falls short of high rates; R counts events, about
//    80% of them MESSAGE_CREATE, so --rate 25000 sends 20,000 messages/s). A 5 ms
//    timer records how late each tick fires; the worst and the 99th percentile lateness are the
//    event loop's stalls. Then the traffic stops and the store may catch up (until nothing more
//    arrives for 3 s, at most 60 s): messages the emulator generated but the store never
//    received are "lost" (this includes the few the emulator generates but routes to no
//    session), MESSAGE_CREATEs the client took off the socket but the store never received are
//    "lost between client and store" (Gatescope's own loss), and the client's reconnects, missed
//    and busy heartbeats are reported.
//    --list-stalls MS prints every stall longer than MS with its CLOCK_MONOTONIC time, to match
//    it with `perf record -k CLOCK_MONOTONIC` samples. The GUI thread's CPU time between two
//    ticks is printed too (worst, p99, p50): the stalls an idle machine would see, whatever the
//    load; --list-stalls lists the intervals that took more CPU than MS, with the three longest
//    events in each under --profile-events.
//    --compare-plain runs the stall measurement twice in one process, first with the feed as it
//    was before rendering (plain text Content column, no Servers dock), then as shipped (rendered
//    messages, the Servers tree shown and counting), and prints the ratios of the two.
//    --panes N measures the window with N feeds split side by side: the first half of the run
//    has one pane, then the pane is split until there are N (each with the filter), and the
//    stalls of each half are printed with their ratio, so the cost of the splits is a figure of
//    one run rather than a comparison of two runs under different load. --panes 1 prints the
//    same halves without a split: the control for how much the second half differs anyway.
//    Each thread's CPU time during the run (from /proc/self/task/*/schedstat) is printed per
//    message the store took in: the GUI thread's µs per message do not depend on how loaded
//    the machine is, unlike the stalls (with --panes, for each half). --profile-events adds
//    the GUI thread's CPU time by event type and receiver (each event's time less the events
//    handled inside it), largest first.
// 2. Start-up: runs itself N times (default 5) with --startup-child and measures from process
//    start to the window's first expose (the child prints a line then).
#include "core/connection/connectioncontroller.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagestore.h"
#include "emulator/emulatorserver.h"
#include "ui/channeltreedock.h"
#include "ui/feedarea.h"
#include "ui/feeddelegate.h"
#include "ui/filterbar.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QMetaEnum>
#include <QProcess>
#include <QScopeGuard>
#include <QTableView>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QWindow>

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <time.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Gatescope;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

/// Names the receiver of an event for the profile: its object name, else its class, after
/// those of its parents up to the first with a name of ours, e.g. "feedView/qt_scrollarea_viewport"
/// for a feed's viewport or "MainWindow/Gatescope::MessageStore/QTimer".
QString receiverName(const QObject *receiver)
{
    QString name;
    for (const QObject *object = receiver; object; object = object->parent()) {
        const QString own = object->objectName();
        const QString part
                = own.isEmpty() ? QString::fromLatin1(object->metaObject()->className()) : own;
        name = name.isEmpty() ? part : part + u'/' + name;
        if (!own.isEmpty() && !own.startsWith("qt_"_L1))
            break;
    }
    return name;
}

/// With --profile-events, times every event the GUI thread handles on its CPU clock, less the
/// events handled inside it (a window's update request paints each widget as an event of its
/// own), and sums the times by event type and receiver: where the GUI thread's time goes,
/// whatever the load of the machine.
class ProfilingApplication : public QApplication
{
public:
    using QApplication::QApplication;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!m_profiling || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        const QEvent::Type type = event->type();
        const QString name = receiverName(receiver);
        const qint64 start = threadCpuNs();
        m_nested.push_back(0);
        const bool result = QApplication::notify(receiver, event);
        const qint64 total = threadCpuNs() - start;
        const qint64 inner = m_nested.back();
        m_nested.pop_back();
        if (!m_nested.empty())
            m_nested.back() += total;
        m_sinceTick[{type, name}] += total - inner;
        Entry &entry = m_entries[{type, name}];
        entry.ns += total - inner;
        ++entry.count;
        return result;
    }

    void startProfiling()
    {
        m_entries.clear();
        m_profiling = true;
    }
    void stopProfiling() { m_profiling = false; }

    /// The events that took the most CPU (exclusive) since the last call, at most four, as
    /// "type name 12.3 ms" items.
    QString takeLongestEvents()
    {
        std::vector<std::pair<qint64, QString>> events;
        for (const auto &[key, ns] : m_sinceTick)
            events.emplace_back(ns, typeName(key.first) + u' ' + key.second);
        m_sinceTick.clear();
        std::sort(events.rbegin(), events.rend());
        QStringList longest;
        for (size_t i = 0; i < std::min<size_t>(4, events.size()); ++i)
            longest.append(events[i].second + u' '
                           + QString::number(double(events[i].first) / 1e6, 'f', 1) + u" ms"_s);
        return longest.join(u", "_s);
    }

    /// The entries that took at least 0.5% of the profiled time, largest first.
    void printProfile(qint64 messages) const
    {
        qint64 all = 0;
        std::vector<std::pair<qint64, QString>> rows;
        for (const auto &[key, entry] : m_entries) {
            all += entry.ns;
            rows.emplace_back(entry.ns, typeName(key.first) + u' ' + key.second + u" ×"_s
                                                + QString::number(entry.count));
        }
        std::sort(rows.rbegin(), rows.rend());
        out() << "GUI-thread CPU by event (exclusive), "
              << QString::number(double(all) / 1e6, 'f', 0) << " ms in all:" << Qt::endl;
        for (const auto &[ns, label] : rows) {
            if (ns * 200 < all)
                break;
            out() << "  "
                  << QString::number(double(ns) / 1e3 / double(std::max<qint64>(1, messages)), 'f',
                                     2)
                  << " µs/message  " << QString::number(100.0 * double(ns) / double(all), 'f', 1)
                  << "%  " << label << Qt::endl;
        }
    }

private:
    static QString typeName(QEvent::Type type)
    {
        return QString::fromLatin1(QMetaEnum::fromType<QEvent::Type>().valueToKey(int(type)));
    }

    struct Entry
    {
        qint64 ns = 0;
        qint64 count = 0;
    };
    bool m_profiling = false;
    std::vector<qint64> m_nested; ///< CPU time of the events handled inside each open one
    std::map<std::pair<QEvent::Type, QString>, Entry> m_entries;
    std::map<std::pair<QEvent::Type, QString>, qint64> m_sinceTick; ///< since the last tick
};

// Prints one line as soon as the window is first exposed, then quits.
class ExposeWatcher : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Expose && static_cast<QWindow *>(watched)->isExposed()) {
            std::fputs("exposed\n", stdout);
            std::fflush(stdout);
            QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection);
        }
        return false;
    }
};

int startupChild(QApplication &app)
{
    Ui::MainWindow window;
    window.winId(); // create the native window so its expose can be watched
    ExposeWatcher watcher;
    window.windowHandle()->installEventFilter(&watcher);
    window.show();
    return app.exec();
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t index = std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5));
    return values[index];
}

/// One thread's name and the CPU time it has run so far.
struct ThreadCpu
{
    QString name;
    qint64 ns = 0;
};

/// Every thread of this process by id: the GUI thread is named "GUI", the others by their
/// kernel name (QThread's objectName, else "QThread").
std::map<int, ThreadCpu> threadCpu()
{
    std::map<int, ThreadCpu> threads;
    const QString main = QString::number(getpid());
    const QStringList tids
            = QDir(u"/proc/self/task"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &tid : tids) {
        QFile schedstat(u"/proc/self/task/"_s + tid + u"/schedstat"_s);
        QFile comm(u"/proc/self/task/"_s + tid + u"/comm"_s);
        if (!schedstat.open(QIODevice::ReadOnly) || !comm.open(QIODevice::ReadOnly))
            continue; // the thread ended meanwhile
        ThreadCpu &thread = threads[tid.toInt()];
        thread.ns = schedstat.readAll().split(' ').value(0).toLongLong();
        thread.name = tid == main ? u"GUI"_s : QString::fromUtf8(comm.readAll().trimmed());
    }
    return threads;
}

/// The threads' CPU times, the messages taken in and the time, at one moment of a run.
struct CpuMark
{
    std::map<int, ThreadCpu> threads;
    qint64 messages = 0;
    qint64 wallNs = 0;
};

/// The CPU each thread used between two marks, summed by thread name, in µs per message, and
/// how busy the GUI thread was. Returns the GUI thread's µs per message.
double printCpuPerMessage(const char *label, const CpuMark &before, const CpuMark &after)
{
    std::map<QString, qint64> byName;
    for (const auto &[tid, thread] : after.threads) {
        const auto earlier = before.threads.find(tid);
        byName[thread.name]
                += thread.ns - (earlier == before.threads.end() ? 0 : earlier->second.ns);
    }
    const qint64 messages = std::max<qint64>(1, after.messages - before.messages);
    out() << label << "CPU per message (" << messages << " messages):";
    for (const auto &[name, ns] : byName) {
        if (ns < 1000000)
            continue; // threads that did next to nothing
        out() << " " << name << " " << QString::number(double(ns) / 1e3 / double(messages), 'f', 2)
              << " µs";
    }
    out() << Qt::endl;
    const qint64 guiNs = byName[u"GUI"_s];
    out() << label << "GUI thread busy: "
          << QString::number(100.0 * double(guiNs)
                                     / double(std::max<qint64>(1, after.wallNs - before.wallNs)),
                             'f', 0)
          << "% of the time" << Qt::endl;
    return double(guiNs) / 1e3 / double(messages);
}

struct StallFigures
{
    double worst = 0;
    double p99 = 0;
    double guiUsPerMessage = 0;
};

void printStalls(const char *label, const std::vector<double> &lateness)
{
    out() << label << "stall worst: " << QString::number(percentile(lateness, 1.0), 'f', 1) << " ms"
          << Qt::endl;
    out() << label << "stall p99: " << QString::number(percentile(lateness, 0.99), 'f', 1) << " ms"
          << Qt::endl;
    out() << label << "stall p50: " << QString::number(percentile(lateness, 0.5), 'f', 1) << " ms"
          << Qt::endl;
}

/// The stalls with one pane (the first half) against N panes (the second), as ratios.
void printPaneComparison(const std::vector<double> &lateness, size_t splitAt, int panes)
{
    const std::vector<double> one(lateness.begin(), lateness.begin() + qsizetype(splitAt));
    const std::vector<double> many(lateness.begin() + qsizetype(splitAt), lateness.end());
    out() << "one pane: " << one.size() << " ticks; " << panes << " panes: " << many.size()
          << " ticks" << Qt::endl;
    printStalls("1 pane:  ", one);
    const QByteArray label = QByteArray::number(panes) + " panes: ";
    printStalls(label.constData(), many);
    const auto ratio = [](double a, double b) {
        return b > 0 ? QString::number(a / b, 'f', 2) : u"n/a"_s;
    };
    out() << "ratio " << panes << " panes / 1 pane: worst "
          << ratio(percentile(many, 1.0), percentile(one, 1.0)) << ", p99 "
          << ratio(percentile(many, 0.99), percentile(one, 0.99)) << ", p50 "
          << ratio(percentile(many, 0.5), percentile(one, 0.5)) << Qt::endl;
}

int measureStalls(ProfilingApplication &app, int seconds, double rate, const QString &query,
                  bool showFrames, double listStallsMs, int panes, bool profileEvents,
                  bool emulatorIdle, bool plainFeed = false, StallFigures *figures = nullptr)
{
    Emulator::ServerConfig config;
    config.tokens = {u"uibench-token"_s};
    // Traffic starts once the session is established (below): messages generated before it
    // reach no session, and would be counted as lost.
    config.eventsPerSecond = 0;
    config.burstSize = std::max(1, int(rate / 200));
    config.heartbeatIntervalMs = 5000;
    config.rateLimitCount = 100000;
    // The emulator runs in a thread of its own: its generation and compression must not be
    // counted as stalls of the GUI thread.
    QThread emulatorThread;
    emulatorThread.setObjectName(u"emulator"_s);
    // With idle priority (SCHED_IDLE on Linux) the emulator only takes CPU that Gatescope's
    // threads leave: on two cores it needs most of one, and at normal priority it delays the
    // GUI thread as no remote server would (but then it cannot always keep the rate).
    emulatorThread.start(emulatorIdle ? QThread::IdlePriority : QThread::InheritPriority);
    QObject context;
    context.moveToThread(&emulatorThread);
    auto inEmulator = [&](auto function) {
        QMetaObject::invokeMethod(&context, function, Qt::BlockingQueuedConnection);
    };
    std::unique_ptr<Emulator::EmulatorServer> server;
    QString error;
    bool started = false;
    inEmulator([&] {
        server = std::make_unique<Emulator::EmulatorServer>(config);
        started = server->start(&error);
    });
    auto stopEmulator = qScopeGuard([&] {
        inEmulator([&] { server.reset(); });
        emulatorThread.quit();
        emulatorThread.wait();
    });
    if (!started) {
        out() << "emulator: " << error << Qt::endl;
        return 1;
    }
    const QUrl gatewayUrl = server->gatewayUrl();
    auto messagesGenerated = [&] {
        qint64 n = 0;
        inEmulator([&] { n = server->messagesGenerated(); });
        return n;
    };
    Ui::MainWindow window;
    window.setDemoMode(true);
    window.resize(1400, 880);
    window.show();
    // The raw frames dock makes the client build a redacted record of every frame.
    if (!showFrames)
        window.findChild<QDockWidget *>(u"framesDock"_s)->hide();
    if (plainFeed) {
        window.findChild<QDockWidget *>(u"channelTreeDock"_s)->hide();
        auto *feed = window.findChild<QTableView *>(u"feedView"_s);
        feed->setItemDelegate(new Ui::FeedDelegate(nullptr, feed));
    }
    window.filterBar()->setQuery(query);
    GatewayConfig gateway;
    gateway.token = u"uibench-token"_s;
    gateway.gatewayUrl = gatewayUrl;
    QObject::connect(
            window.controller(), &ConnectionController::sessionEstablished, &window,
            [&] { inEmulator([&] { server->setEventsPerSecond(rate); }); },
            Qt::SingleShotConnection);
    window.connectToGateway(gateway);

    constexpr int TickMs = 5;
    std::vector<double> lateness;
    lateness.reserve(size_t(seconds) * 1000 / TickMs + 16);
    std::vector<std::pair<qint64, double>> longStalls; // (monotonic ns at the late tick, ms)
    size_t splitAt = 0; // the first tick with N panes
    const auto ingested = [&window] {
        return qint64(window.store()->count()) + qint64(window.store()->counters().evicted);
    };
    QElapsedTimer wall;
    wall.start();
    const auto cpuMark = [&] {
        return CpuMark{threadCpu(), ingested(), wall.nsecsElapsed()};
    };
    CpuMark cpuAtStart;
    CpuMark cpuAtSplit;
    QElapsedTimer clock;
    qint64 last = -1;
    qint64 startMessages = -1;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(TickMs);
    // The GUI thread's CPU time between two ticks: what the stalls would be on an idle
    // machine, whatever the load (waiting for a core is not counted).
    std::vector<double> cpuBetweenTicks;
    cpuBetweenTicks.reserve(lateness.capacity());
    std::vector<std::pair<double, QString>> cpuStalls; // (CPU ms, the longest events in it)
    qint64 lastCpu = -1;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        const qint64 cpu = threadCpuNs();
        const QString longest = profileEvents ? app.takeLongestEvents() : QString();
        if (last >= 0) {
            lateness.push_back(std::max(0.0, double(now - last) / 1e6 - TickMs));
            if (listStallsMs > 0 && lateness.back() > listStallsMs)
                longStalls.emplace_back(clock.msecsSinceReference() * 1000000 + now,
                                        lateness.back());
            cpuBetweenTicks.push_back(double(cpu - lastCpu) / 1e6);
            if (listStallsMs > 0 && cpuBetweenTicks.back() > listStallsMs)
                cpuStalls.emplace_back(cpuBetweenTicks.back(), longest);
        }
        last = now;
        lastCpu = cpu;
    });
    // Measure from the first stored message, so connecting is not counted.
    QTimer waitForTraffic;
    waitForTraffic.setInterval(10);
    QObject::connect(&waitForTraffic, &QTimer::timeout, [&] {
        if (window.store()->count() == 0)
            return;
        waitForTraffic.stop();
        startMessages = messagesGenerated();
        cpuAtStart = cpuMark();
        if (profileEvents)
            app.startProfiling();
        clock.start();
        tick.start();
        QTimer::singleShot(seconds * 1000, &app, &QCoreApplication::quit);
        if (panes > 0) {
            QTimer::singleShot(seconds * 500, &window, [&] {
                splitAt = lateness.size();
                cpuAtSplit = cpuMark();
                while (window.feedArea()->paneCount() < panes)
                    window.feedArea()->splitCurrent(Qt::Horizontal);
            });
        }
    });
    waitForTraffic.start();
    app.exec();
    tick.stop();
    app.stopProfiling();
    const CpuMark cpuAtEnd = cpuMark();

    const qint64 sent = messagesGenerated() - std::max<qint64>(0, startMessages);
    const double elapsed = double(clock.elapsed()) / 1000.0;
    inEmulator([&] { server->setEventsPerSecond(0); });
    const qint64 generated = messagesGenerated();
    const auto received = [&window] {
        const MessageStore *store = window.store();
        return qint64(store->count()) + store->pendingCount() + qint64(store->counters().evicted);
    };
    // Until everything arrived, or nothing more arrived for 3 s (up to 60 s in all).
    QElapsedTimer catchUp;
    catchUp.start();
    QElapsedTimer quiet;
    quiet.start();
    for (qint64 seen = received();
         seen < generated && catchUp.elapsed() < 60000 && quiet.elapsed() < 3000;) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        if (received() != seen) {
            seen = received();
            quiet.restart();
        }
    }
    QTimer::singleShot(1100, &app, &QCoreApplication::quit); // one more metrics copy
    app.exec();
    out() << "platform: " << QGuiApplication::platformName() << Qt::endl;
    out() << "filter: " << query << Qt::endl;
    out() << "raw frames dock: " << (showFrames ? "shown" : "hidden") << Qt::endl;
    out() << "emulator thread: " << (emulatorIdle ? "idle priority" : "normal priority")
          << Qt::endl;
    out() << "feed: "
          << (plainFeed ? "plain text, no Servers dock" : "rendered, Servers dock shown")
          << Qt::endl;
    out() << "messages sent: " << sent << " in " << elapsed << " s ("
          << int(double(sent) / std::max(0.001, elapsed)) << "/s)" << Qt::endl;
    out() << "messages kept: " << window.store()->count()
          << ", matching: " << window.filterModel()->rowCount() << Qt::endl;
    out() << "messages generated: " << generated << ", received: " << received()
          << ", lost: " << std::max<qint64>(0, generated - received()) << " (after "
          << catchUp.elapsed() << " ms to catch up)" << Qt::endl;
    const MessageStore::Counters counters = window.store()->counters();
    out() << "store: duplicates " << counters.duplicates << ", malformed " << counters.malformed
          << ", pending " << window.store()->pendingCount() << Qt::endl;
    const GatewayMetrics &metrics = window.metrics();
    // What the client took off the socket against what reached the store: the loss inside
    // Gatescope's pipeline, whatever the emulator generated but did not deliver.
    const qint64 clientCreates = qint64(metrics.dispatchesByType.value(u"MESSAGE_CREATE"_s));
    out() << "client received MESSAGE_CREATE: " << clientCreates
          << ", lost between client and store: " << std::max<qint64>(0, clientCreates - received())
          << Qt::endl;
    out() << "reconnects: " << metrics.reconnects << ", ACK misses: " << metrics.ackMisses
          << ", busy beats: " << metrics.busyBeats << Qt::endl;
    out() << "event-loop ticks: " << lateness.size() << Qt::endl;
    out() << "stall worst: " << QString::number(percentile(lateness, 1.0), 'f', 1) << " ms"
          << Qt::endl;
    out() << "stall p99: " << QString::number(percentile(lateness, 0.99), 'f', 1) << " ms"
          << Qt::endl;
    out() << "stall p50: " << QString::number(percentile(lateness, 0.5), 'f', 1) << " ms"
          << Qt::endl;
    out() << "GUI CPU between ticks (the stalls of an idle machine): worst "
          << QString::number(percentile(cpuBetweenTicks, 1.0), 'f', 1) << " ms, p99 "
          << QString::number(percentile(cpuBetweenTicks, 0.99), 'f', 1) << " ms, p50 "
          << QString::number(percentile(cpuBetweenTicks, 0.5), 'f', 1) << " ms" << Qt::endl;
    const double guiUs = printCpuPerMessage("", cpuAtStart, cpuAtEnd);
    if (figures)
        *figures = {percentile(lateness, 1.0), percentile(lateness, 0.99), guiUs};
    if (panes > 0) {
        printPaneComparison(lateness, splitAt, panes);
        printCpuPerMessage("1 pane:  ", cpuAtStart, cpuAtSplit);
        const QByteArray label = QByteArray::number(panes) + " panes: ";
        printCpuPerMessage(label.constData(), cpuAtSplit, cpuAtEnd);
    }
    if (profileEvents)
        app.printProfile(cpuAtEnd.messages - cpuAtStart.messages);
    for (const auto &[ms, longest] : cpuStalls)
        out() << "GUI CPU of " << QString::number(ms, 'f', 1) << " ms between ticks"
              << (longest.isEmpty() ? QString() : u": "_s + longest) << Qt::endl;
    for (const auto &[endNs, ms] : longStalls)
        out() << "stall of " << QString::number(ms, 'f', 1) << " ms ending at monotonic "
              << QString::number(double(endNs) / 1e9, 'f', 3) << " s" << Qt::endl;
    return 0;
}

int measureStartup(const QString &program, int runs)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        QProcess child;
        QElapsedTimer clock;
        clock.start();
        child.start(program, {u"--startup-child"_s});
        if (!child.waitForStarted(5000)) {
            out() << "start-up: cannot start " << program << Qt::endl;
            return 1;
        }
        bool exposed = false;
        while (!exposed && child.waitForReadyRead(10000))
            exposed = child.readAll().contains("exposed");
        const double ms = double(clock.nsecsElapsed()) / 1e6;
        child.waitForFinished(5000);
        if (!exposed) {
            out() << "start-up: the window never appeared" << Qt::endl;
            return 1;
        }
        times.push_back(ms);
    }
    out() << "start-up to visible window (" << runs << " runs): median "
          << QString::number(percentile(times, 0.5), 'f', 0) << " ms, worst "
          << QString::number(percentile(times, 1.0), 'f', 0) << " ms" << Qt::endl;
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    ProfilingApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"GatescopeBench"_s);
    QCoreApplication::setApplicationName(u"uibench"_s);
    QCommandLineParser parser;
    parser.addHelpOption();
    QCommandLineOption seconds(u"seconds"_s, u"Length of the stall run."_s, u"N"_s, u"30"_s);
    QCommandLineOption rate(u"rate"_s, u"Messages per second."_s, u"R"_s, u"10000"_s);
    QCommandLineOption filter(u"filter"_s, u"Query active during the run."_s, u"QUERY"_s,
                              u"-is:bot has:link OR has:mention"_s);
    QCommandLineOption runs(u"startup-runs"_s, u"Start-up measurements."_s, u"N"_s, u"5"_s);
    QCommandLineOption child(u"startup-child"_s, u"(internal) show the window and exit."_s);
    QCommandLineOption noFrames(u"hide-frames"_s, u"Close the raw frames dock during the run."_s);
    QCommandLineOption listStalls(u"list-stalls"_s, u"Print every stall longer than MS."_s, u"MS"_s,
                                  u"0"_s);
    QCommandLineOption comparePlain(
            u"compare-plain"_s, u"Measure the plain feed, then the rendered one, and compare."_s);
    QCommandLineOption paneCount(u"panes"_s, u"Split the feed into N panes halfway through."_s,
                                 u"N"_s, u"0"_s);
    QCommandLineOption profileEvents(
            u"profile-events"_s, u"Print the GUI thread's CPU time by event type and receiver."_s);
    QCommandLineOption emulatorIdle(
            u"emulator-idle-priority"_s,
            u"Run the emulator's thread at idle priority (SCHED_IDLE) rather than normal."_s);
    parser.addOptions({seconds, rate, filter, runs, child, noFrames, listStalls, comparePlain,
                       paneCount, profileEvents, emulatorIdle});
    parser.process(app);
    if (parser.isSet(child))
        return startupChild(app);

    const int startupRuns = parser.value(runs).toInt();
    if (startupRuns > 0
        && measureStartup(QCoreApplication::applicationFilePath(), startupRuns) != 0)
        return 1;
    const auto measure = [&](bool plain, StallFigures *figures) {
        return measureStalls(app, std::max(1, parser.value(seconds).toInt()),
                             std::max(1.0, parser.value(rate).toDouble()), parser.value(filter),
                             !parser.isSet(noFrames), parser.value(listStalls).toDouble(),
                             std::clamp(parser.value(paneCount).toInt(), 0, 8),
                             parser.isSet(profileEvents), parser.isSet(emulatorIdle), plain,
                             figures);
    };
    if (!parser.isSet(comparePlain))
        return measure(false, nullptr);
    StallFigures plain;
    StallFigures rendered;
    if (measure(true, &plain) != 0 || measure(false, &rendered) != 0)
        return 1;
    const auto ratio = [](double a, double b) {
        return QString::number(a / std::max(b, 0.1), 'f', 2);
    };
    out() << "rendered/plain: worst " << ratio(rendered.worst, plain.worst) << "x, p99 "
          << ratio(rendered.p99, plain.p99) << "x, GUI-thread CPU per message "
          << ratio(rendered.guiUsPerMessage, plain.guiUsPerMessage) << "x" << Qt::endl;
    return 0;
}
