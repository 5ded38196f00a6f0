#pragma once

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

/// A real `redis-server` (Debian's package) for one test: loopback, a free port, no
/// persistence, stopped when this object goes. Never the system one on 6379.
/// stop() and start() again keep the port, to test an outage.
class RedisServer
{
public:
    RedisServer() = default;
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;
    ~RedisServer() { stop(); }

    static QString binary()
    {
        return QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    }
    static bool available() { return !binary().isEmpty(); }
    static QString skipReason()
    {
        return QStringLiteral("redis-server is not installed (scripts/setup.sh installs it)");
    }

    /// A free loopback port (bound, then released).
    static quint16 freePort()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return 0;
        return probe.serverPort();
    }

    /// Password for `requirepass` (empty: none). Set before start().
    void setPassword(const QByteArray &password) { m_password = password; }
    /// TLS only (`--tls-port`, `--port 0`) with these PEM files; set before start().
    void setTls(const QString &certFile, const QString &keyFile)
    {
        m_certFile = certFile;
        m_keyFile = keyFile;
    }

    /// Starts it and waits until it accepts connections.
    bool start()
    {
        if (m_port == 0)
            m_port = freePort();
        QStringList arguments{QStringLiteral("--bind"),       QStringLiteral("127.0.0.1"),
                              QStringLiteral("--save"),       QString(),
                              QStringLiteral("--appendonly"), QStringLiteral("no"),
                              QStringLiteral("--dir"),        m_dir.path(),
                              QStringLiteral("--loglevel"),   QStringLiteral("warning")};
        if (m_certFile.isEmpty()) {
            arguments << QStringLiteral("--port") << QString::number(m_port);
        } else {
            arguments << QStringLiteral("--port") << QStringLiteral("0")
                      << QStringLiteral("--tls-port") << QString::number(m_port)
                      << QStringLiteral("--tls-cert-file") << m_certFile
                      << QStringLiteral("--tls-key-file") << m_keyFile
                      << QStringLiteral("--tls-auth-clients") << QStringLiteral("no");
        }
        if (!m_password.isEmpty())
            arguments << QStringLiteral("--requirepass") << QString::fromUtf8(m_password);
        m_process.setProgram(binary());
        m_process.setArguments(arguments);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start();
        if (!m_process.waitForStarted(10000))
            return false;
        // Accepting TCP is enough: redis-server listens only once it is ready.
        return QTest::qWaitFor(
                       [this] {
                           if (m_process.state() != QProcess::Running)
                               return true;
                           QTcpSocket probe;
                           probe.connectToHost(QHostAddress::LocalHost, m_port);
                           return probe.waitForConnected(200);
                       },
                       20000)
               && m_process.state() == QProcess::Running;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    quint16 port() const { return m_port; }
    QString url(const QString &prefix = QStringLiteral("t")) const
    {
        return QStringLiteral("%1://127.0.0.1:%2/%3")
                .arg(m_certFile.isEmpty() ? QStringLiteral("redis") : QStringLiteral("rediss"))
                .arg(m_port)
                .arg(prefix);
    }
    QByteArray output() { return m_process.readAll(); }
    /// The server's process id (0 when not running), for a bench that reads its CPU time.
    qint64 processId() const { return m_process.processId(); }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QByteArray m_password;
    QString m_certFile;
    QString m_keyFile;
};
