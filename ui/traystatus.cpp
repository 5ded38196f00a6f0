#include "ui/traystatus.h"

#include "core/connection/shardstatsmodel.h"

#include <QPainter>
#include <QPixmap>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

TrayStatus::Level TrayStatus::levelOf(GatewayClient::State state, bool silent)
{
    switch (state) {
    case GatewayClient::State::Failed:
        return Level::Error;
    case GatewayClient::State::Ready:
        return silent ? Level::Warning : Level::Ok;
    case GatewayClient::State::Disconnected:
        return Level::Idle;
    case GatewayClient::State::Connecting:
    case GatewayClient::State::Identifying:
    case GatewayClient::State::Resuming:
    case GatewayClient::State::Reconnecting:
        return Level::Warning;
    }
    return Level::Idle;
}

TrayStatus::Level TrayStatus::worst(const ShardStatsModel &model, bool budgetWarning)
{
    Level worstLevel = Level::Idle;
    bool anyIdle = false;
    for (int row = 0; row < model.rowCount(); ++row) {
        const ShardStats &s = model.stats(row);
        const Level level = levelOf(s.state, s.silent);
        anyIdle = anyIdle || level == Level::Idle;
        worstLevel = std::max(worstLevel, level);
    }
    // Some shards up and others not (yet): the range is not whole.
    if (worstLevel == Level::Ok && anyIdle)
        worstLevel = Level::Warning;
    if (budgetWarning && worstLevel != Level::Idle)
        worstLevel = std::max(worstLevel, Level::Warning);
    return worstLevel;
}

QColor TrayStatus::color(Level level)
{
    switch (level) {
    case Level::Idle:
        return QColor(0x8c, 0x95, 0x9f);
    case Level::Ok:
        return QColor(0x1f, 0x88, 0x3d);
    case Level::Warning:
        return QColor(0xd2, 0x99, 0x22);
    case Level::Error:
        return QColor(0xcf, 0x22, 0x2e);
    }
    return {};
}

QString TrayStatus::describe(Level level, int silentShards, bool budgetWarning)
{
    QString text;
    switch (level) {
    case Level::Idle:
        text = QObject::tr("Gatescope: not connected");
        break;
    case Level::Ok:
        text = QObject::tr("Gatescope: connected");
        break;
    case Level::Warning:
        text = QObject::tr("Gatescope: needs attention");
        break;
    case Level::Error:
        text = QObject::tr("Gatescope: a shard failed");
        break;
    }
    if (silentShards > 0)
        text += u'\n'
                + (silentShards == 1 ? QObject::tr("1 silent shard")
                                     : QObject::tr("%1 silent shards").arg(silentShards));
    if (budgetWarning)
        text += u'\n' + QObject::tr("identify budget warning");
    return text;
}

QIcon TrayStatus::icon(Level level)
{
    QIcon icon;
    const QColor fill = color(level);
    for (const int size : {16, 22, 32, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        const qreal rim = std::max(1.0, size / 16.0);
        const QRectF disc = QRectF(0, 0, size, size).adjusted(rim, rim, -rim, -rim);
        p.setPen(QPen(fill.darker(150), rim));
        p.setBrush(fill);
        p.drawEllipse(disc);
        // A light highlight, so the disc reads as a lamp on dark and light panels alike.
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(255, 255, 255, 90));
        p.drawEllipse(QRectF(disc.left() + disc.width() * 0.22, disc.top() + disc.height() * 0.14,
                             disc.width() * 0.36, disc.height() * 0.26));
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace Gatescope::Ui
