#include "core/connection/durationtext.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

struct Unit
{
    QLatin1StringView name;
    qint64 ms;
};

// Largest first, so format() picks the largest exact unit.
constexpr Unit Units[] = {
        {"d"_L1, 86400000}, {"h"_L1, 3600000}, {"m"_L1, 60000}, {"s"_L1, 1000}, {"ms"_L1, 1},
};

} // namespace

std::optional<qint64> DurationText::parseMs(QStringView text, QString *error)
{
    static const QRegularExpression form(u"^(\\d{1,9})\\s*(ms|s|m|min|h|d)$"_s,
                                         QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = form.match(text.trimmed());
    if (!match.hasMatch()) {
        if (error)
            *error = u"\"%1\" is not a duration like 90s, 10m or 1h (a whole number and one of "
                     "ms, s, m, h, d)"_s.arg(text.toString());
        return std::nullopt;
    }
    const qint64 value = match.captured(1).toLongLong();
    QString unit = match.captured(2).toLower();
    if (unit == "min"_L1)
        unit = u"m"_s;
    for (const Unit &u : Units) {
        if (unit == u.name)
            return value * u.ms;
    }
    return std::nullopt;
}

QString DurationText::format(qint64 ms)
{
    for (const Unit &u : Units) {
        if (ms != 0 && ms % u.ms == 0)
            return QString::number(ms / u.ms) + u.name;
    }
    return u"0s"_s;
}

QString DurationText::human(qint64 ms)
{
    if (ms < 0)
        return u"—"_s;
    if (ms < 1000)
        return u"%1 ms"_s.arg(ms);
    const qint64 seconds = ms / 1000;
    if (seconds < 60)
        return u"%1 s"_s.arg(seconds);
    if (seconds < 3600)
        return seconds % 60 == 0 ? u"%1 min"_s.arg(seconds / 60)
                                 : u"%1 min %2 s"_s.arg(seconds / 60).arg(seconds % 60);
    const qint64 minutes = seconds / 60;
    return minutes % 60 == 0 ? u"%1 h"_s.arg(minutes / 60)
                             : u"%1 h %2 min"_s.arg(minutes / 60).arg(minutes % 60);
}

} // namespace Gatescope
