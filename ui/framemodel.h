#pragma once

#include "core/gateway/gatewaytypes.h"

#include <QAbstractTableModel>
#include <QBasicTimer>
#include <QIcon>

#include <deque>

namespace Gatescope::Ui {

/// The raw frames of a connection, newest last, in a bounded ring.
///
/// Frames arrive one by one from GatewayClient::frameLogged and are appended to the view in
/// batches (every 100 ms), so a busy gateway does not insert rows thousands of times a second.
/// While paused, frames are held back (up to the capacity, oldest dropped first) and appear
/// on resume. The JSON is already redacted by the client; data() passes it through
/// Redaction::redact() again, so a secret can only reach the screen if both miss it.
///
/// The Direction column is an icon (Icons::Kind::Incoming / Outgoing) with "received" / "sent"
/// as its tooltip and accessible text, and a rejected frame's type has the warning icon: no
/// arrow or warning characters, which some fonts lack.
class FrameModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Direction, Op, Type, Seq, Size, Preview, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        JsonRole = Qt::UserRole + 1, ///< QString: the frame's JSON, pretty-printed and redacted
        OpRole, ///< int
        TypeRole, ///< QString
        DirectionRole, ///< int (FrameRecord::Direction)
    };

    explicit FrameModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setCapacity(int capacity);
    int capacity() const { return m_capacity; }
    bool isPaused() const { return m_paused; }
    /// Frames received but not yet shown (held by pause or waiting for the next batch).
    int heldCount() const { return int(m_pending.size()); }
    /// Every frame ever received, including those the ring has dropped.
    quint64 totalReceived() const { return m_total; }

public slots:
    void addFrame(const Gatescope::FrameRecord &frame);
    /// A batch of frames, oldest first (GatewayClient::framesReady).
    void addFrames(const QList<Gatescope::FrameRecord> &frames);
    void setPaused(bool paused);
    /// Appends the frames waiting for the next batch now (tests, and resume).
    void flush();
    void clear();

signals:
    void pausedChanged(bool paused);
    void countsChanged();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    static QString directionText(bool incoming);

    /// Made once: data() runs for every cell painted.
    QIcon m_incomingIcon;
    QIcon m_outgoingIcon;
    QIcon m_rejectedIcon;
    std::deque<FrameRecord> m_frames;
    std::deque<FrameRecord> m_pending;
    int m_capacity = 5000;
    bool m_paused = false;
    quint64 m_total = 0;
    QBasicTimer m_batchTimer;
};

} // namespace Gatescope::Ui
