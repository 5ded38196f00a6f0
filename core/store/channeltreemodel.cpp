#include "core/store/channeltreemodel.h"

#include "core/store/directory.h"
#include "core/store/messagestore.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {
constexpr int Root = 0;

bool sameShape(const auto &a, const auto &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto &x, const auto &y) {
        return x.kind == y.kind && x.guildId == y.guildId && x.channelId == y.channelId
               && x.parent == y.parent;
    });
}
} // namespace

ChannelTreeModel::ChannelTreeModel(MessageStore *store, QObject *parent)
    : QAbstractItemModel(parent)
    , m_store(store)
    , m_directory(store->directory())
{
    Q_ASSERT(m_directory);
    m_rebuildTimer.setObjectName(u"treeRebuildTimer"_s); // named for profiles
    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(DefaultRebuildDelayMs);
    m_rebuildTimer.callOnTimeout(this, &ChannelTreeModel::rebuild);
    connect(m_directory, &Directory::changed, this, &ChannelTreeModel::onDirectoryChanged);
    connect(store, &MessageStore::appended, this, &ChannelTreeModel::countAppended);
    connect(store, &MessageStore::cleared, this, [this] {
        m_counts.clear();
        if (!m_nodes.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, 0));
    });
    rebuild();
}

void ChannelTreeModel::onDirectoryChanged()
{
    if (m_rebuildTimer.isActive())
        return;
    const qint64 delay = m_rebuildTimer.interval();
    const qint64 spacing = RebuildSpacingFactor * delay;
    const qint64 sinceLast = m_sinceRebuild.isValid() ? m_sinceRebuild.elapsed() : spacing;
    m_rebuildTimer.start(int(std::max(delay, spacing - sinceLast)));
}

int ChannelTreeModel::addNode(NodeKind kind, quint64 guildId, quint64 channelId, int parent)
{
    Node node;
    node.kind = kind;
    node.guildId = guildId;
    node.channelId = channelId;
    node.parent = parent;
    const int id = int(m_nodes.size());
    std::vector<int> &siblings = m_nodes[size_t(node.parent)].children;
    node.row = int(siblings.size());
    siblings.push_back(id);
    m_nodes.push_back(std::move(node));
    return id;
}

void ChannelTreeModel::addChannels(int parentNode, quint64 guildId, QList<quint64> ids, int depth)
{
    // Category > channel > thread is as deep as Discord goes; deeper chains (hostile parent_ids)
    // are cut there, so a long chain cannot exhaust the stack.
    if (depth > 3)
        return;
    std::sort(ids.begin(), ids.end(), [this](quint64 a, quint64 b) {
        const int pa = m_directory->channel(a)->position;
        const int pb = m_directory->channel(b)->position;
        return pa != pb ? pa < pb : a < b;
    });
    for (quint64 id : ids) {
        const Directory::Channel *c = m_directory->channel(id);
        if (c->type == Directory::GuildCategory) {
            const int category = addNode(NodeKind::Category, guildId, id, parentNode);
            addChannels(category, guildId, m_directory->channelChildren(id), depth + 1);
            continue;
        }
        const bool thread = Directory::isThreadType(c->type);
        const int node
                = addNode(thread ? NodeKind::Thread : NodeKind::Channel, guildId, id, parentNode);
        m_channelNodes.insert(id, node);
        if (!thread)
            addChannels(node, guildId, m_directory->channelChildren(id), depth + 1);
    }
}

