#include "ui/latencychart.h"

#include <QDateTime>
#include <QPainter>
#include <QPainterPath>
#include <QTimerEvent>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
// A "nice" axis maximum (10, 20, 50, 100, 200, …) just above the largest sample.
int niceCeiling(int value)
{
    int step = 10;
    while (true) {
        for (int factor : {1, 2, 5}) {
            if (value <= step * factor)
                return step * factor;
        }
        step *= 10;
    }
}
} // namespace

LatencyChart::LatencyChart(QWidget *parent)
    : QWidget(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("Heartbeat round trip over the last 10 minutes. Red crosses mark heartbeats "
                  "that were never acknowledged."));
}

void LatencyChart::setWindowMs(qint64 windowMs)
{
    m_windowMs = std::max<qint64>(1000, windowMs);
    prune(now());
    update();
}

void LatencyChart::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

qint64 LatencyChart::now() const
{
    return m_clock();
}

void LatencyChart::addSample(int latencyMs)
{
    const qint64 t = now();
    m_samples.push_back({t, std::max(0, latencyMs)});
    prune(t);
    update();
}

void LatencyChart::addAckMiss()
{
    const qint64 t = now();
    m_misses.push_back(t);
    prune(t);
    update();
}

void LatencyChart::clear()
{
    m_samples.clear();
    m_misses.clear();
    update();
}

void LatencyChart::prune(qint64 now)
{
    const qint64 oldest = now - m_windowMs;
    // Keep one sample before the window so the line enters from the left edge.
    while (m_samples.size() > 1 && m_samples[1].timeMs < oldest)
        m_samples.pop_front();
    while (!m_misses.empty() && m_misses.front() < oldest)
        m_misses.pop_front();
}

QSize LatencyChart::sizeHint() const
{
    return {320, 110};
}

QSize LatencyChart::minimumSizeHint() const
{
    return {160, 90};
}

void LatencyChart::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // The time axis slides even when no heartbeat arrives; repaint while visible only.
    if (!m_tickTimer)
        m_tickTimer = startTimer(1000, Qt::VeryCoarseTimer);
}

void LatencyChart::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    if (m_tickTimer) {
        killTimer(m_tickTimer);
        m_tickTimer = 0;
    }
}

void LatencyChart::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_tickTimer) {
        prune(now());
        update();
        return;
    }
    QWidget::timerEvent(event);
}

void LatencyChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.window());

    const QRectF frame = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    p.setPen(QPen(pal.mid().color(), 1));
    p.setBrush(pal.base());
    p.drawRoundedRect(frame, 4, 4);

    const QFontMetrics fm(font());
    const int labelWidth = fm.horizontalAdvance(u"0000 ms"_s) + 6;
    const QRectF plot = frame.adjusted(labelWidth, 6, -8, -(fm.height() + 4));
    const qint64 t1 = now();
    // Until the window is full, the axis spans the data we have (at least a minute), so a fresh
    // connection does not draw a speck at the right edge of an empty 10-minute axis.
    qint64 span = m_windowMs;
    if (!m_samples.empty())
        span = std::clamp<qint64>(t1 - m_samples.front().timeMs,
                                  std::min<qint64>(60'000, m_windowMs), m_windowMs);
    const qint64 t0 = t1 - span;

    int maxLatency = 0;
    for (const Sample &s : m_samples)
        maxLatency = std::max(maxLatency, s.latencyMs);
    const int top = niceCeiling(std::max(maxLatency, 10));

    auto xFor = [&](qint64 t) {
        return plot.left() + plot.width() * double(t - t0) / double(span);
    };
    auto yFor = [&](int ms) {
        return plot.bottom() - plot.height() * double(ms) / double(top);
    };

    // Grid: three horizontal lines with labels, minute ticks along the bottom.
    QColor grid = pal.text().color();
    grid.setAlphaF(0.12);
    QColor label = pal.text().color();
    label.setAlphaF(0.6);
    for (int i = 0; i <= 2; ++i) {
        const int value = top * i / 2;
        const double y = yFor(value);
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(label);
        p.drawText(QRectF(frame.left() + 2, y - fm.height() / 2.0, labelWidth - 6, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, u"%1 ms"_s.arg(value));
    }
    p.setPen(label);
    const QRectF axis(plot.left(), plot.bottom() + 2, plot.width(), fm.height());
    const qint64 spanSeconds = (span + 500) / 1000;
    p.drawText(
            axis, Qt::AlignLeft | Qt::AlignTop,
            spanSeconds % 60 == 0
                    ? tr("−%1 min").arg(spanSeconds / 60)
                    : tr("−%1:%2").arg(spanSeconds / 60).arg(spanSeconds % 60, 2, 10, QChar(u'0')));
    p.drawText(axis, Qt::AlignRight | Qt::AlignTop, tr("now"));

    p.save();
    p.setClipRect(plot.adjusted(-1, -4, 1, 1));
    if (!m_samples.empty()) {
        QPainterPath line;
        bool first = true;
        for (const Sample &s : m_samples) {
            const QPointF point(std::max(xFor(s.timeMs), plot.left()), yFor(s.latencyMs));
            if (first)
                line.moveTo(point);
            else
                line.lineTo(point);
            first = false;
        }
        const QColor accent(0x1f, 0x6f, 0xeb);
        QPainterPath area = line;
        area.lineTo(line.currentPosition().x(), plot.bottom());
        area.lineTo(line.elementAt(0).x, plot.bottom());
        area.closeSubpath();
        QLinearGradient fill(plot.topLeft(), plot.bottomLeft());
        QColor strong = accent;
        strong.setAlphaF(0.35);
        QColor faint = accent;
        faint.setAlphaF(0.03);
        fill.setColorAt(0, strong);
        fill.setColorAt(1, faint);
        p.fillPath(area, fill);
        p.setPen(QPen(accent, 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        p.drawPath(line);
        // The newest sample gets a dot so the current value is easy to find.
        const Sample &last = m_samples.back();
        p.setBrush(accent);
        p.drawEllipse(QPointF(xFor(last.timeMs), yFor(last.latencyMs)), 2.5, 2.5);
    } else {
        p.setPen(label);
        p.drawText(plot, Qt::AlignCenter, tr("waiting for the first heartbeat ACK…"));
    }

    const QColor missColor(0xcf, 0x22, 0x2e);
    for (qint64 t : m_misses) {
        const double x = xFor(t);
        QColor faintMiss = missColor;
        faintMiss.setAlphaF(0.35);
        p.setPen(QPen(faintMiss, 1, Qt::DashLine));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(QPen(missColor, 2, Qt::SolidLine, Qt::RoundCap));
        const double r = 3.5;
        const double y = plot.top() + r + 1;
        p.drawLine(QPointF(x - r, y - r), QPointF(x + r, y + r));
        p.drawLine(QPointF(x - r, y + r), QPointF(x + r, y - r));
    }
    p.restore();
}

} // namespace Gatescope::Ui
