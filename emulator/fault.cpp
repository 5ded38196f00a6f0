#include "emulator/fault.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator {

namespace {

constexpr qint64 MaxFaultBytes = 256LL * 1024 * 1024;
constexpr qint64 DefaultGarbageBytes = 64;
constexpr qint64 DefaultOversizedBytes = 1024 * 1024;
constexpr qint64 MinEveryMs = 10;

struct ActionName
{
    const char *name;
    Fault::Kind kind;
};

// The first name of a kind is the one toSpec() writes; the others are accepted aliases.
constexpr ActionName ActionNames[] = {
        {"drop", Fault::Kind::DropTcp},
        {"stop-acks", Fault::Kind::StopAcks},
        {"no-ack", Fault::Kind::StopAcks},
        {"resume-acks", Fault::Kind::ResumeAcks},
        {"ack-delay", Fault::Kind::AckDelay},
        {"op7", Fault::Kind::Reconnect},
        {"reconnect", Fault::Kind::Reconnect},
        {"op9", Fault::Kind::InvalidSession},
        {"invalid-session", Fault::Kind::InvalidSession},
        {"close", Fault::Kind::Close},
        {"garbage", Fault::Kind::Garbage},
        {"truncated-zlib", Fault::Kind::TruncatedZlib},
        {"invalid-json", Fault::Kind::InvalidJson},
        {"oversized", Fault::Kind::Oversized},
        {"op1", Fault::Kind::RequestHeartbeat},
        {"heartbeat-request", Fault::Kind::RequestHeartbeat},
        {"slow", Fault::Kind::SlowWrite},
        {"silence", Fault::Kind::Silence},
        {"end-silence", Fault::Kind::EndSilence},
};

QString kindName(Fault::Kind kind)
{
    for (const ActionName &entry : ActionNames) {
        if (entry.kind == kind)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

std::optional<Fault::Kind> kindForName(const QString &name)
{
    for (const ActionName &entry : ActionNames) {
        if (name == QLatin1StringView(entry.name))
            return entry.kind;
    }
    return std::nullopt;
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

std::optional<qint64> parseCount(const QString &text)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < 0 || text.startsWith(u'+'))
        return std::nullopt;
    return value;
}

std::optional<qint64> parseDuration(const QString &text)
{
    static const QRegularExpression re(u"^(\\d{1,9})(ms|s|m)$"_s);
    const QRegularExpressionMatch match = re.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 value = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    if (unit == "ms"_L1)
        return value;
    if (unit == "s"_L1)
        return value * 1000;
    return value * 60000;
}

std::optional<qint64> parseBytes(const QString &text)
{
    static const QRegularExpression re(u"^(\\d{1,10})([kKmM]?)$"_s);
    const QRegularExpressionMatch match = re.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    qint64 value = match.captured(1).toLongLong();
    const QString unit = match.captured(2).toLower();
    if (unit == "k"_L1)
        value *= 1024;
    else if (unit == "m"_L1)
        value *= 1024 * 1024;
    if (value > MaxFaultBytes)
        return std::nullopt;
    return value;
}

QString durationSpec(qint64 ms)
{
    if (ms % 60000 == 0 && ms != 0)
        return u"%1m"_s.arg(ms / 60000);
    if (ms % 1000 == 0 && ms != 0)
        return u"%1s"_s.arg(ms / 1000);
    return u"%1ms"_s.arg(ms);
}

// Parses the part after "ACTION:" into @p fault. @p arg is null when there was no colon.
bool parseArgument(Fault &fault, const QString &action, const std::optional<QString> &arg,
                   QString *error)
{
    auto noArgument = [&] {
        return !arg || fail(error, u"'%1' takes no argument (got '%2')"_s.arg(action, *arg));
    };
    switch (fault.kind) {
    case Fault::Kind::DropTcp:
    case Fault::Kind::StopAcks:
    case Fault::Kind::ResumeAcks:
    case Fault::Kind::Reconnect:
    case Fault::Kind::TruncatedZlib:
    case Fault::Kind::InvalidJson:
    case Fault::Kind::RequestHeartbeat:
        return noArgument();
    case Fault::Kind::AckDelay: {
        if (!arg)
            return fail(error,
                        u"ack-delay needs a delay in ms, e.g. ack-delay:50 or ack-delay:30-120"_s);
        const QStringList range = arg->split(u'-');
        const std::optional<qint64> low
                = range.size() <= 2 ? parseCount(range.value(0)) : std::nullopt;
        const std::optional<qint64> high = range.size() == 2 ? parseCount(range.value(1)) : low;
        if (!low || !high || *low > 600000 || *high > 600000)
            return fail(error, u"ack-delay: '%1' is not MS or MIN-MAX (0–600000 ms)"_s.arg(*arg));
        if (*high < *low)
            return fail(error, u"ack-delay: the range %1 ends below its start"_s.arg(*arg));
        fault.minDelayMs = int(*low);
        fault.maxDelayMs = int(*high);
        return true;
    }
    case Fault::Kind::InvalidSession:
        if (arg == u"true"_s || arg == u"false"_s) {
            fault.resumable = *arg == u"true"_s;
            return true;
        }
        return fail(error, u"op9 needs true or false, e.g. op9:false"_s);
    case Fault::Kind::Close: {
        if (!arg)
            return fail(error, u"close needs a code, e.g. close:4000"_s);
        const qsizetype colon = arg->indexOf(u':');
        const QString codeText = colon < 0 ? *arg : arg->left(colon);
        bool ok = false;
        const int code = codeText.toInt(&ok);
        if (!ok || !Fault::isSendableCloseCode(code))
            return fail(error, u"close: '%1' is not a close code a server may send "
                               "(1000–1003, 1007–1011, 3000–4999)"_s.arg(codeText));
        fault.closeCode = code;
        if (colon >= 0) {
            fault.closeReason = arg->mid(colon + 1);
            if (fault.closeReason.toUtf8().size() > 123)
                return fail(error, u"close: the reason is longer than 123 bytes"_s);
        }
        return true;
    }
    case Fault::Kind::Garbage:
    case Fault::Kind::Oversized: {
        fault.bytes
                = fault.kind == Fault::Kind::Garbage ? DefaultGarbageBytes : DefaultOversizedBytes;
        if (!arg)
            return true;
        const std::optional<qint64> bytes = parseBytes(*arg);
        if (!bytes || *bytes == 0)
            return fail(error, u"%1: '%2' is not a size between 1 and 256m (N, Nk or Nm)"_s.arg(
                                       action, *arg));
        fault.bytes = *bytes;
        return true;
    }
    case Fault::Kind::SlowWrite: {
        const std::optional<qint64> bytes = arg ? parseBytes(*arg) : std::nullopt;
        if (!bytes)
            return fail(error, u"slow needs bytes per second (0 = off), e.g. slow:2k"_s);
        fault.bytes = *bytes;
        return true;
    }
    case Fault::Kind::Silence:
    case Fault::Kind::EndSilence: {
        if (!arg)
            return true;
        const std::optional<qint64> shard = parseCount(*arg);
        if (!shard || *shard > 65535)
            return fail(error, u"%1: '%2' is not a shard id (0–65535)"_s.arg(action, *arg));
        fault.shard = int(*shard);
        return true;
    }
    }
    return fail(error, u"unhandled fault kind"_s);
}

bool parseWhen(Fault &fault, const QString &when, QString *error)
{
    const qsizetype colon = when.indexOf(u':');
    const QString word = when.left(colon);
    const QString value = colon < 0 ? QString() : when.mid(colon + 1);
    if (word == "at"_L1 || word == "every"_L1) {
        const std::optional<qint64> ms = parseDuration(value);
        if (!ms)
            return fail(error,
                        u"%1: '%2' is not a duration like 500ms, 30s or 2m"_s.arg(word, value));
        if (word == "every"_L1 && *ms < MinEveryMs)
            return fail(error, u"every: the period must be at least %1 ms"_s.arg(MinEveryMs));
        fault.trigger = word == "at"_L1 ? Fault::Trigger::At : Fault::Trigger::Every;
        fault.triggerValue = *ms;
        return true;
    }
    if (word == "after"_L1) {
        const std::optional<qint64> count = parseCount(value);
        if (!count || *count < 1)
            return fail(error, u"after: '%1' is not a message count ≥ 1"_s.arg(value));
        fault.trigger = Fault::Trigger::AfterMessages;
        fault.triggerValue = *count;
        return true;
    }
    return fail(error,
                u"unknown schedule '%1' (use at:DURATION, every:DURATION or after:MESSAGES)"_s.arg(
                        when));
}

} // namespace

std::optional<Fault> Fault::parse(const QString &spec, QString *error)
{
    const QString text = spec.trimmed();
    if (text.isEmpty()) {
        fail(error, u"empty fault spec"_s);
        return std::nullopt;
    }
    const qsizetype at = text.indexOf(u'@');
    const QString actionPart = at < 0 ? text : text.left(at);
    const qsizetype colon = actionPart.indexOf(u':');
    const QString action = actionPart.left(colon).toLower();
    const std::optional<QString> arg
            = colon < 0 ? std::nullopt : std::optional<QString>(actionPart.mid(colon + 1));

    const std::optional<Kind> kind = kindForName(action);
    if (!kind) {
        fail(error, u"unknown fault '%1' in '%2' (see --help for the list)"_s.arg(action, text));
        return std::nullopt;
    }
    Fault fault = make(*kind);
    QString reason;
    if (!parseArgument(fault, action, arg, &reason)
        || (at >= 0 && !parseWhen(fault, text.mid(at + 1), &reason))) {
        fail(error, u"bad fault spec '%1': %2"_s.arg(text, reason));
        return std::nullopt;
    }
    if (at < 0 && !fault.isMode()) {
        fail(error, u"bad fault spec '%1': '%2' needs a schedule, e.g. %2@every:30s, %2@at:10s or "
                    "%2@after:5000"_s.arg(text, actionPart));
        return std::nullopt;
    }
    return fault;
}

QString Fault::toSpec() const
{
    QString spec = kindName(kind);
    switch (kind) {
    case Kind::AckDelay:
        spec += minDelayMs == maxDelayMs ? u":%1"_s.arg(minDelayMs)
                                         : u":%1-%2"_s.arg(minDelayMs).arg(maxDelayMs);
        break;
    case Kind::InvalidSession:
        spec += resumable ? ":true"_L1 : ":false"_L1;
        break;
    case Kind::Close:
        spec += u":%1"_s.arg(closeCode);
        if (!closeReason.isEmpty())
            spec += u':' + closeReason;
        break;
    case Kind::Garbage:
    case Kind::Oversized:
    case Kind::SlowWrite:
        spec += u":%1"_s.arg(bytes);
        break;
    case Kind::Silence:
    case Kind::EndSilence:
        if (shard >= 0)
            spec += u":%1"_s.arg(shard);
        break;
    default:
        break;
    }
    switch (trigger) {
    case Trigger::Now:
        break;
    case Trigger::At:
        spec += "@at:"_L1 + durationSpec(triggerValue);
        break;
    case Trigger::Every:
        spec += "@every:"_L1 + durationSpec(triggerValue);
        break;
    case Trigger::AfterMessages:
        spec += u"@after:%1"_s.arg(triggerValue);
        break;
    }
    return spec;
}

bool Fault::isMode() const
{
    return kind == Kind::StopAcks || kind == Kind::ResumeAcks || kind == Kind::AckDelay
           || kind == Kind::SlowWrite;
}

QString Fault::grammarHelp()
{
    return uR"(Fault specs (--fault, repeatable; --fault-file: one per line, # comments):
  ACTION[@WHEN]
  ACTION:  drop                  abort the TCP connection (no close frame)
           stop-acks             stop answering heartbeats (lasting)
           resume-acks           answer heartbeats again, without delay (lasting)
           ack-delay:MS[-MS]     delay each ACK by MS, or uniformly in MIN-MAX (lasting)
           op7                   send Reconnect; close with 4000 later if the client stays
           op9:true|false        send Invalid Session (false also ends the session)
           close:CODE[:REASON]   close with any code (1000-1003, 1007-1011, 3000-4999)
           garbage[:BYTES]       send random bytes as a binary message (default 64)
           truncated-zlib        send half of a compressed payload (text mode: half a JSON)
           invalid-json          send a payload that is not JSON
           oversized[:BYTES]     send one valid dispatch of at least BYTES (default 1m)
           op1                   ask for a heartbeat; no answer within the grace time → 4009
           slow:BYTES            write at most BYTES per second to each client (0 = off)
           silence[:SHARD]       the live connections (of SHARD only) get no more dispatches
                                 but heartbeats stay ACKed; a new connection (resume) is not
                                 silenced and gets what was missed replayed
           end-silence[:SHARD]   silenced connections get dispatches again
  WHEN:    at:DURATION           once, after the server started (DURATION: 500ms, 30s, 2m)
           every:DURATION        repeatedly
           after:N               once, when N MESSAGE_CREATE events have been generated
  Lasting modes without WHEN apply from the start; other actions need a WHEN.
  Examples: op7@every:30s   close:4000@after:5000   ack-delay:30-120   drop@at:10s)"_s;
}

Fault Fault::make(Kind kind)
{
    Fault fault;
    fault.kind = kind;
    return fault;
}

Fault Fault::close(int code, const QString &reason)
{
    Fault fault = make(Kind::Close);
    fault.closeCode = code;
    fault.closeReason = reason;
    return fault;
}

Fault Fault::ackDelay(int minMs, int maxMs)
{
    Fault fault = make(Kind::AckDelay);
    fault.minDelayMs = minMs;
    fault.maxDelayMs = qMax(minMs, maxMs);
    return fault;
}

Fault Fault::invalidSession(bool resumable)
{
    Fault fault = make(Kind::InvalidSession);
    fault.resumable = resumable;
    return fault;
}

Fault Fault::silence(int shard, bool end)
{
    Fault fault = make(end ? Kind::EndSilence : Kind::Silence);
    fault.shard = shard;
    return fault;
}

Fault Fault::withBytes(Kind kind, qint64 bytes)
{
    Fault fault = make(kind);
    fault.bytes = bytes;
    return fault;
}

bool Fault::isSendableCloseCode(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011)
           || (code >= 3000 && code <= 4999);
}

} // namespace Gatescope::Emulator
