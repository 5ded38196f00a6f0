#include "core/io/exporttext.h"

#include <QDateTime>

namespace Gatescope::ExportText {

namespace {

constexpr qint64 MsPerDay = 86400000;

struct CivilDate
{
    qint64 year;
    unsigned month;
    unsigned day;
};

// Howard Hinnant's civil_from_days: proleptic Gregorian date of a day number (0 = 1970-01-01).
constexpr CivilDate civilFromDays(qint64 z)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {qint64(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

char *writeDigits(char *p, unsigned value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        p[i] = char('0' + value % 10);
        value /= 10;
    }
    return p + width;
}

} // namespace

void appendIsoUtc(QByteArray &out, qint64 ms)
{
    if (ms == 0)
        return;
    const qint64 days = ms >= 0 ? ms / MsPerDay : -((-ms + MsPerDay - 1) / MsPerDay);
    const auto msOfDay = unsigned(ms - days * MsPerDay);
    const CivilDate date = civilFromDays(days);
    if (date.year < 0 || date.year > 9999) {
        // Outside what four year digits can say; let Qt spell it (it never happens for Discord).
        out += QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
        return;
    }
    char buffer[24];
    char *p = writeDigits(buffer, unsigned(date.year), 4);
    *p++ = '-';
    p = writeDigits(p, date.month, 2);
    *p++ = '-';
    p = writeDigits(p, date.day, 2);
    *p++ = 'T';
    p = writeDigits(p, msOfDay / 3600000, 2);
    *p++ = ':';
    p = writeDigits(p, msOfDay / 60000 % 60, 2);
    *p++ = ':';
    p = writeDigits(p, msOfDay / 1000 % 60, 2);
    *p++ = '.';
    p = writeDigits(p, msOfDay % 1000, 3);
    *p++ = 'Z';
    out.append(buffer, p - buffer);
}

QByteArray isoUtc(qint64 ms)
{
    QByteArray out;
    appendIsoUtc(out, ms);
    return out;
}

void appendId(QByteArray &out, quint64 id)
{
    if (id == 0)
        return;
    char buffer[20];
    char *p = buffer + sizeof buffer;
    while (id != 0) {
        *--p = char('0' + id % 10);
        id /= 10;
    }
    out.append(p, buffer + sizeof buffer - p);
}

} // namespace Gatescope::ExportText
