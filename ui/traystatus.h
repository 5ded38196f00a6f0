#pragma once

#include "core/gateway/gatewayclient.h"

#include <QColor>
#include <QIcon>
#include <QObject>
#include <QString>

namespace Gatescope {
class ShardStatsModel;
}

namespace Gatescope::Ui {

/// What the tray icon's colour says: the worst state of the connection's shards. Pure logic
/// (no tray, no window), so it is tested on the offscreen platform where no tray exists.
class TrayStatus
{
    Q_GADGET

public:
    /// Ordered from best to worst.
    enum class Level {
        Idle, ///< nothing connected (grey)
        Ok, ///< every shard Ready (green)
        Warning, ///< (re)connecting, a silent shard, part of a range down, or a budget warning
        Error, ///< a shard failed for good (red)
    };
    Q_ENUM(Level)

    /// The level of one shard: Failed → Error; Connecting … Reconnecting, or Ready but silent
    /// → Warning; Ready → Ok; Disconnected → Idle.
    static Level levelOf(GatewayClient::State state, bool silent);
    /// The worst level over @p model's rows (a range with some shards up and some not yet is a
    /// Warning), raised to at least Warning by @p budgetWarning when anything is connected.
    static Level worst(const ShardStatsModel &model, bool budgetWarning);
    static QColor color(Level level);
    /// "Gatescope: all shards Ready", … for the tray's tooltip.
    static QString describe(Level level, int silentShards, bool budgetWarning);
    /// The tray icon: a disc in the level's colour with a darker rim, drawn with QPainter (no
    /// font or theme icon, so it looks the same everywhere), at 16, 22, 32 and 64 px.
    static QIcon icon(Level level);
};

} // namespace Gatescope::Ui
