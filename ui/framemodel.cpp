#include "ui/framemodel.h"

#include "core/gateway/redaction.h"
#include "ui/format.h"
#include "ui/icons.h"

#include <QBrush>
#include <QColor>
#include <QJsonDocument>
#include <QTimerEvent>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
constexpr int BatchIntervalMs = 100;
constexpr int PreviewChars = 160;
} // namespace

FrameModel::FrameModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_incomingIcon(Icons::icon(Icons::Kind::Incoming))
    , m_outgoingIcon(Icons::icon(Icons::Kind::Outgoing))
    , m_rejectedIcon(Icons::icon(Icons::Kind::Warning))
{ }

QString FrameModel::directionText(bool incoming)
{
    return incoming ? tr("received") : tr("sent");
}

int FrameModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_frames.size());
}

int FrameModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FrameModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Direction:
        return QString();
    case Op:
        return tr("Op");
    case Type:
        return tr("t");
    case Seq:
        return tr("s");
    case Size:
        return tr("Size");
    case Preview:
        return tr("Payload");
    default:
        return {};
    }
}

QVariant FrameModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const FrameRecord &f = m_frames[size_t(index.row())];
    const bool incoming = f.direction == FrameRecord::Direction::Incoming;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return Format::clockTime(f.timeMs);
        case Direction:
            return {}; // an icon (DecorationRole): arrow characters show as boxes in some fonts
        case Op:
            return u"%1 %2"_s.arg(f.op).arg(Format::opName(f.op));
        case Type:
            // A frame whose event was rejected (malformed) carries a visible mark.
            return f.rejected.isEmpty() ? f.type : tr("%1 (rejected)").arg(f.type);
        case Seq:
            return f.seq < 0 ? QString() : QString::number(f.seq);
        case Size:
            return Format::bytes(quint64(f.wireBytes));
        case Preview: {
            // Redact before truncating, so a cut cannot leave half a secret visible.
            const QByteArray redacted = Redaction::redact(f.json);
            QString text = QString::fromUtf8(redacted.left(PreviewChars * 4)).simplified();
            if (text.size() > PreviewChars)
                text = text.left(PreviewChars) + u"…"_s;
            return text;
        }
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == Direction)
            return incoming ? m_incomingIcon : m_outgoingIcon;
        if (index.column() == Type && !f.rejected.isEmpty())
            return m_rejectedIcon;
        break;
    case Qt::ToolTipRole:
        if (!f.rejected.isEmpty())
            return tr("rejected: %1").arg(f.rejected);
        if (index.column() == Direction)
            return directionText(incoming);
        break;
    case Qt::AccessibleTextRole:
        if (index.column() == Direction)
            return directionText(incoming);
        break;
    case Qt::ForegroundRole:
        if (f.op == 7 || f.op == 9 || !f.rejected.isEmpty())
            return QBrush(QColor(0xbc, 0x4c, 0x00));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Seq || index.column() == Size)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case JsonRole: {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(f.json, &error);
        const QByteArray text = error.error == QJsonParseError::NoError
                                        ? doc.toJson(QJsonDocument::Indented)
                                        : f.json;
        return Redaction::redact(QString::fromUtf8(text));
    }
    case OpRole:
        return f.op;
    case TypeRole:
        return f.type;
    case DirectionRole:
        return int(f.direction);
    default:
        break;
    }
    return {};
}

void FrameModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    const int excess = int(m_frames.size()) - m_capacity;
    if (excess > 0) {
        beginRemoveRows({}, 0, excess - 1);
        m_frames.erase(m_frames.begin(), m_frames.begin() + excess);
        endRemoveRows();
    }
    while (int(m_pending.size()) > m_capacity)
        m_pending.pop_front();
}

void FrameModel::addFrame(const FrameRecord &frame)
{
    ++m_total;
    m_pending.push_back(frame);
    if (int(m_pending.size()) > m_capacity)
        m_pending.pop_front();
    if (!m_paused && !m_batchTimer.isActive())
        m_batchTimer.start(BatchIntervalMs, this);
}

void FrameModel::addFrames(const QList<FrameRecord> &frames)
{
    for (const FrameRecord &frame : frames)
        addFrame(frame);
}

void FrameModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!paused)
        flush();
    emit pausedChanged(paused);
    emit countsChanged();
}

void FrameModel::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_batchTimer.timerId()) {
        m_batchTimer.stop();
        if (!m_paused)
            flush();
        return;
    }
    QAbstractTableModel::timerEvent(event);
}

void FrameModel::flush()
{
    m_batchTimer.stop();
    if (m_pending.empty())
        return;
    const int incoming = int(m_pending.size());
    const int excess = int(m_frames.size()) + incoming - m_capacity;
    if (excess > 0) {
        const int removeRows = std::min(excess, int(m_frames.size()));
        if (removeRows > 0) {
            beginRemoveRows({}, 0, removeRows - 1);
            m_frames.erase(m_frames.begin(), m_frames.begin() + removeRows);
            endRemoveRows();
        }
    }
    const int first = int(m_frames.size());
    beginInsertRows({}, first, first + incoming - 1);
    for (FrameRecord &f : m_pending)
        m_frames.push_back(std::move(f));
    m_pending.clear();
    endInsertRows();
    emit countsChanged();
}

void FrameModel::clear()
{
    beginResetModel();
    m_frames.clear();
    m_pending.clear();
    endResetModel();
    emit countsChanged();
}

} // namespace Gatescope::Ui
