#include "core/store/directory.h"

#include "core/logging.h"
#include "core/store/message.h"
#include "core/store/messageparser.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

QString dmName(const QString &partner)
{
    return partner.isEmpty() ? u"DM"_s : u"DM with "_s + partner;
}

QStringView stripPrefix(QStringView name, QChar prefix)
{
    name = name.trimmed();
    if (name.startsWith(prefix))
        name = name.mid(1);
    return name;
}

} // namespace

Directory::Directory(QObject *parent)
    : QObject(parent)
{ }

void Directory::touch(bool emitChange)
{
    ++m_revision;
    if (emitChange)
        Q_EMIT changed();
}

bool Directory::readUser(const QJsonObject &object)
{
    const quint64 id = MessageParser::parseId(object.value("id"_L1));
    if (id == 0)
        return false;
    User &user = m_users[id];
    const User before = user;
    if (object.contains("username"_L1))
        user.username = object.value("username"_L1).toString();
    if (object.contains("global_name"_L1))
        user.globalName = object.value("global_name"_L1).toString();
    if (object.contains("bot"_L1))
        user.bot = object.value("bot"_L1).toBool();
    return before.username != user.username || before.globalName != user.globalName;
}

bool Directory::readChannel(const QJsonObject &object, quint64 guildId)
{
    const quint64 id = MessageParser::parseId(object.value("id"_L1));
    if (id == 0)
        return false;
    Channel &channel = m_channels[id];
    const Channel before = channel;
    // Channels inside GUILD_CREATE carry no guild_id: the caller passes the guild's.
    const quint64 ownGuild = MessageParser::parseId(object.value("guild_id"_L1));
    if (ownGuild != 0)
        channel.guildId = ownGuild;
    else if (guildId != 0)
        channel.guildId = guildId;
    if (object.contains("type"_L1))
        channel.type = int(object.value("type"_L1).toInteger(channel.type));
    if (object.contains("position"_L1))
        channel.position = int(object.value("position"_L1).toInteger(channel.position));
    if (object.contains("parent_id"_L1))
        channel.parentId = MessageParser::parseId(object.value("parent_id"_L1));
    if (object.contains("name"_L1) && object.value("name"_L1).isString())
        channel.name = object.value("name"_L1).toString();
    channel.deleted = false;
    if (channel.type == DirectMessage || channel.type == GroupDm) {
        channel.guildId = 0;
        const QJsonArray recipients = object.value("recipients"_L1).toArray();
        QStringList names;
        for (const QJsonValue &recipient : recipients) {
            const QJsonObject user = recipient.toObject();
            readUser(user);
            const quint64 userId = MessageParser::parseId(user.value("id"_L1));
            if (channel.recipientId == 0)
                channel.recipientId = userId;
            names.append(userName(userId));
        }
        if (channel.name.isEmpty() || channel.name.startsWith("DM"_L1))
            channel.name = names.isEmpty() ? dmName(userName(channel.recipientId))
                                           : dmName(names.join(", "_L1));
    }
    return before.name != channel.name || before.guildId != channel.guildId
           || before.deleted != channel.deleted || before.parentId != channel.parentId
           || before.type != channel.type || before.position != channel.position;
}

bool Directory::readGuild(const QJsonObject &object)
{
    const quint64 id = MessageParser::parseId(object.value("id"_L1));
    if (id == 0)
        return false;
    Guild &guild = m_guilds[id];
    const Guild before = guild;
    guild.unavailable = object.value("unavailable"_L1).toBool();
    guild.left = false;
    if (object.value("name"_L1).isString())
        guild.name = object.value("name"_L1).toString();
    bool changed = before.name != guild.name || before.unavailable != guild.unavailable
                   || before.left != guild.left;
    for (const char *key : {"channels", "threads"}) {
        const QJsonArray channels = object.value(QLatin1StringView(key)).toArray();
        for (const QJsonValue &channel : channels)
            changed |= readChannel(channel.toObject(), id);
    }
    const QJsonArray roles = object.value("roles"_L1).toArray();
    for (const QJsonValue &role : roles)
        changed |= readRole(role.toObject(), id);
    const QJsonArray members = object.value("members"_L1).toArray();
    for (const QJsonValue &member : members)
        changed |= readUser(member.toObject().value("user"_L1).toObject());
    return changed;
}

