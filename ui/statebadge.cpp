#include "ui/statebadge.h"

#include "ui/format.h"

#include <QPainter>

namespace Gatescope::Ui {

StateBadge::StateBadge(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setAccessibleName(tr("Connection state"));
}

void StateBadge::setState(GatewayClient::State state)
{
    if (state == m_state)
        return;
    m_state = state;
    setAccessibleDescription(text());
    updateGeometry();
    update();
}

QString StateBadge::text() const
{
    return Format::stateName(m_state);
}

void StateBadge::setCompact(bool compact)
{
    m_compact = compact;
    updateGeometry();
    update();
}

QSize StateBadge::sizeHint() const
{
    QFont f = font();
    f.setBold(true);
    const QFontMetrics fm(f);
    const int padding = m_compact ? 6 : 10;
    const int dot = fm.height() / 2;
    // Size for the widest state name so the badge does not jump as the state changes.
    const int textWidth
            = fm.horizontalAdvance(Format::stateName(GatewayClient::State::Reconnecting));
    return {padding * 2 + dot + 6 + textWidth, fm.height() + (m_compact ? 4 : 10)};
}

void StateBadge::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor color = Format::stateColor(m_state);
    QColor fill = color;
    fill.setAlphaF(0.16);
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    p.setPen(QPen(color, 1));
    p.setBrush(fill);
    p.drawRoundedRect(r, r.height() / 2, r.height() / 2);

    QFont f = font();
    f.setBold(true);
    p.setFont(f);
    const QFontMetrics fm(f);
    const int padding = m_compact ? 6 : 10;
    const double dot = fm.height() / 2.0;
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QPointF(padding + dot / 2, r.center().y()), dot / 2, dot / 2);
    p.setPen(palette().text().color());
    p.drawText(QRectF(padding + dot + 6, 0, width() - padding - dot - 6, height()),
               Qt::AlignLeft | Qt::AlignVCenter, text());
}

} // namespace Gatescope::Ui
