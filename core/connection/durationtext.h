#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace Gatescope {

/// Durations as people type them on the command line and in settings: a whole number followed
/// by a unit, `500ms`, `90s`, `10m`, `1h`, `2d` (no unit is refused: "10" could mean seconds or
/// minutes). Also writes them back in the largest unit that is exact.
///
/// Pure functions; any thread.
class DurationText
{
public:
    /// @p text as milliseconds; nullopt, with a one-line @p error naming the accepted form, for
    /// anything else (no unit, a fraction, a negative value, more than 9 digits).
    static std::optional<qint64> parseMs(QStringView text, QString *error = nullptr);
    /// @p ms in the largest unit that divides it: 600000 → "10m", 90000 → "90s", 1500 → "1500ms".
    static QString format(qint64 ms);
    /// @p ms for people: "2 h 5 min", "10 min 3 s", "42 s", "850 ms".
    static QString human(qint64 ms);
};

} // namespace Gatescope
