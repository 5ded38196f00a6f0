#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTest>

/// Runs the built `gatescope` binary (GATESCOPE_BINARY) as a process, the way an operator or a
/// script does, with a clean environment: no $DISCORD_TOKEN unless a test sets one.
class GatescopeRun
{
public:
    explicit GatescopeRun(const QStringList &arguments)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("DISCORD_TOKEN"));
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        m_process.setProcessEnvironment(environment);
        m_process.setProgram(QStringLiteral(GATESCOPE_BINARY));
        m_process.setArguments(arguments);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_out += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_err += m_process.readAllStandardError(); });
    }

    void setEnvironmentVariable(const QString &name, const QString &value)
    {
        QProcessEnvironment environment = m_process.processEnvironment();
        environment.insert(name, value);
        m_process.setProcessEnvironment(environment);
    }

    bool start()
    {
        m_process.start();
        return m_process.waitForStarted(5000);
    }
    /// Keeps this thread's event loop turning (an in-process emulator may be serving the app).
    bool waitForExit(int timeoutMs = 30000)
    {
        const bool ended = QTest::qWaitFor(
                [this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
        m_out += m_process.readAllStandardOutput();
        m_err += m_process.readAllStandardError();
        return ended;
    }
    bool run(int timeoutMs = 30000) { return start() && waitForExit(timeoutMs); }

    void terminate() { m_process.terminate(); }
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    const QByteArray &out() const { return m_out; }
    const QByteArray &err() const { return m_err; }
    /// stdout lines without the --stats-json line.
    QList<QByteArray> eventLines() const
    {
        QList<QByteArray> lines = m_out.split('\n');
        lines.removeIf(
                [](const QByteArray &line) { return line.isEmpty() || line.startsWith('{'); });
        return lines;
    }
    int countLinesWith(const QByteArray &text) const
    {
        int n = 0;
        for (const QByteArray &line : eventLines())
            n += line.contains(text) ? 1 : 0;
        return n;
    }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};
