#pragma once

#include <QList>
#include <QString>
#include <QUrl>

namespace Gatescope {

/// One shard's session, as saved for a resume after a restart.
struct SavedSession
{
    int shardId = -1; ///< -1 = Identify without `shard`
    int shardCount = 1;
    QString sessionId;
    qint64 sequence = -1; ///< the last `s` received, -1 before any
    QUrl resumeUrl; ///< READY's resume_gateway_url
};

/// `--session-file`: the sessions of a run, saved at a graceful exit that keeps them resumable
/// so the next start resumes instead of identifying (protocol §5).
///
/// The file is JSON, written through QSaveFile with mode 0600. It never holds the token: only
/// an HMAC-SHA-256 of it keyed with a random salt kept beside it, so a file written for another
/// token is recognised and ignored. It also keeps the time it was saved at; load() ignores a
/// file older than the session lifetime, a corrupt one, one for another token, and one whose
/// shard count or shards differ, each with a one-line notice, and the caller identifies.
///
/// A plain value type, no thread affinity.
class SessionFile
{
public:
    /// How long a detached session stays resumable. Discord documents "a few minutes"; the
    /// emulator keeps sessions 180 s (ServerConfig::sessionTimeoutMs).
    static constexpr qint64 DefaultLifetimeMs = 180000;

    explicit SessionFile(const QString &path);
    QString path() const { return m_path; }

    /// Writes @p sessions for @p token, saved at @p nowMs (Unix ms). False, with @p error.
    bool save(const QString &token, const QList<SavedSession> &sessions, qint64 nowMs,
              QString *error) const;

    struct Loaded
    {
        QList<SavedSession> sessions; ///< empty when the file is ignored
        QString notice; ///< one line when a file was there but is not used
    };
    /// Reads the sessions saved for @p token with @p shardCount shards (and, when not empty,
    /// exactly the shards @p shardIds). A missing file gives nothing and no notice.
    /// @p shardCount 0 (a range's "auto" count, known only after discovery) accepts any count
    /// the sessions agree on; the caller compares it once the count is known.
    Loaded load(const QString &token, int shardCount, const QList<int> &shardIds, qint64 nowMs,
                qint64 lifetimeMs = DefaultLifetimeMs) const;

    /// HMAC-SHA-256 of @p token keyed with @p salt, hex.
    static QByteArray tokenHash(const QString &token, const QByteArray &salt);

private:
    QString m_path;
};

} // namespace Gatescope
