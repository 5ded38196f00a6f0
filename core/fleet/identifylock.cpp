#include "core/fleet/identifylock.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace Gatescope {

IdentifyLock::IdentifyLock(const RedisEndpoint &endpoint, const QString &collectorId,
                           const QString &applicationKey, QObject *parent)
    : QObject(parent)
    , m_connection(new RedisConnection(endpoint, this))
    , m_endpoint(endpoint)
    , m_collector(collectorId.toUtf8())
    , m_application(applicationKey)
{ }

QString IdentifyLock::applicationKeyOf(const QString &token)
{
    const QByteArray first = token.section(u'.', 0, 0).toLatin1();
    const QByteArray decoded
            = QByteArray::fromBase64(first, QByteArray::AbortOnBase64DecodingErrors);
    bool numeric = !decoded.isEmpty() && decoded.size() <= 20;
    for (const char c : decoded)
        numeric = numeric && c >= '0' && c <= '9';
    if (numeric)
        return QString::fromLatin1(decoded);
    return u"h"_s
           + QString::fromLatin1(
                   QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256)
                           .toHex()
                           .left(16));
}

void IdentifyLock::open()
{
    m_connection->setReconnectInterval(500);
    m_connection->open();
}

void IdentifyLock::setMaxConcurrency(int maxConcurrency)
{
    m_maxConcurrency = qMax(1, maxConcurrency);
}

QByteArray IdentifyLock::lockKey(int shardId) const
{
    const int bucket = qMax(0, shardId) % m_maxConcurrency;
    return m_endpoint.key(u"identify:%1:%2"_s.arg(m_application).arg(bucket));
}

IdentifyGate IdentifyLock::gate()
{
    return [lock = QPointer<IdentifyLock>(this)](int shardId, std::function<void()> proceed) {
        QMetaObject::invokeMethod(
                lock.data(),
                [lock, shardId, proceed = std::move(proceed)]() mutable {
                    if (lock)
                        lock->acquire(shardId, std::move(proceed));
                },
                Qt::QueuedConnection);
    };
}

void IdentifyLock::retryLater(int shardId, std::function<void()> proceed, int delayMs)
{
    QTimer::singleShot(delayMs, this, [this, shardId, proceed = std::move(proceed)]() mutable {
        acquire(shardId, std::move(proceed));
    });
}

void IdentifyLock::acquire(int shardId, std::function<void()> proceed)
{
    if (!m_connection->isConnected()) {
        emit waiting(shardId, QString(), -1);
        retryLater(shardId, std::move(proceed), 500);
        return;
    }
    const QByteArray key = lockKey(shardId);
    const QByteArray ttl = QByteArray::number(IdentifyWindowMs + m_marginMs);
    m_connection->send(
            {"SET"_ba, key, m_collector, "NX"_ba, "PX"_ba, ttl},
            [this, key, shardId, proceed = std::move(proceed)](const RedisReply &reply) mutable {
                if (reply.isError()) {
                    retryLater(shardId, std::move(proceed), 500);
                    return;
                }
                if (reply.isNil()) {
                    // Held: ask by whom and for how long, and try again when it expires.
                    m_connection->send(
                            {"EVAL"_ba,
                             "return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}"_ba,
                             "1"_ba, key},
                            [this, shardId,
                             proceed = std::move(proceed)](const RedisReply &held) mutable {
                                const qint64 remaining
                                        = qMax<qint64>(held.elements.value(1).integer, 0);
                                emit waiting(shardId,
                                             QString::fromUtf8(held.elements.value(0).string),
                                             remaining);
                                retryLater(shardId, std::move(proceed), int(remaining) + 10);
                            });
                    return;
                }
                // Taken: the Identify may leave now. The daily count follows on its own.
                proceed();
                const QByteArray day = m_endpoint.key(u"identifies:%1:%2"_s.arg(
                        m_application, QDateTime::currentDateTimeUtc().toString(u"yyyy-MM-dd"_s)));
                m_connection->send({"INCR"_ba, day}, [this, shardId](const RedisReply &count) {
                    if (count.type != RedisReply::Type::Integer)
                        return;
                    m_identifiesToday = count.integer;
                    emit acquired(shardId, count.integer);
                });
                m_connection->send({"EXPIRE"_ba, day, "172800"_ba});
            });
}

} // namespace Gatescope
