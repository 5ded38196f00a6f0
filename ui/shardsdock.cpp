#include "ui/shardsdock.h"

#include "core/connection/shardstatsmodel.h"
#include "ui/sparklinedelegate.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QRegularExpression>
#include <QTableView>
#include <QVBoxLayout>

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
    m_view->setModel(model);
    m_view->setItemDelegateForColumn(
            ShardStatsModel::Latency,
            new SparklineDelegate(ShardStatsModel::LatencyHistoryRole, m_view));
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