void ChannelTreeModel::rebuild()
{
    m_rebuildTimer.stop();
    m_sinceRebuild.start();
    QHash<quint64, QList<quint64>> topLevel; // guild -> channels without a known parent
    QList<quint64> dms;
    const QList<quint64> channels = m_directory->channelIds();
    for (quint64 id : channels) {
        const Directory::Channel *c = m_directory->channel(id);
        if (c->guildId == 0) {
            if (c->type == Directory::DirectMessage || c->type == Directory::GroupDm)
                dms.append(id);
            continue;
        }
        const Directory::Channel *parent = m_directory->channel(c->parentId);
        if (c->parentId == 0 || !parent)
            topLevel[c->guildId].append(id);
    }
    QList<quint64> guilds = m_directory->guildIds();
    for (auto it = topLevel.cbegin(); it != topLevel.cend(); ++it) {
        if (!m_directory->guild(it.key()))
            guilds.append(it.key());
    }
    std::sort(guilds.begin(), guilds.end(), [this](quint64 a, quint64 b) {
        const int byName
                = m_directory->guildName(a).compare(m_directory->guildName(b), Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : a < b;
    });

    std::vector<Node> old;
    old.swap(m_nodes);
    m_channelNodes.clear();
    m_guildNodes.clear();
    m_nodes.push_back({}); // root
    addNode(NodeKind::All, 0, 0, Root);
    for (quint64 guild : guilds) {
        const int node = addNode(NodeKind::Guild, guild, 0, Root);
        m_guildNodes.insert(guild, node);
        // Top-level channels come before the categories, as Discord lists them.
        QList<quint64> plain;
        QList<quint64> categories;
        for (quint64 id : topLevel.value(guild)) {
            (m_directory->channel(id)->type == Directory::GuildCategory ? categories : plain)
                    .append(id);
        }
        addChannels(node, guild, plain, 1);
        addChannels(node, guild, categories, 1);
    }
    if (!dms.isEmpty()) {
        const int node = addNode(NodeKind::DirectMessages, 0, AllDirectMessages, Root);
        std::sort(dms.begin(), dms.end());
        for (quint64 id : dms)
            m_channelNodes.insert(id, addNode(NodeKind::DmChannel, 0, id, node));
    }
    for (Node &node : m_nodes)
        node.name = nodeName(node);

    if (!old.empty() && sameShape(old, m_nodes)) {
        // Names only: keep the view's selection and expansion.
        for (size_t i = 0; i < m_nodes.size(); ++i) {
            if (m_nodes[i].name != old[i].name)
                Q_EMIT dataChanged(indexOfNode(int(i)), indexOfNode(int(i)));
        }
        return;
    }
    std::swap(old, m_nodes);
    beginResetModel();
    std::swap(old, m_nodes);
    endResetModel();
}

QString ChannelTreeModel::nodeName(const Node &node) const
{
    switch (node.kind) {
    case NodeKind::All:
        return tr("All channels");
    case NodeKind::DirectMessages:
        return tr("Direct messages");
    case NodeKind::Guild: {
        const QString name = m_directory->guildName(node.guildId);
        return name.isEmpty() ? QString::number(node.guildId) : name;
    }
    case NodeKind::Channel:
        return m_directory->channelLabel(node.channelId);
    case NodeKind::Category:
    case NodeKind::Thread:
    case NodeKind::DmChannel:
        break;
    }
    const QString name = m_directory->channelName(node.channelId);
    return name.isEmpty() ? QString::number(node.channelId) : name;
}

const ChannelTreeModel::Node *ChannelTreeModel::nodeOf(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    return &m_nodes[size_t(index.internalId())];
}

QModelIndex ChannelTreeModel::indexOfNode(int node) const
{
    if (node <= Root || size_t(node) >= m_nodes.size())
        return {};
    return createIndex(m_nodes[size_t(node)].row, 0, quintptr(node));
}

QModelIndex ChannelTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    const int parentNode = parent.isValid() ? int(parent.internalId()) : Root;
    if (column != 0 || row < 0 || parentNode < 0 || size_t(parentNode) >= m_nodes.size())
        return {};
    const std::vector<int> &children = m_nodes[size_t(parentNode)].children;
    if (size_t(row) >= children.size())
        return {};
    return createIndex(row, 0, quintptr(children[size_t(row)]));
}

QModelIndex ChannelTreeModel::parent(const QModelIndex &child) const
{
    const Node *node = nodeOf(child);
    return node ? indexOfNode(node->parent) : QModelIndex();
}

int ChannelTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    const int node = parent.isValid() ? int(parent.internalId()) : Root;
    return int(m_nodes[size_t(node)].children.size());
}

int ChannelTreeModel::columnCount(const QModelIndex &parent) const
{
    Q_UNUSED(parent);
    return 1;
}

