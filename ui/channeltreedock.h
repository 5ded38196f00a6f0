#pragma once

#include <QSet>
#include <QWidget>

class QTreeView;

namespace Gatescope {
class ChannelTreeModel;
}

namespace Gatescope::Ui {

/// The server and channel tree (the "Servers" dock): ChannelTreeModel in a QTreeView painted by
/// ChannelTreeDelegate. Choosing a row makes it the model's active row (its counts clear) and
/// emits channelSelected(); the window routes that to the current feed's filter, so the tree
/// knows nothing about feeds. Rebuilds of the model keep the chosen row and the rows the user
/// collapsed.
class ChannelTreeDock : public QWidget
{
    Q_OBJECT

public:
    explicit ChannelTreeDock(ChannelTreeModel *model, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    ChannelTreeModel *model() const { return m_model; }
    /// Chooses the row of @p guildId / @p channelId (see ChannelTreeModel::indexOf) as a user
    /// click would, emitting channelSelected().
    void select(quint64 guildId, quint64 channelId);

Q_SIGNALS:
    /// A row was chosen: (0, 0) all channels, (g, 0) a guild, (g, c) a channel, category or
    /// thread, (0, c) a DM channel, (0, ChannelTreeModel::AllDirectMessages) all DMs.
    void channelSelected(quint64 guildId, quint64 channelId);

private:
    void onCurrentChanged();
    void restoreView();

    ChannelTreeModel *m_model;
    QTreeView *m_view;
    quint64 m_guildId = 0;
    quint64 m_channelId = 0;
    QSet<QString> m_collapsed; ///< "guild/channel" keys of rows the user collapsed
    bool m_restoring = false;
};

} // namespace Gatescope::Ui
