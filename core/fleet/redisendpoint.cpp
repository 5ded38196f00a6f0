#include "core/fleet/redisendpoint.h"

#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Gatescope {

std::optional<RedisEndpoint> RedisEndpoint::parse(const QString &text, QString *error)
{
    const auto fail = [error](const QString &message) -> std::optional<RedisEndpoint> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != "redis"_L1 && url.scheme() != "rediss"_L1))
        return fail(u"expected redis://host:port[/prefix] or rediss://host:port[/prefix]"_s);
    if (!url.password().isEmpty() || !url.userName().isEmpty())
        return fail(u"the URL must not carry a user or password (it would be visible in the "
                    "process list); use --redis-password-file PATH or $GATESCOPE_REDIS_PASSWORD"_s);
    if (url.host().isEmpty())
        return fail(u"the URL names no host"_s);
    if (url.hasQuery() || url.hasFragment())
        return fail(u"the URL must not have a query or fragment"_s);
    RedisEndpoint endpoint;
    endpoint.host = url.host();
    endpoint.tls = url.scheme() == "rediss"_L1;
    endpoint.port = quint16(url.port(6379));
    QString path = url.path();
    if (path.startsWith(u'/'))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        static const QRegularExpression allowed(u"^[A-Za-z0-9_.:-]{1,64}$"_s);
        if (!allowed.match(path).hasMatch())
            return fail(u"the prefix \"%1\" may hold only letters, digits and _ . : - (at most "
                        "64)"_s.arg(path));
        endpoint.prefix = path;
    }
    return endpoint;
}

QByteArray RedisEndpoint::key(const QString &suffix) const
{
    return (prefix + u':' + suffix).toUtf8();
}

QString RedisEndpoint::displayUrl() const
{
    return u"%1://%2:%3/%4"_s.arg(tls ? u"rediss"_s : u"redis"_s, host).arg(port).arg(prefix);
}

} // namespace Gatescope
