#include "core/metrics/metricsserver.h"

#include "core/logging.h"
#include "core/metrics/metricsregistry.h"
#include "core/metrics/prometheusformatter.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace Gatescope {

MetricsServer::MetricsServer(MetricsRegistry *registry, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
{ }

MetricsServer::~MetricsServer() = default;

std::optional<MetricsServer::ListenAddress> MetricsServer::parseListenAddress(const QString &text,
                                                                              QString *error)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon < 0) {
        *error = u"\"%1\" is not ADDR:PORT (for example 127.0.0.1:9464)"_s.arg(text);
        return std::nullopt;
    }
    QString host = text.left(colon);
    const QString portText = text.mid(colon + 1);
    const bool bracketed = host.startsWith(u'[') && host.endsWith(u']');
    if (bracketed)
        host = host.mid(1, host.size() - 2);
    ListenAddress out;
    if (host.compare("localhost"_L1, Qt::CaseInsensitive) == 0)
        out.address = QHostAddress(QHostAddress::LocalHost);
    else
        out.address = QHostAddress(host);
    const bool ipv6 = out.address.protocol() == QAbstractSocket::IPv6Protocol;
    if (host.isEmpty() || out.address.isNull() || ipv6 != bracketed) {
        *error = u"\"%1\" is not an IPv4 address, [IPv6] address or localhost"_s.arg(
                bracketed ? u"["_s + host + u"]"_s : host);
        return std::nullopt;
    }
    bool ok = false;
    const int port = portText.toInt(&ok);
    if (!ok || port < 0 || port > 65535 || portText.startsWith(u'+')) {
        *error = u"\"%1\" is not a port from 0 (any free port) to 65535"_s.arg(portText);
        return std::nullopt;
    }
    out.port = quint16(port);
    return out;
}

bool MetricsServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    // Our own QTcpServer, so a failure to listen comes with the reason (QHttpServer's listen()
    // only says 0).
    auto tcp = std::make_unique<QTcpServer>();
    if (!tcp->listen(address, port)) {
        *error = tcp->errorString();
        return false;
    }
    delete m_http;
    m_http = new QHttpServer(this);
    m_http->route(u"/metrics"_s, QHttpServerRequest::Method::Get,
                  [this](const QHttpServerRequest &) {
                      return QHttpServerResponse(PrometheusFormatter::ContentType, metricsText());
                  });
    // Registered after GET: the router takes the first rule that matches.
    m_http->route(
            u"/metrics"_s, QHttpServerRequest::Method::AnyKnown, [](const QHttpServerRequest &) {
                QHttpServerResponse response("text/plain; charset=utf-8",
                                             "only GET is served here\n",
                                             QHttpServerResponse::StatusCode::MethodNotAllowed);
                response.setHeader("Allow", "GET");
                return response;
            });
    m_address = tcp->serverAddress();
    m_port = tcp->serverPort();
    m_http->bind(tcp.release()); // the HTTP server takes it over as its child
    qCInfo(lcMetrics).noquote() << "serving" << url();
    return true;
}

bool MetricsServer::isListening() const
{
    return m_http != nullptr;
}

quint16 MetricsServer::serverPort() const
{
    return m_http ? m_port : 0;
}

QString MetricsServer::url() const
{
    if (!m_http)
        return {};
    const QString host = m_address.protocol() == QAbstractSocket::IPv6Protocol
                                 ? u"[%1]"_s.arg(m_address.toString())
                                 : m_address.toString();
    return u"http://%1:%2/metrics"_s.arg(host).arg(m_port);
}

QByteArray MetricsServer::metricsText()
{
    ++m_scrapes;
    return PrometheusFormatter::format(m_registry->collect());
}

} // namespace Gatescope
