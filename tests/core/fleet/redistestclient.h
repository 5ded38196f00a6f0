#pragma once

#include "core/fleet/redisconnection.h"

#include <QSignalSpy>
#include <QTest>

#include <optional>

/// Blocking helpers over a RedisConnection for tests (the event loop turns while they wait).
class RedisTestClient
{
public:
    explicit RedisTestClient(const Gatescope::RedisEndpoint &endpoint)
        : m_connection(endpoint)
    { }

    bool open()
    {
        QSignalSpy connected(&m_connection, &Gatescope::RedisConnection::connected);
        m_connection.open();
        return m_connection.isConnected() || connected.wait(20000);
    }

    /// The reply to one command; an Error reply when none came within 20 s.
    Gatescope::RedisReply command(const QByteArrayList &arguments)
    {
        std::optional<Gatescope::RedisReply> reply;
        m_connection.send(arguments, [&reply](const Gatescope::RedisReply &r) { reply = r; });
        if (!QTest::qWaitFor([&reply] { return reply.has_value(); }, 20000))
            return Gatescope::RedisReply::error("timeout");
        return *reply;
    }

    /// Every entry of @p stream as field → value maps, oldest first.
    QList<QHash<QByteArray, QByteArray>> entries(const QByteArray &stream)
    {
        QList<QHash<QByteArray, QByteArray>> out;
        const Gatescope::RedisReply reply = command({"XRANGE", stream, "-", "+"});
        for (const Gatescope::RedisReply &entry : reply.elements) {
            QHash<QByteArray, QByteArray> fields;
            const QList<Gatescope::RedisReply> &pairs = entry.elements.value(1).elements;
            for (qsizetype i = 0; i + 1 < pairs.size(); i += 2)
                fields.insert(pairs.at(i).string, pairs.at(i + 1).string);
            out.append(fields);
        }
        return out;
    }

    Gatescope::RedisConnection &connection() { return m_connection; }

private:
    Gatescope::RedisConnection m_connection;
};
