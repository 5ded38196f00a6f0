#pragma once

#include <QObject>
#include <QString>

#include <optional>

namespace Gatescope {

/// The one table of gateway close codes (protocol reference §6) and what a client does after each.
namespace CloseCodes {
Q_NAMESPACE

enum class Action {
    Resume, ///< reconnect to the resume URL and send op 6
    Identify, ///< the session is gone: reconnect and Identify anew
    Fatal, ///< never retry; tell the user why
};
Q_ENUM_NS(Action)

/// Codes with a name in the gateway documentation.
enum Code : int {
    UnknownError = 4000,
    UnknownOpcode = 4001,
    DecodeError = 4002,
    NotAuthenticated = 4003,
    AuthenticationFailed = 4004,
    AlreadyAuthenticated = 4005,
    InvalidSeq = 4007,
    RateLimited = 4008,
    SessionTimedOut = 4009,
    InvalidShard = 4010,
    ShardingRequired = 4011,
    InvalidApiVersion = 4012,
    InvalidIntents = 4013,
    DisallowedIntents = 4014,
};

/// What a client must do after the server closed with @p code. Unknown codes resume; a server
/// close with 1000/1001 (a proxy restarting) resumes too.
Action actionFor(int code);
/// Short meaning ("authentication failed"), or "unknown close code" for codes not in the table.
QString meaning(int code);
/// A sentence for a person, naming the fix for fatal codes. For 4014, @p requestedIntents is used
/// to name the privileged intents that must be enabled in the Developer Portal.
QString explanation(int code, quint32 requestedIntents = 0);

/// "resume", "identify", "fatal"; actionFromName() reads it back (recordings).
QString actionName(Action action);
std::optional<Action> actionFromName(QStringView name);

} // namespace CloseCodes
} // namespace Gatescope
