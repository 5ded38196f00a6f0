#pragma once

#include <QByteArray>
#include <QList>

/// @p count MESSAGE_CREATE dispatches of about 320 bytes each (sequence numbers from 2, after
/// READY's 1), with realistic fields and varying text: the stream every ingest benchmark sends.
QList<QByteArray> makeMessageCreatePayloads(int count);
