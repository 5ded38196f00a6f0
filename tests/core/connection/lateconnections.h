#pragma once

#include <QSet>
#include <QSignalSpy>

/// The emulator connections that began after a shutdown and spoke: clientConnected() entries of
/// @p connected from index @p from on whose id carries a payloadReceived() in @p payloads. A
/// connection the client aborted mid-handshake may still reach the server after the end, but
/// only a timer that fired afterwards would send a Resume, an Identify or a heartbeat on it.
inline QSet<int> lateConnectionsThatSpoke(const QSignalSpy &connected, qsizetype from,
                                          const QSignalSpy &payloads)
{
    QSet<int> late;
    for (qsizetype i = from; i < connected.size(); ++i)
        late.insert(connected.at(i).at(0).toInt());
    QSet<int> spoke;
    for (const QList<QVariant> &payload : payloads) {
        if (late.contains(payload.at(0).toInt()))
            spoke.insert(payload.at(0).toInt());
    }
    return spoke;
}
