#pragma once

#include <QObject>

class QSocketNotifier;

namespace Gatescope::App {

/// Turns SIGINT and SIGTERM into a Qt signal, so a run can close its connection with 1000,
/// flush the CSV and close the recording before it exits. The C handler only writes one byte to
/// a socket pair (async-signal-safe); the event loop reads it. A second signal while the first
/// is being handled ends the process at once with 128 + signal, for a run that will not stop.
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

    /// Installs the handlers; false (and the reason in errorString()) if that failed.
    bool install();
    QString errorString() const { return m_error; }

signals:
    void terminationRequested(int signalNumber);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
    QString m_error;
};

} // namespace Gatescope::App
