#pragma once

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

/// A real proxy on 127.0.0.1 for tests, started as a process: Debian's `tinyproxy` (HTTP
/// CONNECT and plain HTTP proxying) or `microsocks` (SOCKS5, optionally with a user and
/// password). Each runs with its own config and port, never a system service. log() is what
/// the proxy wrote about its connections (tinyproxy's log file, microsocks' stderr), so a test
/// can prove that traffic went through it.
class LoopbackProxy
{
public:
    enum class Kind { Http, Socks5 };

    explicit LoopbackProxy(Kind kind)
        : m_kind(kind)
    { }
    ~LoopbackProxy()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    static QString binary(Kind kind)
    {
        return QStandardPaths::findExecutable(kind == Kind::Http ? QStringLiteral("tinyproxy")
                                                                 : QStringLiteral("microsocks"));
    }
    /// Why a test must skip, or empty when the binary is there.
    static QString missing(Kind kind)
    {
        if (!binary(kind).isEmpty())
            return {};
        return kind == Kind::Http
                       ? QStringLiteral("tinyproxy is not installed (apt-get install tinyproxy)")
                       : QStringLiteral("microsocks is not installed (apt-get install microsocks)");
    }

    /// A port nothing listens on (a proxy that refuses).
    static quint16 closedPort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

    /// Starts the proxy; with @p user and @p password (SOCKS5 only) it asks for them.
    bool start(const QString &user = {}, const QString &password = {})
    {
        if (!m_dir.isValid())
            return false;
        m_port = closedPort();
        QStringList arguments;
        if (m_kind == Kind::Http) {
            QFile config(m_dir.filePath(QStringLiteral("tinyproxy.conf")));
            if (!config.open(QIODevice::WriteOnly))
                return false;
            // No ConnectPort line: CONNECT is allowed to any port (the emulator's is random).
            config.write(QStringLiteral("Port %1\nListen 127.0.0.1\nTimeout 600\nAllow 127.0.0.1\n"
                                        "LogFile \"%2\"\nLogLevel Connect\nMaxClients 50\n")
                                 .arg(m_port)
                                 .arg(logPath())
                                 .toUtf8());
            config.close();
            arguments << QStringLiteral("-d") << QStringLiteral("-c") << config.fileName();
        } else {
            arguments << QStringLiteral("-i") << QStringLiteral("127.0.0.1") << QStringLiteral("-p")
                      << QString::number(m_port);
            if (!user.isEmpty())
                arguments << QStringLiteral("-u") << user << QStringLiteral("-P") << password;
        }
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(binary(m_kind), arguments);
        if (!m_process.waitForStarted(10000))
            return false;
        return QTest::qWaitFor(
                [this] {
                    QTcpSocket probe;
                    probe.connectToHost(QHostAddress::LocalHost, m_port);
                    return probe.waitForConnected(200);
                },
                20000);
    }

    quint16 port() const { return m_port; }
    QString url(const QString &credentials = {}) const
    {
        const QString scheme
                = m_kind == Kind::Http ? QStringLiteral("http") : QStringLiteral("socks5");
        const QString at = credentials.isEmpty() ? QString() : credentials + QLatin1Char('@');
        return scheme + QStringLiteral("://") + at + QStringLiteral("127.0.0.1:")
               + QString::number(m_port);
    }
    /// What the proxy logged so far about its connections.
    QByteArray log()
    {
        if (m_kind == Kind::Socks5) {
            m_log += m_process.readAllStandardError();
            return m_log;
        }
        QFile file(logPath());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }
    /// How many tunnels the proxy opened to 127.0.0.1:@p port (CONNECT or SOCKS5).
    int tunnelsTo(quint16 port)
    {
        const QByteArray target = "127.0.0.1:" + QByteArray::number(port);
        const QByteArray marker
                = m_kind == Kind::Http ? "CONNECT " + target : "connected to " + target;
        return int(log().count(marker));
    }
    /// How many plain HTTP requests (tinyproxy) went to @p path on 127.0.0.1:@p port.
    int requestsTo(quint16 port, const QByteArray &path)
    {
        return int(log().count("GET http://127.0.0.1:" + QByteArray::number(port) + path));
    }

private:
    QString logPath() const { return m_dir.filePath(QStringLiteral("tinyproxy.log")); }

    Kind m_kind;
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
};
