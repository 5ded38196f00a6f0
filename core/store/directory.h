#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

namespace Gatescope {

struct Message;

/// Guild, channel, thread and user names learned from gateway events (protocol reference §11),
/// so the feed shows names and not ids.
///
/// Sources: READY (self user, guild stubs, private channels), GUILD_CREATE (name, channels and
/// threads, which carry no guild_id: it is taken from the guild, and members), GUILD_UPDATE,
/// GUILD_DELETE, CHANNEL_CREATE/UPDATE/DELETE, THREAD_CREATE/UPDATE/DELETE, THREAD_LIST_SYNC,
/// USER_UPDATE, GUILD_ROLE_CREATE/UPDATE/DELETE (roles also come with GUILD_CREATE), and message
/// authors (noteMessage()). Channels keep their type, position and parent, so a tree of servers,
/// categories, channels and threads can be built from it (ChannelTreeModel).
///
/// Deletes keep the names: rows of a deleted channel or a left guild still show a name, only
/// the entry is marked gone. A DM channel is named "DM with NAME" after its recipient (or the
/// first other author seen in it).
///
/// changed() is emitted once per event that changed a guild, channel or thread name, or an
/// already known user's name; first sight of a user through a message does not emit, so a busy
/// stream does not flood views. revision() grows with every change (also silent ones).
///
/// Lives in (and must be used from) the thread that owns it.
class Directory : public QObject
{
    Q_OBJECT

public:
    /// Discord channel types that matter here (§11).
    enum ChannelType {
        GuildText = 0,
        DirectMessage = 1,
        GroupDm = 3,
        GuildCategory = 4,
        GuildAnnouncement = 5,
        AnnouncementThread = 10,
        PublicThread = 11,
        PrivateThread = 12,
    };

    struct Channel
    {
        QString name; ///< without '#'; for DMs "DM with NAME"
        quint64 guildId = 0; ///< 0 for DMs
        quint64 parentId = 0; ///< category, or the parent channel of a thread
        quint64 recipientId = 0; ///< DMs: the other user
        int type = -1; ///< -1 = only seen in messages
        int position = 0; ///< sort order among its siblings (Discord's `position`)
        bool deleted = false;
    };

    struct Guild
    {
        QString name;
        bool unavailable = false;
        bool left = false;
    };

    struct Role
    {
        QString name;
        quint64 guildId = 0;
        bool deleted = false;
    };

    struct User
    {
        QString username;
        QString globalName;
        bool bot = false;
    };

    explicit Directory(QObject *parent = nullptr);

    /// Applies one dispatch; returns true when @p type is one the directory reads.
    bool handleDispatch(const QString &type, const QJsonObject &d);
    /// Learns the author, and the guild and DM partner of the channel, from a message.
    void noteMessage(const Message &message);

    QString guildName(quint64 id) const;
    /// The channel or thread name without '#', or "DM with NAME"; empty when unknown.
    QString channelName(quint64 id) const;
    /// "#name" for guild channels, "DM with NAME" for DMs, the id as text when unknown.
    QString channelLabel(quint64 id) const;
    /// The guild of a channel or thread; 0 when unknown or a DM.
    quint64 channelGuild(quint64 id) const;
    quint64 channelParent(quint64 id) const;
    bool isThread(quint64 id) const;
    /// Whether @p type is one of the thread types.
    static bool isThreadType(int type);
    /// global_name if set, else username; empty when unknown.
    QString userName(quint64 id) const;
    quint64 selfId() const { return m_selfId; }

    const Guild *guild(quint64 id) const;
    const Channel *channel(quint64 id) const;
    const User *user(quint64 id) const;
    const Role *role(quint64 id) const;
    /// The role's name without '@'; empty when unknown.
    QString roleName(quint64 id) const;
    /// Every known guild id (any order).
    QList<quint64> guildIds() const { return m_guilds.keys(); }
    /// Every known channel and thread id (any order).
    QList<quint64> channelIds() const { return m_channels.keys(); }

    /// Channels and threads named @p name (case-insensitive, a leading '#' ignored).
    QList<quint64> channelsNamed(QStringView name) const;
    /// Direct children (threads, or channels of a category) of @p parentId.
    QList<quint64> channelChildren(quint64 parentId) const;
    QList<quint64> guildsNamed(QStringView name) const;
    /// Users whose username or global_name is @p name (case-insensitive, a leading '@' ignored).
    QList<quint64> usersNamed(QStringView name) const;

    qsizetype guildCount() const { return m_guilds.size(); }
    qsizetype channelCount() const { return m_channels.size(); }
    qsizetype userCount() const { return m_users.size(); }
    quint64 revision() const { return m_revision; }
    void clear();

Q_SIGNALS:
    /// Names changed; views should refresh the Guild/Channel/Author columns.
    void changed();

private:
    bool readGuild(const QJsonObject &guild);
    bool readChannel(const QJsonObject &channel, quint64 guildId);
    bool readUser(const QJsonObject &user);
    bool setChannelDeleted(const QJsonObject &d);
    bool readRole(const QJsonObject &role, quint64 guildId);
    bool setRoleDeleted(const QJsonObject &d);
    void touch(bool emitChange);

    QHash<quint64, Guild> m_guilds;
    QHash<quint64, Channel> m_channels;
    QHash<quint64, User> m_users;
    QHash<quint64, Role> m_roles;
    quint64 m_selfId = 0;
    quint64 m_revision = 0;
};

} // namespace Gatescope
