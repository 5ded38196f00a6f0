#pragma once

#include "core/gateway/zlibstreaminflater.h"

#include <QElapsedTimer>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

/// The transport floor: a bare QWebSocket that sends Identify after Hello, inflates zlib-stream
/// frames (or takes text frames as they are) and counts payloads, optionally parsing each with
/// parsePayload() (QJsonDocument). It has no gateway logic: it expects Hello, READY and then only
/// the dispatches it counts, which is what BlastServer sends. The clock runs from READY to the
/// last expected payload; then it closes with 1000.
///
/// Lives in the thread that created it; owns its socket.
class FloorClient : public QObject
{
    Q_OBJECT

public:
    /// Expects @p messages dispatches after READY.
    explicit FloorClient(qsizetype messages, bool parseJson, QObject *parent = nullptr);

    /// Connects to @p url (with its query: `compress=zlib-stream` selects inflating).
    void open(const QUrl &url);
    /// Nanoseconds from READY to the last dispatch; valid after finished().
    qint64 elapsedNs() const { return m_elapsedNs; }
    /// Dispatches per second from READY to the last one; valid after finished().
    double eventsPerSecond() const;

signals:
    /// The last expected payload arrived.
    void finished();
    /// The stream broke or ended before the last payload.
    void failed(const QString &reason);

private:
    void onPayload(const QByteArray &json);
    void fail(const QString &reason);

    QWebSocket m_socket;
    Gatescope::ZlibStreamInflater m_inflater;
    QElapsedTimer m_timer;
    qsizetype m_expected = 0;
    qsizetype m_received = 0;
    qint64 m_elapsedNs = 0;
    bool m_parseJson = false;
    bool m_done = false;
};