ChannelTreeModel::Counts ChannelTreeModel::countsOf(const Node &node) const
{
    Counts sum = m_counts.value(node.channelId);
    if (node.kind == NodeKind::All)
        sum = {};
    for (int child : node.children) {
        const Counts c = countsOf(m_nodes[size_t(child)]);
        sum.unread += c.unread;
        sum.mentions += c.mentions;
    }
    return sum;
}

QVariant ChannelTreeModel::data(const QModelIndex &index, int role) const
{
    const Node *node = nodeOf(index);
    if (!node)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return node->name;
    case Qt::ToolTipRole: {
        const Counts c = countsOf(*node);
        QString tip = node->name;
        if (node->guildId != 0 || (node->channelId != 0 && node->channelId != AllDirectMessages))
            tip += u"\n"_s + tr("id %1").arg(node->channelId ? node->channelId : node->guildId);
        if (c.unread > 0)
            tip += u"\n"_s + tr("%n new message(s)", nullptr, c.unread);
        if (c.mentions > 0)
            tip += u"\n"_s + tr("%n mention(s)", nullptr, c.mentions);
        return tip;
    }
    case KindRole:
        return int(node->kind);
    case GuildIdRole:
        return node->guildId;
    case ChannelIdRole:
        return node->channelId;
    case UnreadRole:
        return countsOf(*node).unread;
    case MentionsRole:
        return countsOf(*node).mentions;
    case InitialsRole:
        return node->kind == NodeKind::Guild ? initials(node->name) : QString();
    default:
        return {};
    }
}

QHash<int, QByteArray> ChannelTreeModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(KindRole, "kind");
    names.insert(GuildIdRole, "guildId");
    names.insert(ChannelIdRole, "channelId");
    names.insert(UnreadRole, "unread");
    names.insert(MentionsRole, "mentions");
    names.insert(InitialsRole, "initials");
    return names;
}

QModelIndex ChannelTreeModel::indexOf(quint64 guildId, quint64 channelId) const
{
    if (channelId == 0)
        return guildId == 0 ? index(0, 0) : indexOfNode(m_guildNodes.value(guildId, -1));
    for (size_t i = 1; i < m_nodes.size(); ++i) {
        if (m_nodes[i].channelId == channelId)
            return indexOfNode(int(i));
    }
    return {};
}

QString ChannelTreeModel::filterTerm(quint64 guildId, quint64 channelId) const
{
    if (channelId == AllDirectMessages)
        return u"is:dm"_s;
    if (channelId == 0)
        return guildId == 0 ? QString() : u"guild:"_s + QString::number(guildId);
    const Node *node = nodeOf(indexOf(guildId, channelId));
    if (!node || node->kind != NodeKind::Category)
        return u"in:"_s + QString::number(channelId);
    QStringList terms;
    for (int child : node->children)
        terms.append(u"in:"_s + QString::number(m_nodes[size_t(child)].channelId));
    if (terms.isEmpty()) // an empty category matches nothing, as its channels would
        return u"in:"_s + QString::number(channelId);
    return terms.size() == 1 ? terms.first() : u'(' + terms.join(" OR "_L1) + u')';
}

QString ChannelTreeModel::withLocationTerm(const QString &query, const QString &term)
{
    static const QRegularExpression location(
            u"(^|\\s)(?:\\((?:\\s*(?:OR\\s+)?in:\\d+)+\\s*\\)|(?:in|channel|guild|server):\\d+"
            "|is:dm)(?=\\s|$)"_s,
            QRegularExpression::CaseInsensitiveOption);
    QString out = query;
    const QRegularExpressionMatch match = location.match(out);
    if (match.hasMatch()) {
        const qsizetype start = match.capturedStart();
        out.replace(start, match.capturedEnd() - start,
                    term.isEmpty() ? QString() : match.captured(1) + term);
        return out.simplified();
    }
    const QString trimmed = query.trimmed();
    if (term.isEmpty())
        return trimmed;
    return trimmed.isEmpty() ? term : trimmed + u' ' + term;
}

