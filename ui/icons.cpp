#include "ui/icons.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>

#include <cmath>
#include <numbers>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {

const QColor WarningColor(0xcf, 0x22, 0x2e);
const QColor StarColor(0xbf, 0x87, 0x00);

/// Paints @p kind into a 24×24 design square (the painter is scaled to the pixmap).
void paint(QPainter &p, Icons::Kind kind, const QColor &ink)
{
    QPen pen(ink, 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    switch (kind) {
    case Icons::Kind::Pause:
        p.setPen(Qt::NoPen);
        p.setBrush(ink);
        p.drawRoundedRect(QRectF(6, 5, 4, 14), 1, 1);
        p.drawRoundedRect(QRectF(14, 5, 4, 14), 1, 1);
        break;
    case Icons::Kind::Play: {
        p.setBrush(ink);
        const QPointF triangle[] = {{7, 5}, {19, 12}, {7, 19}};
        p.drawPolygon(triangle, 3);
        break;
    }
    case Icons::Kind::JumpToNewest:
        p.drawLine(QPointF(12, 4), QPointF(12, 16));
        p.drawPolyline(QPolygonF({{7, 11}, {12, 16}, {17, 11}}));
        p.drawLine(QPointF(6, 20), QPointF(18, 20));
        break;
    case Icons::Kind::Incoming:
        p.drawLine(QPointF(12, 4), QPointF(12, 19));
        p.drawPolyline(QPolygonF({{6, 13}, {12, 19}, {18, 13}}));
        break;
    case Icons::Kind::Outgoing:
        p.drawLine(QPointF(12, 5), QPointF(12, 20));
        p.drawPolyline(QPolygonF({{6, 11}, {12, 5}, {18, 11}}));
        break;
    case Icons::Kind::NextMention: {
        p.drawEllipse(QPointF(12, 12), 3.5, 3.5);
        QPainterPath at;
        at.moveTo(15.5, 9);
        at.lineTo(15.5, 14);
        at.cubicTo(15.5, 17, 20, 17, 20, 12);
        at.arcTo(QRectF(4, 4, 16, 16), 0, 300);
        p.drawPath(at);
        break;
    }
    case Icons::Kind::Close:
        p.drawLine(QPointF(7, 7), QPointF(17, 17));
        p.drawLine(QPointF(17, 7), QPointF(7, 17));
        break;
    case Icons::Kind::Warning: {
        p.setPen(Qt::NoPen);
        p.setBrush(WarningColor);
        const QPointF triangle[] = {{12, 3}, {22, 20}, {2, 20}};
        p.drawPolygon(triangle, 3);
        p.setBrush(Qt::white);
        p.drawRect(QRectF(11, 8, 2, 7));
        p.drawEllipse(QPointF(12, 17.3), 1.2, 1.2);
        break;
    }
    case Icons::Kind::SplitRight:
        p.drawRoundedRect(QRectF(3, 4, 18, 16), 2, 2);
        p.drawLine(QPointF(12, 4), QPointF(12, 20));
        break;
    case Icons::Kind::SplitDown:
        p.drawRoundedRect(QRectF(3, 4, 18, 16), 2, 2);
        p.drawLine(QPointF(3, 12), QPointF(21, 12));
        break;
    case Icons::Kind::NewTab:
        p.drawPolyline(QPolygonF({{3, 20}, {3, 6}, {10, 6}, {12, 9}, {21, 9}, {21, 20}, {3, 20}}));
        p.drawLine(QPointF(12, 12), QPointF(12, 18));
        p.drawLine(QPointF(9, 15), QPointF(15, 15));
        break;
    case Icons::Kind::Recording:
        p.setPen(Qt::NoPen);
        p.setBrush(WarningColor);
        p.drawEllipse(QPointF(12, 12), 6, 6);
        break;
    case Icons::Kind::Privileged: {
        p.setPen(Qt::NoPen);
        p.setBrush(StarColor);
        QPolygonF star;
        for (int i = 0; i < 10; ++i) {
            const double radius = i % 2 == 0 ? 10.0 : 4.2;
            const double angle = -std::numbers::pi / 2 + i * std::numbers::pi / 5;
            star << QPointF(12 + radius * std::cos(angle), 12.5 + radius * std::sin(angle));
        }
        p.drawPolygon(star);
        break;
    }
    case Icons::Kind::Keyboard:
        p.setPen(QPen(ink, 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawRoundedRect(QRectF(2, 6, 20, 13), 2, 2);
        p.setPen(Qt::NoPen);
        p.setBrush(ink);
        for (int row = 0; row < 2; ++row) {
            for (int key = 0; key < 5; ++key)
                p.drawRect(QRectF(4.5 + key * 3.2, 8.5 + row * 3, 2, 1.8));
        }
        p.drawRect(QRectF(7, 15, 10, 1.8));
        break;
    }
}

QPixmap render(Icons::Kind kind, int size, qreal ratio, const QColor &ink)
{
    QPixmap pixmap(QSize(size, size) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 24.0, size / 24.0);
    paint(p, kind, ink);
    return pixmap;
}

} // namespace

QString Icons::themeName(Kind kind)
{
    switch (kind) {
    case Kind::Pause:
        return u"media-playback-pause"_s;
    case Kind::Play:
        return u"media-playback-start"_s;
    case Kind::JumpToNewest:
        return u"go-bottom"_s;
    case Kind::Close:
        return u"window-close"_s;
    case Kind::Warning:
        return u"dialog-warning"_s;
    case Kind::NewTab:
        return u"tab-new"_s;
    case Kind::Recording:
        return u"media-record"_s;
    case Kind::Keyboard:
        return u"input-keyboard"_s;
    case Kind::Incoming:
        return u"go-down"_s;
    case Kind::Outgoing:
        return u"go-up"_s;
    case Kind::SplitRight:
    case Kind::SplitDown:
    case Kind::Privileged:
    case Kind::NextMention:
        return {}; // no freedesktop name means these; always drawn
    }
    return {};
}

QIcon Icons::drawn(Kind kind)
{
    const QColor ink = QApplication::palette().color(QPalette::WindowText);
    const QColor disabled = QApplication::palette().color(QPalette::Disabled, QPalette::WindowText);
    QIcon icon;
    for (int size : {16, 22, 32, 48}) {
        for (qreal ratio : {1.0, 2.0}) {
            icon.addPixmap(render(kind, size, ratio, ink), QIcon::Normal);
            icon.addPixmap(render(kind, size, ratio, disabled), QIcon::Disabled);
        }
    }
    return icon;
}

QIcon Icons::icon(Kind kind)
{
    const QString name = themeName(kind);
    if (!name.isEmpty() && QIcon::hasThemeIcon(name))
        return QIcon::fromTheme(name);
    return drawn(kind);
}

} // namespace Gatescope::Ui
