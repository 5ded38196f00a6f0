#include "ui/channeltreedock.h"

#include "core/store/channeltreemodel.h"
#include "ui/channeltreedelegate.h"

#include <QHeaderView>
#include <QTreeView>
#include <QVBoxLayout>

#include <functional>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
QString keyOf(const QModelIndex &index)
{
    return u"%1/%2"_s.arg(index.data(ChannelTreeModel::GuildIdRole).toULongLong())
            .arg(index.data(ChannelTreeModel::ChannelIdRole).toULongLong());
}
} // namespace

ChannelTreeDock::ChannelTreeDock(ChannelTreeModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(new QTreeView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_view->setObjectName(u"channelTree"_s);
    m_view->setModel(model);
    m_view->setItemDelegate(new ChannelTreeDelegate(m_view));
    m_view->setHeaderHidden(true);
    m_view->setUniformRowHeights(false);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setIndentation(12);
    layout->addWidget(m_view);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ChannelTreeDock::onCurrentChanged);
    connect(model, &QAbstractItemModel::modelReset, this, &ChannelTreeDock::restoreView);
    connect(m_view, &QTreeView::collapsed, this, [this](const QModelIndex &index) {
        if (!m_restoring)
            m_collapsed.insert(keyOf(index));
    });
    connect(m_view, &QTreeView::expanded, this,
            [this](const QModelIndex &index) { m_collapsed.remove(keyOf(index)); });
    restoreView();
}

void ChannelTreeDock::select(quint64 guildId, quint64 channelId)
{
    const QModelIndex index = m_model->indexOf(guildId, channelId);
    if (index.isValid())
        m_view->setCurrentIndex(index);
}

void ChannelTreeDock::onCurrentChanged()
{
    if (m_restoring)
        return;
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    m_guildId = current.data(ChannelTreeModel::GuildIdRole).toULongLong();
    m_channelId = current.data(ChannelTreeModel::ChannelIdRole).toULongLong();
    m_model->setActive(m_guildId, m_channelId);
    Q_EMIT channelSelected(m_guildId, m_channelId);
}

void ChannelTreeDock::restoreView()
{
    // A rebuilt tree is expanded except where the user collapsed, and keeps the chosen row
    // without choosing it again (the feed's filter already says so).
    m_restoring = true;
    m_view->expandAll();
    const std::function<void(const QModelIndex &)> collapse = [&](const QModelIndex &parent) {
        for (int row = 0; row < m_model->rowCount(parent); ++row) {
            const QModelIndex index = m_model->index(row, 0, parent);
            if (m_collapsed.contains(keyOf(index)))
                m_view->collapse(index);
            collapse(index);
        }
    };
    collapse({});
    const QModelIndex chosen = m_model->indexOf(m_guildId, m_channelId);
    m_view->setCurrentIndex(chosen.isValid() ? chosen : m_model->index(0, 0));
    m_restoring = false;
}

} // namespace Gatescope::Ui