bool Directory::setChannelDeleted(const QJsonObject &d)
{
    const quint64 id = MessageParser::parseId(d.value("id"_L1));
    const auto it = m_channels.find(id);
    if (it == m_channels.end() || it->deleted)
        return false;
    it->deleted = true;
    return true;
}

bool Directory::readRole(const QJsonObject &object, quint64 guildId)
{
    const quint64 id = MessageParser::parseId(object.value("id"_L1));
    if (id == 0 || !object.value("name"_L1).isString())
        return false;
    Role &role = m_roles[id];
    const Role before = role;
    role.name = object.value("name"_L1).toString();
    role.guildId = guildId;
    role.deleted = false;
    return before.name != role.name || before.guildId != role.guildId || before.deleted;
}

bool Directory::setRoleDeleted(const QJsonObject &d)
{
    const auto it = m_roles.find(MessageParser::parseId(d.value("role_id"_L1)));
    if (it == m_roles.end() || it->deleted)
        return false;
    it->deleted = true;
    return true;
}

bool Directory::handleDispatch(const QString &type, const QJsonObject &d)
{
    bool changed = false;
    if (type == "READY"_L1) {
        const QJsonObject self = d.value("user"_L1).toObject();
        m_selfId = MessageParser::parseId(self.value("id"_L1));
        changed |= readUser(self);
        const QJsonArray guilds = d.value("guilds"_L1).toArray();
        for (const QJsonValue &guild : guilds)
            changed |= readGuild(guild.toObject());
        const QJsonArray channels = d.value("private_channels"_L1).toArray();
        for (const QJsonValue &channel : channels)
            changed |= readChannel(channel.toObject(), 0);
    } else if (type == "GUILD_CREATE"_L1 || type == "GUILD_UPDATE"_L1) {
        changed = readGuild(d);
    } else if (type == "GUILD_DELETE"_L1) {
        const quint64 id = MessageParser::parseId(d.value("id"_L1));
        if (id != 0) {
            Guild &guild = m_guilds[id];
            // unavailable:true is an outage (the guild comes back); absent means we left.
            guild.unavailable = d.value("unavailable"_L1).toBool();
            guild.left = !guild.unavailable;
            changed = true;
        }
    } else if (type == "CHANNEL_CREATE"_L1 || type == "CHANNEL_UPDATE"_L1
               || type == "THREAD_CREATE"_L1 || type == "THREAD_UPDATE"_L1) {
        changed = readChannel(d, 0);
    } else if (type == "CHANNEL_DELETE"_L1 || type == "THREAD_DELETE"_L1) {
        changed = setChannelDeleted(d);
    } else if (type == "THREAD_LIST_SYNC"_L1) {
        const quint64 guildId = MessageParser::parseId(d.value("guild_id"_L1));
        const QJsonArray threads = d.value("threads"_L1).toArray();
        for (const QJsonValue &thread : threads)
            changed |= readChannel(thread.toObject(), guildId);
    } else if (type == "GUILD_ROLE_CREATE"_L1 || type == "GUILD_ROLE_UPDATE"_L1) {
        changed = readRole(d.value("role"_L1).toObject(),
                           MessageParser::parseId(d.value("guild_id"_L1)));
    } else if (type == "GUILD_ROLE_DELETE"_L1) {
        changed = setRoleDeleted(d);
    } else if (type == "USER_UPDATE"_L1) {
        changed = readUser(d);
    } else {
        return false;
    }
    qCDebug(lcStore) << "directory:" << type << (changed ? "changed" : "unchanged");
    if (changed)
        touch(true);
    return true;
}

void Directory::noteMessage(const Message &m)
{
    bool emitChange = false;
    bool silent = false;
    if (m.authorId != 0 && !m.isWebhook()) {
        const auto it = m_users.find(m.authorId);
        if (it == m_users.end()) {
            m_users.insert(m.authorId, {m.authorName, m.authorGlobalName, m.isBot()});
            silent = true;
        } else if ((!m.authorName.isEmpty() && it->username != m.authorName)
                   || it->globalName != m.authorGlobalName) {
            if (!m.authorName.isEmpty())
                it->username = m.authorName;
            it->globalName = m.authorGlobalName;
            emitChange = true;
        }
    }
    if (m.channelId != 0) {
        auto it = m_channels.find(m.channelId);
        if (it == m_channels.end()) {
            Channel channel;
            channel.guildId = m.guildId;
            if (m.guildId == 0) {
                channel.type = DirectMessage;
                if (m.authorId != m_selfId) {
                    channel.recipientId = m.authorId;
                    channel.name = dmName(m.displayAuthor());
                } else {
                    channel.name = dmName({});
                }
            }
            m_channels.insert(m.channelId, channel);
            emitChange |= m.guildId == 0;
            silent = true;
        } else if (m.guildId == 0 && it->recipientId == 0 && m.authorId != 0
                   && m.authorId != m_selfId && it->type == DirectMessage) {
            it->recipientId = m.authorId;
            it->name = dmName(m.displayAuthor());
            emitChange = true;
        } else if (it->guildId == 0 && m.guildId != 0) {
            it->guildId = m.guildId;
            silent = true;
        }
    }
    if (emitChange || silent)
        touch(emitChange);
}

