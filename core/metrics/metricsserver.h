#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <optional>

class QHttpServer;

namespace Gatescope {

class MetricsRegistry;

/// Serves `GET /metrics` over plain HTTP (Qt's QHttpServer) in the Prometheus text format: each
/// request collects the registry and writes it with PrometheusFormatter. Other methods on
/// `/metrics` get 405, other paths 404. There is no authentication and no TLS: listen on
/// loopback unless the network in between is trusted (`--metrics-allow-remote`).
///
/// Thread affinity: the thread it was created in, which is where the registry's providers run
/// (the front end's). Does not own the registry, which must outlive it.
class MetricsServer : public QObject
{
    Q_OBJECT

public:
    /// Where to listen, from `ADDR:PORT`.
    struct ListenAddress
    {
        QHostAddress address;
        quint16 port = 0; ///< 0 = any free port
    };

    explicit MetricsServer(MetricsRegistry *registry, QObject *parent = nullptr);
    ~MetricsServer() override;

    /// Parses `ADDR:PORT`: an IPv4 address, `[IPv6]`, or `localhost` (127.0.0.1), and a port
    /// from 0 (any free port) to 65535. Nullopt, with a one-line @p error, otherwise.
    static std::optional<ListenAddress> parseListenAddress(const QString &text, QString *error);

    /// Starts listening. False, with @p error (address in use, not an address of this
    /// host …), when it cannot.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    bool isListening() const;
    /// The port listened on (the chosen one when asked for 0), 0 when not listening.
    quint16 serverPort() const;
    /// `http://ADDR:PORT/metrics`, empty when not listening.
    QString url() const;
    /// Scrapes answered with 200 since the start.
    qint64 scrapes() const { return m_scrapes; }

private:
    QByteArray metricsText();

    MetricsRegistry *m_registry;
    QHttpServer *m_http = nullptr;
    QHostAddress m_address;
    quint16 m_port = 0;
    qint64 m_scrapes = 0;
};

} // namespace Gatescope
