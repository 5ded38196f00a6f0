#include "ui/format.h"

#include "core/gateway/payload.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui::Format {

QString count(quint64 value)
{
    static const QLocale c(QLocale::English, QLocale::UnitedStates);
    return c.toString(value);
}

QString bytes(quint64 value)
{
    if (value < 1024)
        return u"%1 B"_s.arg(value);
    static const char *const units[] = {"KB", "MB", "GB", "TB"};
    double scaled = double(value);
    int unit = -1;
    while (scaled >= 1024.0 && unit < 3) {
        scaled /= 1024.0;
        ++unit;
    }
    return u"%1 %2"_s.arg(scaled, 0, 'f', scaled < 10 ? 1 : 0).arg(QLatin1StringView(units[unit]));
}

QString latency(int ms)
{
    return ms < 0 ? u"—"_s : u"%1 ms"_s.arg(ms);
}

QString duration(qint64 ms)
{
    if (ms < 0)
        return u"—"_s;
    if (ms < 10'000)
        return u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
    const qint64 totalSeconds = ms / 1000;
    const qint64 hours = totalSeconds / 3600;
    const qint64 minutes = (totalSeconds / 60) % 60;
    const qint64 seconds = totalSeconds % 60;
    if (hours > 0)
        return u"%1 h %2 min"_s.arg(hours).arg(minutes, 2, 10, QChar(u'0'));
    if (minutes > 0)
        return u"%1 min %2 s"_s.arg(minutes).arg(seconds, 2, 10, QChar(u'0'));
    return u"%1 s"_s.arg(seconds);
}

QString clockTime(qint64 unixMs)
{
    return QDateTime::fromMSecsSinceEpoch(unixMs, Qt::UTC).toString(u"HH:mm:ss.zzz"_s);
}

QString stateName(GatewayClient::State state)
{
    switch (state) {
    case GatewayClient::State::Disconnected:
        return u"Disconnected"_s;
    case GatewayClient::State::Connecting:
        return u"Connecting…"_s;
    case GatewayClient::State::Identifying:
        return u"Identifying…"_s;
    case GatewayClient::State::Resuming:
        return u"Resuming…"_s;
    case GatewayClient::State::Ready:
        return u"Ready"_s;
    case GatewayClient::State::Reconnecting:
        return u"Reconnecting…"_s;
    case GatewayClient::State::Failed:
        return u"Failed"_s;
    }
    return u"Unknown"_s;
}

QColor stateColor(GatewayClient::State state)
{
    switch (state) {
    case GatewayClient::State::Ready:
        return QColor(0x2e, 0xa0, 0x43);
    case GatewayClient::State::Connecting:
    case GatewayClient::State::Identifying:
    case GatewayClient::State::Resuming:
        return QColor(0x1f, 0x6f, 0xeb);
    case GatewayClient::State::Reconnecting:
        return QColor(0xd2, 0x99, 0x22);
    case GatewayClient::State::Failed:
        return QColor(0xcf, 0x22, 0x2e);
    case GatewayClient::State::Disconnected:
        break;
    }
    return QColor(0x6e, 0x77, 0x81);
}

QString initiatorName(GatewayClient::Initiator initiator)
{
    switch (initiator) {
    case GatewayClient::Initiator::Server:
        return u"Server"_s;
    case GatewayClient::Initiator::Client:
        return u"Gatescope"_s;
    case GatewayClient::Initiator::Network:
        return u"Network"_s;
    case GatewayClient::Initiator::User:
        return u"You"_s;
    }
    return QString();
}

QString opName(int op)
{
    const QString name = knownOpcodeName(op);
    return name.isEmpty() ? QString::number(op) : name;
}

} // namespace Gatescope::Ui::Format
