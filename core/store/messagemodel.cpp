#include "core/store/messagemodel.h"

#include "core/store/directory.h"
#include "core/store/messagestore.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace Gatescope {

MessageModel::MessageModel(MessageStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    Q_ASSERT(store);
    connect(store, &MessageStore::aboutToEvict, this,
            [this](int n) { beginRemoveRows({}, 0, n - 1); });
    connect(store, &MessageStore::evicted, this, [this] { endRemoveRows(); });
    connect(store, &MessageStore::aboutToAppend, this, [this](int n) {
        const int first = m_store->count();
        beginInsertRows({}, first, first + n - 1);
    });
    connect(store, &MessageStore::appended, this, [this] { endInsertRows(); });
    connect(store, &MessageStore::messageChanged, this, [this](int row) {
        // Sequence numbers are never reused, so only an edit makes a cached row stale.
        m_cache[m_store->seqAt(row) % MaterialisedRows].seq = ~quint64(0);
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
    connect(store, &MessageStore::aboutToClear, this, [this] { beginResetModel(); });
    connect(store, &MessageStore::cleared, this, [this] { endResetModel(); });
    m_namesTimer.setObjectName(u"namesRefreshTimer"_s); // named for profiles
    m_namesTimer.setSingleShot(true);
    m_namesTimer.setInterval(DefaultNamesRefreshIntervalMs);
    m_namesTimer.callOnTimeout(this, [this] {
        if (!m_namesDirty)
            return;
        m_namesDirty = false;
        emitNamesChanged(); // restarts the timer: keep throttling while changes keep coming
    });
    if (Directory *dir = store->directory())
        connect(dir, &Directory::changed, this, &MessageModel::onDirectoryChanged);
}

void MessageModel::onDirectoryChanged()
{
    // A stream of GUILD_/CHANNEL_ events must not cost a pass over every row each.
    if (m_namesTimer.isActive()) {
        m_namesDirty = true;
        return;
    }
    emitNamesChanged();
}

void MessageModel::emitNamesChanged()
{
    // Only a signal actually sent starts the throttle: with no rows there is nothing to delay.
    if (m_store->count() == 0)
        return;
    Q_EMIT dataChanged(index(0, GuildColumn), index(m_store->count() - 1, AuthorColumn),
                       {Qt::DisplayRole, Qt::ToolTipRole});
    m_namesTimer.start();
}

Directory *MessageModel::directory() const
{
    return m_store->directory();
}

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_store->count();
}

int MessageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Message MessageModel::message(int row) const
{
    return cached(row);
}

const Message &MessageModel::cached(int row) const
{
    const quint64 seq = m_store->seqAt(row);
    CachedRow &slot = m_cache[seq % MaterialisedRows];
    if (slot.seq != seq) {
        slot.message = m_store->at(row);
        slot.seq = seq;
    }
    return slot.message;
}

int MessageModel::state(const Message &m)
{
    int s = Normal;
    if (m.isEdited())
        s |= Edited;
    if (m.isDeleted())
        s |= Deleted;
    if (m.isBot())
        s |= Bot;
    if (m.isWebhook())
        s |= Webhook;
    if (!m.mentionIds.isEmpty() || (m.flags & Message::MentionsEveryone))
        s |= Mentioned;
    return s;
}

QString MessageModel::flagsText(const Message &m)
{
    QStringList parts;
    if (m.isBot())
        parts.append(u"bot"_s);
    if (m.isWebhook())
        parts.append(u"webhook"_s);
    if (m.isReply())
        parts.append(u"reply"_s);
    if (!m.attachments.isEmpty())
        parts.append(u"attachment"_s);
    if (m.isEdited())
        parts.append(u"edited"_s);
    if (m.isDeleted())
        parts.append(u"deleted"_s);
    return parts.join(", "_L1);
}

QString MessageModel::columnText(const Message &m, int column) const
{
    const Directory *dir = directory();
    switch (column) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(m.timestampMs, Qt::UTC).toString(u"HH:mm:ss.zzz"_s);
    case GuildColumn:
        if (m.isDm())
            return u"DM"_s;
        if (dir) {
            const QString name = dir->guildName(m.guildId);
            if (!name.isEmpty())
                return name;
        }
        return QString::number(m.guildId);
    case ChannelColumn:
        return dir ? dir->channelLabel(m.channelId) : QString::number(m.channelId);
    case AuthorColumn:
        return m.displayAuthor();
    case ContentColumn: {
        QString line = m.content;
        line.replace(u'\n', u'\u23CE');
        line.remove(u'\r');
        return line;
    }
    case FlagsColumn:
        return flagsText(m);
    default:
        return {};
    }
}

QString MessageModel::tooltip(const Message &m, int column) const
{
    switch (column) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(m.timestampMs, Qt::UTC).toString(Qt::ISODateWithMs);
    case AuthorColumn:
        return u"%1 (%2)"_s.arg(m.authorName, QString::number(m.authorId));
    case ContentColumn:
        return m.content;
    case GuildColumn:
        return QString::number(m.guildId);
    case ChannelColumn:
        return QString::number(m.channelId);
    default:
        return columnText(m, column);
    }
}

QVariant MessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Message &m = cached(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return columnText(m, index.column());
    case Qt::ToolTipRole:
        return tooltip(m, index.column());
    case MessageIdRole:
        return QVariant::fromValue(m.id);
    case ChannelIdRole:
        return QVariant::fromValue(m.channelId);
    case GuildIdRole:
        return QVariant::fromValue(m.guildId);
    case AuthorIdRole:
        return QVariant::fromValue(m.authorId);
    case RawJsonRole:
        return m_store->rawJson(m.id);
    case StateRole:
        return state(m);
    case DeletedRole:
        return m.isDeleted();
    case EditedRole:
        return m.isEdited();
    case MessageRole:
        return QVariant::fromValue(m);
    case MessagePointerRole:
        return QVariant::fromValue(quintptr(&m));
    case SortKeyRole:
        return QVariant::fromValue(qulonglong(m_store->seqAt(index.row())));
    case TimestampRole:
        return QVariant::fromValue(m.timestampMs);
    default:
        return {};
    }
}

QVariant MessageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[] = {"Time", "Guild", "Channel", "Author", "Content", "Flags"};
    return QString::fromLatin1(names[section]);
}

QHash<int, QByteArray> MessageModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(MessageIdRole, "messageId");
    names.insert(ChannelIdRole, "channelId");
    names.insert(GuildIdRole, "guildId");
    names.insert(AuthorIdRole, "authorId");
    names.insert(RawJsonRole, "rawJson");
    names.insert(StateRole, "state");
    names.insert(DeletedRole, "deleted");
    names.insert(EditedRole, "edited");
    names.insert(MessageRole, "message");
    names.insert(MessagePointerRole, "messagePointer");
    names.insert(SortKeyRole, "sortKey");
    names.insert(TimestampRole, "timestamp");
    return names;
}

} // namespace Gatescope
