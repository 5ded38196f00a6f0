#pragma once

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QTimer>

#include <vector>

namespace Gatescope {

class Directory;
class MessageStore;

/// Servers, categories, channels, threads and direct messages as a tree, with a count of new
/// messages and of mentions per channel since it was last viewed.
///
/// Built from the Directory (READY, GUILD_CREATE, CHANNEL_*, THREAD_*): the first row is "All
/// channels", then one row per guild (by name), each with its top-level channels, then its
/// categories with their channels (both by Discord's `position`), threads under their parent
/// channel; last a "Direct messages" row holding the DM channels. Directory changes rebuild the
/// tree at most every rebuildDelay() ms (a model reset; names-only changes are a dataChanged).
///
/// Counting costs no work per event: on MessageStore::appended(n) the model reads the n new
/// rows' channel and mention columns straight from the store's chunks and bumps a counter per
/// row, then emits one dataChanged per channel that changed, so the view updates at most once
/// per store batch. A mention is a message that mentions the connected user (Directory::selfId())
/// or @everyone. Counts survive rebuilds (they are kept by channel id) and are cleared by
/// markViewed(); the active channel (setActive()) does not count while it is shown.
///
/// No QtGui types: views paint bold text and badges from UnreadRole / MentionsRole and the
/// guild icon from InitialsRole. Lives in the thread of its store; neither the store nor the
/// Directory is owned.
class ChannelTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum class NodeKind { All, Guild, Category, Channel, Thread, DirectMessages, DmChannel };
    Q_ENUM(NodeKind)

    enum Role {
        KindRole = Qt::UserRole + 1, ///< int: NodeKind
        GuildIdRole, ///< quint64, 0 for All, DirectMessages and DM channels
        ChannelIdRole, ///< quint64, 0 for All, Guild and DirectMessages
        UnreadRole, ///< int: new messages since viewed (summed over children for parents)
        MentionsRole, ///< int: mentions since viewed (summed likewise)
        InitialsRole, ///< QString: up to two letters for a guild's icon
    };
    Q_ENUM(Role)

    /// channelId of the "Direct messages" row in selection signals and filterTerm().
    static constexpr quint64 AllDirectMessages = ~quint64(0);
    static constexpr int DefaultRebuildDelayMs = 250;
    /// Rebuilds that follow each other are spaced by this many rebuild delays (one per second by
    /// default): a reshaped tree resets its view, which costs milliseconds per rebuild, and a
    /// busy server creates threads several times a second.
    static constexpr int RebuildSpacingFactor = 4;

    explicit ChannelTreeModel(MessageStore *store, QObject *parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// The row of @p guildId / @p channelId (as selection signals name them), or invalid.
    QModelIndex indexOf(quint64 guildId, quint64 channelId) const;
    /// The filter term that selects what a row shows: "" (All), "guild:ID", "in:ID", "is:dm",
    /// or for a category "(in:A OR in:B …)" over its channels.
    QString filterTerm(quint64 guildId, quint64 channelId) const;
    /// @p query with its earlier location term (in:, channel:, guild:, server:, is:dm or a
    /// category group) replaced by @p term, or @p term appended; an empty term removes it.
    static QString withLocationTerm(const QString &query, const QString &term);
    /// Up to two letters naming a guild for its icon: the initials of its first two words.
    static QString initials(const QString &name);

    /// Clears the counts of the row (and of every channel below it).
    void markViewed(quint64 guildId, quint64 channelId);
    /// The row shown in the feed: its counts are cleared and its channels do not count.
    void setActive(quint64 guildId, quint64 channelId);
    int unreadCount(quint64 channelId) const { return m_counts.value(channelId).unread; }
    int mentionCount(quint64 channelId) const { return m_counts.value(channelId).mentions; }

    int rebuildDelay() const { return m_rebuildTimer.interval(); }
    void setRebuildDelay(int ms) { m_rebuildTimer.setInterval(qMax(0, ms)); }
    /// Ms until the pending rebuild, -1 when none is pending.
    int msUntilRebuild() const
    {
        return m_rebuildTimer.isActive() ? m_rebuildTimer.remainingTime() : -1;
    }
    /// Rebuilds the tree from the Directory now (normally on a timer after its changes).
    void rebuild();

private:
    struct Node
    {
        NodeKind kind = NodeKind::All;
        quint64 guildId = 0;
        quint64 channelId = 0;
        QString name;
        int parent = -1;
        int row = 0;
        std::vector<int> children;
    };
    struct Counts
    {
        int unread = 0;
        int mentions = 0;
    };

    const Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOfNode(int node) const;
    int addNode(NodeKind kind, quint64 guildId, quint64 channelId, int parent);
    void addChannels(int parentNode, quint64 guildId, QList<quint64> ids, int depth);
    QString nodeName(const Node &node) const;
    Counts countsOf(const Node &node) const;
    bool covers(const Node &node, quint64 channelId) const;
    void clearCounts(const Node &node);
    void countAppended(int n);
    void onDirectoryChanged();
    void emitCountsChanged(const QList<int> &channelNodes);

    MessageStore *m_store;
    Directory *m_directory;
    std::vector<Node> m_nodes; ///< m_nodes[0] is the invisible root
    QHash<quint64, int> m_channelNodes; ///< channel id -> node
    QHash<quint64, int> m_guildNodes; ///< guild id -> node
    QHash<quint64, Counts> m_counts; ///< by channel id
    quint64 m_activeGuild = 0;
    quint64 m_activeChannel = 0;
    bool m_hasActive = false;
    QTimer m_rebuildTimer;
    QElapsedTimer m_sinceRebuild;
};

} // namespace Gatescope