const Directory::Guild *Directory::guild(quint64 id) const
{
    const auto it = m_guilds.constFind(id);
    return it == m_guilds.cend() ? nullptr : &*it;
}

const Directory::Channel *Directory::channel(quint64 id) const
{
    const auto it = m_channels.constFind(id);
    return it == m_channels.cend() ? nullptr : &*it;
}

const Directory::User *Directory::user(quint64 id) const
{
    const auto it = m_users.constFind(id);
    return it == m_users.cend() ? nullptr : &*it;
}

QString Directory::guildName(quint64 id) const
{
    const Guild *g = guild(id);
    return g ? g->name : QString();
}

QString Directory::channelName(quint64 id) const
{
    const Channel *c = channel(id);
    return c ? c->name : QString();
}

QString Directory::channelLabel(quint64 id) const
{
    const Channel *c = channel(id);
    if (!c || c->name.isEmpty())
        return id ? QString::number(id) : QString();
    return c->guildId == 0 && c->type != GuildText ? c->name : u'#' + c->name;
}

quint64 Directory::channelGuild(quint64 id) const
{
    const Channel *c = channel(id);
    return c ? c->guildId : 0;
}

quint64 Directory::channelParent(quint64 id) const
{
    const Channel *c = channel(id);
    return c ? c->parentId : 0;
}

bool Directory::isThread(quint64 id) const
{
    const Channel *c = channel(id);
    return c && isThreadType(c->type);
}

bool Directory::isThreadType(int type)
{
    return type == AnnouncementThread || type == PublicThread || type == PrivateThread;
}

const Directory::Role *Directory::role(quint64 id) const
{
    const auto it = m_roles.constFind(id);
    return it == m_roles.cend() ? nullptr : &*it;
}

QString Directory::roleName(quint64 id) const
{
    const Role *r = role(id);
    return r ? r->name : QString();
}

QString Directory::userName(quint64 id) const
{
    const User *u = user(id);
    if (!u)
        return {};
    return u->globalName.isEmpty() ? u->username : u->globalName;
}

QList<quint64> Directory::channelsNamed(QStringView name) const
{
    name = stripPrefix(name, u'#');
    QList<quint64> ids;
    for (auto it = m_channels.cbegin(); it != m_channels.cend(); ++it) {
        if (it->name.compare(name, Qt::CaseInsensitive) == 0)
            ids.append(it.key());
    }
    return ids;
}

QList<quint64> Directory::channelChildren(quint64 parentId) const
{
    QList<quint64> ids;
    if (parentId == 0)
        return ids;
    for (auto it = m_channels.cbegin(); it != m_channels.cend(); ++it) {
        if (it->parentId == parentId)
            ids.append(it.key());
    }
    return ids;
}

QList<quint64> Directory::guildsNamed(QStringView name) const
{
    name = name.trimmed();
    QList<quint64> ids;
    for (auto it = m_guilds.cbegin(); it != m_guilds.cend(); ++it) {
        if (it->name.compare(name, Qt::CaseInsensitive) == 0)
            ids.append(it.key());
    }
    return ids;
}

QList<quint64> Directory::usersNamed(QStringView name) const
{
    name = stripPrefix(name, u'@');
    QList<quint64> ids;
    for (auto it = m_users.cbegin(); it != m_users.cend(); ++it) {
        if (it->username.compare(name, Qt::CaseInsensitive) == 0
            || (!it->globalName.isEmpty()
                && it->globalName.compare(name, Qt::CaseInsensitive) == 0))
            ids.append(it.key());
    }
    return ids;
}

void Directory::clear()
{
    m_guilds.clear();
    m_channels.clear();
    m_users.clear();
    m_roles.clear();
    m_selfId = 0;
    touch(true);
}

} // namespace Gatescope
