#include "ui/framefiltermodel.h"

#include "core/gateway/gatewaytypes.h"
#include "ui/format.h"
#include "ui/framemodel.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

FrameFilterModel::FrameFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(false);
}

void FrameFilterModel::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_ops.clear();
    m_words.clear();
    m_direction = -1;
    static const QRegularExpression separators(u"[\\s,|]+"_s);
    const QStringList terms = text.split(separators, Qt::SkipEmptyParts);
    for (QString term : terms) {
        term = term.toUpper();
        if (term.startsWith(u"OP:"_s))
            term = term.mid(3);
        bool isNumber = false;
        const int op = term.toInt(&isNumber);
        if (isNumber)
            m_ops.append(op);
        else if (term == u"IN"_s)
            m_direction = int(FrameRecord::Direction::Incoming);
        else if (term == u"OUT"_s)
            m_direction = int(FrameRecord::Direction::Outgoing);
        else
            m_words.append(term);
    }
    invalidateRowsFilter();
}

bool FrameFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_direction >= 0 && index.data(FrameModel::DirectionRole).toInt() != m_direction)
        return false;
    if (m_ops.isEmpty() && m_words.isEmpty())
        return true;
    const int op = index.data(FrameModel::OpRole).toInt();
    if (m_ops.contains(op))
        return true;
    if (m_words.isEmpty())
        return false;
    const QString type = index.data(FrameModel::TypeRole).toString();
    const QString name = Format::opName(op);
    for (const QString &word : m_words) {
        if (type.startsWith(word, Qt::CaseInsensitive) || name.startsWith(word))
            return true;
    }
    return false;
}

} // namespace Gatescope::Ui