QString ChannelTreeModel::initials(const QString &name)
{
    QString out;
    const QStringList words = name.split(u' ', Qt::SkipEmptyParts);
    int letters = 0;
    for (const QString &word : words) {
        // By code point, so a letter outside the BMP is taken whole.
        const QList<uint> points = word.toUcs4();
        const auto letter = std::find_if(points.cbegin(), points.cend(),
                                         [](uint c) { return QChar::isLetterOrNumber(c); });
        if (letter == points.cend())
            continue;
        out += QString::fromUcs4(reinterpret_cast<const char32_t *>(&*letter), 1).toUpper();
        if (++letters == 2 || words.size() == 1)
            break;
    }
    return out.isEmpty() ? u"?"_s : out;
}

bool ChannelTreeModel::covers(const Node &node, quint64 channelId) const
{
    switch (node.kind) {
    case NodeKind::All:
        return true;
    case NodeKind::Guild:
        return m_directory->channelGuild(channelId) == node.guildId;
    case NodeKind::DirectMessages:
        return m_directory->channelGuild(channelId) == 0;
    case NodeKind::Category:
        return channelId == node.channelId
               || m_directory->channelParent(channelId) == node.channelId;
    case NodeKind::Channel:
    case NodeKind::Thread:
    case NodeKind::DmChannel:
        break;
    }
    return channelId == node.channelId;
}

void ChannelTreeModel::clearCounts(const Node &node)
{
    QList<int> changed;
    for (auto it = m_counts.begin(); it != m_counts.end();) {
        if (covers(node, it.key())) {
            changed.append(m_channelNodes.value(it.key(), -1));
            it = m_counts.erase(it);
        } else {
            ++it;
        }
    }
    emitCountsChanged(changed);
}

void ChannelTreeModel::markViewed(quint64 guildId, quint64 channelId)
{
    if (const Node *node = nodeOf(indexOf(guildId, channelId)))
        clearCounts(*node);
    else if (channelId != 0 && m_counts.remove(channelId))
        emitCountsChanged({m_channelNodes.value(channelId, -1)});
}

void ChannelTreeModel::setActive(quint64 guildId, quint64 channelId)
{
    // "All channels" is no channel being read: counts keep showing where things happen.
    m_hasActive = guildId != 0 || channelId != 0;
    m_activeGuild = guildId;
    m_activeChannel = channelId;
    if (m_hasActive)
        markViewed(guildId, channelId);
}

void ChannelTreeModel::countAppended(int n)
{
    const quint64 self = m_directory->selfId();
    const StoreTables &tables = m_store->tables();
    const Node *active = m_hasActive ? nodeOf(indexOf(m_activeGuild, m_activeChannel)) : nullptr;
    QList<int> changed;
    quint64 lastChannel = 0;
    const quint64 end = m_store->seqAt(m_store->count());
    const StoreChunk *chunk = nullptr;
    for (quint64 seq = end - quint64(n); seq < end; ++seq) {
        if (!chunk || seq - chunk->firstSeq >= quint64(chunk->size()))
            chunk = m_store->chunkOf(seq);
        if (!chunk)
            continue;
        const size_t row = size_t(seq - chunk->firstSeq);
        const quint64 channel = tables.channels[chunk->channels[row]];
        if (active && covers(*active, channel))
            continue;
        bool mention = chunk->flags[row] & Message::MentionsEveryone;
        if (!mention && self != 0 && (chunk->extraFlags[row] & StoreChunk::HasMentions))
            mention = chunk->extras.value(quint16(row)).mentionIds.contains(self);
        Counts &counts = m_counts[channel];
        ++counts.unread;
        counts.mentions += mention ? 1 : 0;
        if (channel != lastChannel) {
            lastChannel = channel;
            const int node = m_channelNodes.value(channel, -1);
            if (node < 0 && m_directory->channel(channel))
                onDirectoryChanged(); // a channel learnt from messages alone
            if (!changed.contains(node))
                changed.append(node);
        }
    }
    emitCountsChanged(changed);
}

void ChannelTreeModel::emitCountsChanged(const QList<int> &channelNodes)
{
    QList<int> done;
    for (int node : channelNodes) {
        for (; node > Root && !done.contains(node); node = m_nodes[size_t(node)].parent) {
            done.append(node);
            const QModelIndex at = indexOfNode(node);
            Q_EMIT dataChanged(at, at, {UnreadRole, MentionsRole, Qt::ToolTipRole});
        }
    }
}

} // namespace Gatescope
