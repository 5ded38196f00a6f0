#pragma once

#include "core/gateway/gatewayclient.h"

#include <QAbstractTableModel>
#include <QList>

namespace Gatescope::Ui {

/// Every disconnect of the session, newest last: when, the close code and its meaning, who
/// closed, what followed (resume, new identify, or a fatal stop), how many events were replayed,
/// and how long the connection was down.
///
/// Each row tells how the reconnect after that close ended: completed by the next
/// sessionEstablished() of the same shard (whether the resume worked and how many events were
/// replayed), by the next close of that shard (the attempt failed with that code), by fatal(), or
/// by endPending() when the connection is closed or replaced first. A close by the user is
/// followed by nothing and is complete at once. A shard that went silent (ShardHealth) gets a
/// row too (addSilence(), code "—", amber), ended by endSilence().
class DisconnectHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Code, Meaning, Initiator, FollowedBy, Replayed, Downtime, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        FatalRole = Qt::UserRole + 1, ///< bool: this close stopped the client for good
        CodeRole, ///< int close code
        SilenceRole, ///< bool: a silent-shard row, not a close
    };

    /// One disconnect as the model keeps it.
    struct Entry
    {
        qint64 timeMs = 0;
        int code = 0;
        QString reason;
        GatewayClient::Initiator initiator = GatewayClient::Initiator::Server;
        CloseCodes::Action action = CloseCodes::Action::Resume;
        bool pending = true; ///< no session established (or fatal) since
        bool resumed = false;
        bool fatal = false;
        int shard = -1; ///< the shard of a range, -1 for a single connection
        int failedWithCode = 0; ///< the reconnect ended in another close with this code
        QString failedReason;
        bool abandoned = false; ///< the connection was closed before the reconnect ended
        int replayed = -1;
        qint64 downtimeMs = -1;
        QString explanation; ///< for a fatal close
        /// Not a close: the shard went silent (ShardHealth), connected with heartbeats
        /// acknowledged but no dispatch; `timeMs` is when the alarm was raised.
        bool silence = false;
        qint64 silentSinceMs = 0; ///< the last dispatch before the silence (Unix ms)
        bool silenceOngoing = false; ///< not ended yet
        bool silenceEndedByDispatch = false; ///< events came again (else the connection left)
    };

    explicit DisconnectHistoryModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const Entry &entry(int row) const { return m_entries.at(row); }

    /// Bounded so that a flapping connection over days cannot grow without limit.
    static constexpr int MaxEntries = 1000;

public slots:
    /// A close of @p shard; a row of that shard still waiting for its reconnect is completed as
    /// failed with this close.
    void addDisconnect(int closeCode, const QString &reason,
                       Gatescope::GatewayClient::Initiator initiator,
                       Gatescope::CloseCodes::Action action, qint64 timeMs = 0, int shard = -1);
    /// Completes the pending rows of @p shard: resumed or identified anew, with the replayed
    /// count.
    void sessionEstablished(bool resumed, int replayedCount, qint64 timeMs = 0, int shard = -1);
    /// @p shard went silent: a row (marked silent) saying since when no dispatch came.
    void addSilence(int shard, qint64 silentSinceMs, qint64 timeMs = 0);
    /// The silence of @p shard ended after @p silentForMs: by a dispatch, or by the connection
    /// leaving Ready (a reconnect).
    void endSilence(int shard, qint64 silentForMs, bool byDispatch);
    /// The connection was closed or replaced: rows still waiting say that nothing followed.
    void endPending();
    /// Marks the pending row (or a new one) fatal, with its explanation.
    void fatal(int closeCode, const QString &explanation, qint64 timeMs = 0);
    void clear();

private:
    QString followedByText(const Entry &entry) const;
    /// Appends @p entry, dropping the oldest row beyond MaxEntries.
    void append(const Entry &entry);
    /// Completes the pending rows of @p shard as failed with @p closeCode.
    void failPending(int shard, int closeCode, const QString &reason);
    void emitRowChanged(int row);

    QList<Entry> m_entries;
};

} // namespace Gatescope::Ui
