#pragma once

#include <QAbstractSocket>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QString>
#include <QUrl>

#include <optional>

namespace Gatescope {

/// How the gateway WebSocket and the REST discovery reach the network: the system's proxy
/// (the default), no proxy, or one given as a URL, `http://host:port` (HTTP CONNECT) or
/// `socks5://[user:pass@]host:port`.
///
/// A plain value type. The password lives only in url (and in the QNetworkProxy handed to a
/// socket); name() and the error texts name the proxy by scheme, host and port only, so it never
/// reaches a log line, a status line or a title.
struct ProxySettings
{
    enum class Mode { System, None, Url };

    Mode mode = Mode::System;
    QUrl url; ///< Mode::Url only

    /// "" (or "system") → the system proxy, "none" (or "direct") → no proxy, else a proxy URL.
    /// nullopt, with a one-line @p error saying what is accepted, for anything else.
    static std::optional<ProxySettings> parse(const QString &text, QString *error);
    static ProxySettings none() { return {Mode::None, {}}; }

    /// The text parse() reads back: "", "none" or the URL. With @p withPassword false the
    /// password is left out (what settings files keep).
    QString text(bool withPassword = true) const;
    /// "the system proxy", "no proxy" or e.g. "the SOCKS5 proxy 127.0.0.1:1080".
    QString name() const;

    /// The proxy a connection to @p target uses. The system proxy is asked per target, with
    /// ws/wss looked up as http/https (so $https_proxy applies to wss://), and never used for a
    /// loopback target (localhost, 127.0.0.0/8, ::1: demo mode and emulators).
    QNetworkProxy proxyFor(const QUrl &target) const;

    /// "the HTTP proxy 127.0.0.1:8888", or "no proxy" for a direct connection.
    static QString describe(const QNetworkProxy &proxy);
    /// A sentence naming @p proxy for a socket error that is the proxy's (refused, not found,
    /// closed, timed out, authentication); empty for any other error.
    static QString socketError(QAbstractSocket::SocketError error, const QNetworkProxy &proxy);
    /// The same for a QNetworkReply error (REST discovery); through an HTTP proxy, plain
    /// connection errors (refused, closed, host not found, timeout) are the proxy's too.
    static QString replyError(QNetworkReply::NetworkError error, const QNetworkProxy &proxy);
};

} // namespace Gatescope
