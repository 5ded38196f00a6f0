#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>
#include <QStringView>

namespace Gatescope {

/// Appends Redis commands to a buffer in RESP (an array of bulk strings per command), byte for
/// byte what hiredis' `redisFormatCommandArgv` writes (tests/core/fleet/tst_respwriter checks
/// it), but straight into the caller's buffer: no allocation per argument and no printf per
/// length, which made hiredis' encoding most of a publisher's CPU time. hiredis still parses
/// every reply.
///
/// Usage: `RespWriter(&buffer).command(3).argument("SET").argument(key).argument(value)`; the
/// caller writes exactly as many arguments as command() announced. Borrows @p out, which must
/// outlive it. Not thread-safe (a plain value over one buffer).
class RespWriter
{
public:
    explicit RespWriter(QByteArray *out)
        : m_out(out)
    { }

    /// Starts a command of @p arguments arguments (the name counts as one).
    RespWriter &command(qsizetype arguments);
    RespWriter &argument(QByteArrayView bytes);
    /// In decimal, as Redis reads integers.
    RespWriter &argument(qint64 number);
    /// As UTF-8.
    RespWriter &argument(QStringView text);

    /// One whole command, for callers that have its arguments as a list.
    static QByteArray encode(const QByteArrayList &arguments);

private:
    /// Appends @p bytes bytes and returns where they start.
    char *grow(qsizetype bytes);
    /// Appends a bulk string's header and trailer around @p size bytes and returns where they go.
    char *bulk(qsizetype size);

    QByteArray *m_out;
};

} // namespace Gatescope
