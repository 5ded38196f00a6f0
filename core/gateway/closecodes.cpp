#include "core/gateway/closecodes.h"

#include "core/gateway/intents.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace Gatescope::CloseCodes {

namespace {

struct Entry
{
    int code;
    Action action;
    const char *meaning;
};

// 4003 ends the session (payload before Identify, or a session the server invalidated);
// 4007 and 4009 start a new one as the docs say; 4004 and 4010-4014 are fatal.
constexpr Entry Table[] = {
        {1000, Action::Resume, "normal closure"},
        {1001, Action::Resume, "going away"},
        {1006, Action::Resume, "connection lost"},
        {UnknownError, Action::Resume, "unknown error"},
        {UnknownOpcode, Action::Resume, "unknown opcode"},
        {DecodeError, Action::Resume, "decode error"},
        {NotAuthenticated, Action::Identify, "not authenticated"},
        {AuthenticationFailed, Action::Fatal, "authentication failed"},
        {AlreadyAuthenticated, Action::Identify, "already authenticated"},
        {InvalidSeq, Action::Identify, "invalid seq"},
        {RateLimited, Action::Resume, "rate limited"},
        {SessionTimedOut, Action::Identify, "session timed out"},
        {InvalidShard, Action::Fatal, "invalid shard"},
        {ShardingRequired, Action::Fatal, "sharding required"},
        {InvalidApiVersion, Action::Fatal, "invalid API version"},
        {InvalidIntents, Action::Fatal, "invalid intent(s)"},
        {DisallowedIntents, Action::Fatal, "disallowed intent(s)"},
};

const Entry *find(int code)
{
    for (const Entry &entry : Table) {
        if (entry.code == code)
            return &entry;
    }
    return nullptr;
}

QString disallowedIntentsExplanation(quint32 requestedIntents)
{
    QStringList toggles;
    for (quint32 bit : {Intents::MessageContent, Intents::GuildMembers, Intents::GuildPresences}) {
        if (requestedIntents & bit)
            toggles.append(u"%1 (%2)"_s.arg(Intents::portalToggleName(bit), Intents::name(bit)));
    }
    if (toggles.isEmpty())
        toggles.append(u"the privileged intents you requested"_s);
    return u"Discord refused a privileged intent that this bot is not allowed to use. Enable %1 "
           "under Bot → Privileged Gateway Intents in the Discord Developer Portal, or connect "
           "without it."_s.arg(toggles.join(u" and "_s));
}

} // namespace

Action actionFor(int code)
{
    const Entry *entry = find(code);
    return entry ? entry->action : Action::Resume;
}

QString meaning(int code)
{
    const Entry *entry = find(code);
    return entry ? QString::fromLatin1(entry->meaning) : u"unknown close code"_s;
}

QString explanation(int code, quint32 requestedIntents)
{
    switch (code) {
    case AuthenticationFailed:
        return u"Discord rejected the bot token: it is wrong, or it was reset. Copy the token "
               u"again "
               "from Bot → Token in the Discord Developer Portal."_s;
    case InvalidShard:
        return u"The shard id or shard count is invalid: the shard id must be below the shard "
               "count, and large bots must use the count Discord assigns."_s;
    case ShardingRequired:
        return u"This bot is in too many guilds for one shard (2,500 at most). Connect with more "
               "shards, for example with --shard-count auto."_s;
    case InvalidApiVersion:
        return u"The gateway refused the API version. Gatescope speaks v10; check the gateway URL."_s;
    case InvalidIntents:
        return u"The intents value contains bits that are not defined. Choose intents from the "
               "documented list."_s;
    case DisallowedIntents:
        return disallowedIntentsExplanation(requestedIntents);
    default:
        break;
    }
    const Entry *entry = find(code);
    const QString what = entry ? QString::fromLatin1(entry->meaning) : u"unknown close code"_s;
    switch (actionFor(code)) {
    case Action::Resume:
        return u"Closed with %1 (%2); the session will be resumed."_s.arg(code).arg(what);
    case Action::Identify:
        return u"Closed with %1 (%2); a new session will be started."_s.arg(code).arg(what);
    case Action::Fatal:
        break;
    }
    return u"Closed with %1 (%2)."_s.arg(code).arg(what);
}

QString actionName(Action action)
{
    switch (action) {
    case Action::Resume:
        return u"resume"_s;
    case Action::Identify:
        return u"identify"_s;
    case Action::Fatal:
        return u"fatal"_s;
    }
    return {};
}

std::optional<Action> actionFromName(QStringView name)
{
    for (Action action : {Action::Resume, Action::Identify, Action::Fatal}) {
        if (name == actionName(action))
            return action;
    }
    return std::nullopt;
}

} // namespace Gatescope::CloseCodes
