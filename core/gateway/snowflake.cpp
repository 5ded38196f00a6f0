#include "core/gateway/snowflake.h"

namespace Gatescope::Snowflake {

std::optional<quint64> parse(QStringView text)
{
    if (text.isEmpty() || text.size() > 20)
        return std::nullopt;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    bool ok = false;
    const quint64 value = text.toULongLong(&ok);
    return ok ? std::optional<quint64>(value) : std::nullopt;
}

} // namespace Gatescope::Snowflake
