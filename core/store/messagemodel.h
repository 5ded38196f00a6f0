#pragma once

#include "core/store/message.h"

#include <QAbstractTableModel>
#include <QMetaType>
#include <QTimer>

#include <array>

namespace Gatescope {

class Directory;
class MessageStore;

/// The feed as a table over a MessageStore: one row per stored message, oldest first.
///
/// Columns: Time (UTC, HH:mm:ss.zzz; the tooltip has the full date), Guild, Channel (names from
/// the Directory, the id when unknown), Author (the name the message was sent with), Content (one
/// line: newlines shown as ⏎), Flags (short text such as "bot", "edited", "deleted").
/// DisplayRole and ToolTipRole for every column; the custom roles work on any column.
///
/// No QtGui types: views style rows from StateRole / DeletedRole / EditedRole.
///
/// Follows the store's signals one to one (evictions as removals at the top, batched appends as
/// insertions at the end, messageChanged as dataChanged of the row, clear as a reset), and the
/// Directory's changed() as one dataChanged of the name columns over all rows. That dataChanged
/// costs every proxy a pass over all rows, so it is throttled: the first change is signalled at
/// once, further ones at most every namesRefreshInterval() ms (default 250), as one signal.
///
/// Lives in the thread of its store.
class MessageModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        GuildColumn,
        ChannelColumn,
        AuthorColumn,
        ContentColumn,
        FlagsColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        MessageIdRole = Qt::UserRole + 1, ///< quint64
        ChannelIdRole, ///< quint64
        GuildIdRole, ///< quint64 (0 for DMs)
        AuthorIdRole, ///< quint64
        RawJsonRole, ///< QByteArray, compact: the MESSAGE_CREATE `d` with updates merged
        StateRole, ///< int: a combination of State
        DeletedRole, ///< bool
        EditedRole, ///< bool
        MessageRole, ///< Gatescope::Message (a copy; cheap, implicitly shared strings)
        /// quintptr to a const Message materialised for this row, valid until the model has
        /// materialised MaterialisedRows other rows (read it at once, never keep it)
        MessagePointerRole,
        SortKeyRole, ///< qulonglong: the row's sequence number (arrival order)
        TimestampRole, ///< qint64 ms UTC
    };
    Q_ENUM(Role)

    /// StateRole bits.
    enum State { Normal = 0, Edited = 1, Deleted = 2, Bot = 4, Webhook = 8, Mentioned = 16 };
    Q_ENUM(State)

    explicit MessageModel(MessageStore *store, QObject *parent = nullptr);

    MessageStore *store() const { return m_store; }
    Directory *directory() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Rows materialised from the store that the model keeps at once (see MessagePointerRole).
    static constexpr int MaterialisedRows = 64;

    /// The message of @p row (0 <= row < rowCount()), materialised from the store.
    Message message(int row) const;
    /// The text of @p column for @p message (what DisplayRole shows).
    QString columnText(const Message &message, int column) const;
    /// Short flag text, e.g. "bot, edited, deleted".
    static QString flagsText(const Message &message);
    static int state(const Message &message);

    static constexpr int DefaultNamesRefreshIntervalMs = 250;
    /// Shortest time between two dataChanged signals caused by Directory changes.
    int namesRefreshInterval() const { return m_namesTimer.interval(); }
    /// Sets namesRefreshInterval() (at least 0 ms).
    void setNamesRefreshInterval(int ms) { m_namesTimer.setInterval(qMax(0, ms)); }

private:
    /// Row @p row materialised once for the many data() calls a view makes per row.
    const Message &cached(int row) const;
    QString tooltip(const Message &message, int column) const;
    void onDirectoryChanged();
    void emitNamesChanged();

    MessageStore *m_store;
    QTimer m_namesTimer{this};
    bool m_namesDirty = false; ///< a Directory change arrived while m_namesTimer ran
    struct CachedRow
    {
        quint64 seq = ~quint64(0);
        Message message;
    };
    mutable std::array<CachedRow, MaterialisedRows> m_cache;
};

} // namespace Gatescope

Q_DECLARE_METATYPE(Gatescope::Message)
