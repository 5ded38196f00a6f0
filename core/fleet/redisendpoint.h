#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QString>

#include <optional>

namespace Gatescope {

/// Where a fleet's Redis is: `redis://host:port[/prefix]` or `rediss://…` (TLS), the key prefix
/// (default "gatescope"), and the password for AUTH, which never comes from the URL (a command
/// line is visible to every user of the host): parse() refuses a URL that carries one.
/// A value type.
struct RedisEndpoint
{
    QString host;
    quint16 port = 6379;
    bool tls = false;
    QString prefix = QStringLiteral("gatescope");
    QByteArray password; ///< empty = no AUTH; from a file or the environment
    /// Extra CA certificates trusted for rediss:// (a self-signed server); empty = the system's.
    QList<QSslCertificate> caCertificates;

    /// `redis://host:port[/prefix]` or `rediss://…`; nullopt with @p error (one line) otherwise.
    static std::optional<RedisEndpoint> parse(const QString &url, QString *error);
    /// `<prefix>:<suffix>`, the name of a key or stream.
    QByteArray key(const QString &suffix) const;
    /// The URL again, for status lines (never a password: it never has one).
    QString displayUrl() const;
};

} // namespace Gatescope
