#include "ui/shardsdock.h"

#include "core/connection/shardstatsmodel.h"
#include "core/fleet/fleetshardsmodel.h"
#include "ui/shardstatedelegate.h"
#include "ui/sparklinedelegate.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMenu>
#include <QRegularExpression>
#include <QTableView>
#include <QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

ShardsDock::ShardsDock(ShardStatsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(new QTableView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    m_view->setObjectName(u"shardsView"_s);
    showConnection();
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &position) {
        std::unique_ptr<QMenu> menu(contextMenuFor(m_view->indexAt(position)));
        if (menu)
            menu->exec(m_view->viewport()->mapToGlobal(position));
    });
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
}

void ShardsDock::showConnection()
{
    setModel(m_model);
    m_view->setItemDelegateForColumn(
            ShardStatsModel::Latency,
            new SparklineDelegate(ShardStatsModel::LatencyHistoryRole, m_view));
    m_view->setItemDelegateForColumn(ShardStatsModel::State, new ShardStateDelegate(m_view));
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
}

void ShardsDock::showFleet(QAbstractItemModel *model)
{
    if (m_view->model() == model)
        return; // its delegates are in place
    // The connection's delegates and actions do not apply to a fleet's columns.
    setModel(model);
    // Stale shards and gaps in colour (FleetShardsModel::AttentionRole), states as the
    // connection's.
    m_view->setItemDelegateForColumn(FleetShardsModel::State, new ShardStateDelegate(m_view));
    auto *gaps = new ShardStateDelegate(m_view);
    gaps->setShowsState(false);
    m_view->setItemDelegateForColumn(FleetShardsModel::Missing, gaps);
    m_view->setContextMenuPolicy(Qt::NoContextMenu);
}

void ShardsDock::setModel(QAbstractItemModel *model)
{
    if (m_view->model() == model)
        return;
    if (QAbstractItemModel *old = m_view->model()) {
        for (int column = 0; column < old->columnCount(); ++column) {
            QAbstractItemDelegate *delegate = m_view->itemDelegateForColumn(column);
            m_view->setItemDelegateForColumn(column, nullptr);
            delete delegate;
        }
    }
    m_view->setModel(model);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ShardsDock::onCurrentChanged);
}

int ShardsDock::heightForRows(int rows) const
{
    return m_view->horizontalHeader()->sizeHint().height()
           + rows * m_view->verticalHeader()->defaultSectionSize() + 2 * m_view->frameWidth();
}

void ShardsDock::onCurrentChanged()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const int shard = current.data(ShardStatsModel::ShardRole).toInt();
    if (shard >= 0)
        emit shardSelected(shard);
}

QMenu *ShardsDock::contextMenuFor(const QModelIndex &index)
{
    if (!index.isValid())
        return nullptr;
    const int shard = index.data(ShardStatsModel::ShardRole).toInt();
    const auto state = index.data(ShardStatsModel::StateRole).value<GatewayClient::State>();
    const bool silent = index.data(ShardStatsModel::SilentRole).toBool();
    auto *menu = new QMenu(this);
    QAction *reconnect = menu->addAction(shard >= 0 ? tr("Reconnect shard %1 (resume)").arg(shard)
                                                    : tr("Reconnect (resume)"),
                                         this, [this, shard] { emit reconnectRequested(shard); });
    reconnect->setObjectName(u"reconnectShardAction"_s);
    reconnect->setEnabled(state == GatewayClient::State::Ready);
    reconnect->setToolTip(silent ? tr("The shard is silent: a new connection that resumes the "
                                      "session often brings its events back")
                                 : tr("Close the connection (4000) and resume on a new one"));
    return menu;
}

QString ShardsDock::withShardTerm(const QString &query, int shard)
{
    static const QRegularExpression term(u"(^|\\s)shard:\\d+(?=\\s|$)"_s,
                                         QRegularExpression::CaseInsensitiveOption);
    const QString replacement = u"shard:%1"_s.arg(shard);
    QString out = query;
    if (const QRegularExpressionMatch match = term.match(out); match.hasMatch()) {
        const qsizetype start = match.capturedEnd(1);
        out.replace(start, match.capturedEnd() - start, replacement);
        return out;
    }
    const QString trimmed = query.trimmed();
    return trimmed.isEmpty() ? replacement : trimmed + u' ' + replacement;
}

} // namespace Gatescope::Ui
