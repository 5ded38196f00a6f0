#pragma once

#include "core/gateway/gatewayclient.h"

#include <QColor>
#include <QString>

namespace Gatescope::Ui {

/// Formatting shared by every panel, so numbers, sizes and times read the same everywhere.
namespace Format {

/// "1,234,567" in the C locale's grouping, whatever the system locale.
QString count(quint64 value);
/// "812 B", "1.2 KB", "6.0 MB" (powers of 1024).
QString bytes(quint64 value);
/// "42 ms", or "—" for a negative (unknown) value.
QString latency(int ms);
/// "3 h 12 min", "4 min 05 s", "0.8 s".
QString duration(qint64 ms);
/// "12:01:03.120", the UTC time of a Unix ms timestamp (the feed's times are UTC too).
QString clockTime(qint64 unixMs);
/// Human name of a connection state ("Ready", "Reconnecting…").
QString stateName(GatewayClient::State state);
/// The badge colour of a state: green when ready, amber while (re)connecting, red when failed.
QColor stateColor(GatewayClient::State state);
/// "Server", "Gatescope", "Network", "You".
QString initiatorName(GatewayClient::Initiator initiator);
/// Gateway opcode name ("HEARTBEAT_ACK"), or the number as text for unknown codes.
QString opName(int op);

} // namespace Format
} // namespace Gatescope::Ui
