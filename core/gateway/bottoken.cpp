#include "core/gateway/bottoken.h"

#include <QDebug>

namespace Gatescope {

QDebug operator<<(QDebug debug, const BotToken &token)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << (token.isEmpty() ? "BotToken()" : "BotToken(<redacted>)");
    return debug;
}

} // namespace Gatescope
