#pragma once

#include <QWidget>

#include <deque>
#include <functional>

namespace Gatescope::Ui {

/// A custom-painted chart of heartbeat latency over a sliding window (10 minutes by default):
/// a line with a soft fill, and a red cross at every heartbeat whose ACK never came.
///
/// QtCharts is not available on the target systems, and a chart this small does not need it.
/// Samples older than the window are dropped, so memory stays bounded by the heartbeat rate.
class LatencyChart : public QWidget
{
    Q_OBJECT

public:
    using Clock = std::function<qint64()>; ///< Unix ms; tests inject one

    explicit LatencyChart(QWidget *parent = nullptr);

    void setWindowMs(qint64 windowMs);
    qint64 windowMs() const { return m_windowMs; }
    void setClock(Clock clock);

    void addSample(int latencyMs);
    void addAckMiss();
    void clear();

    /// Samples and misses still inside the window.
    int sampleCount() const { return int(m_samples.size()); }
    int ackMissCount() const { return int(m_misses.size()); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void timerEvent(QTimerEvent *event) override;

private:
    struct Sample
    {
        qint64 timeMs;
        int latencyMs;
    };
    void prune(qint64 now);
    qint64 now() const;

    std::deque<Sample> m_samples;
    std::deque<qint64> m_misses;
    qint64 m_windowMs = 10 * 60 * 1000;
    Clock m_clock;
    int m_tickTimer = 0;
};

} // namespace Gatescope::Ui
