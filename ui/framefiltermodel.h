#pragma once

#include <QSortFilterProxyModel>

namespace Gatescope::Ui {

/// Filters a FrameModel by opcode or event type.
///
/// The filter is a list of terms separated by spaces or commas; a frame matches when any term
/// does. A number matches the opcode ("0", "op:7"); a word matches the event type or the
/// opcode name, case-insensitively, as a prefix ("message" matches MESSAGE_CREATE and
/// MESSAGE_UPDATE; "heartbeat" matches HEARTBEAT and HEARTBEAT_ACK). "in" and "out" keep one
/// direction. An empty filter shows everything.
class FrameFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit FrameFilterModel(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QList<int> m_ops;
    QStringList m_words;
    int m_direction = -1; ///< -1 both, else FrameRecord::Direction
};

} // namespace Gatescope::Ui
