#pragma once

#include <QByteArray>
#include <QList>

namespace Gatescope {

/// One Redis reply as a value: hiredis' `redisReply` tree copied into Qt types (RedisConnection
/// parses with hiredis' reader and frees its tree at once). A reply that never came, because
/// the connection ended first, is an Error with lost() true.
struct RedisReply
{
    enum class Type { Nil, Status, Error, Integer, String, Array };
    Type type = Type::Nil;
    qint64 integer = 0;
    QByteArray string; ///< Status, Error and String
    QList<RedisReply> elements; ///< Array
    bool connectionLost = false; ///< Error: the connection ended before the reply arrived

    bool isError() const { return type == Type::Error; }
    bool isNil() const { return type == Type::Nil; }
    bool lost() const { return connectionLost; }

    static RedisReply error(const QByteArray &text, bool lost = false)
    {
        RedisReply reply;
        reply.type = Type::Error;
        reply.string = text;
        reply.connectionLost = lost;
        return reply;
    }
};

} // namespace Gatescope
