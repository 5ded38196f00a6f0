#include "core/connection/sessionfile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

constexpr int FormatVersion = 1;
constexpr qint64 MaxFileBytes = 1024 * 1024;

QJsonObject sessionToJson(const SavedSession &session)
{
    return QJsonObject{{u"shard_id"_s, session.shardId},
                       {u"shard_count"_s, session.shardCount},
                       {u"session_id"_s, session.sessionId},
                       {u"seq"_s, session.sequence},
                       {u"resume_url"_s, session.resumeUrl.toString()}};
}

std::optional<SavedSession> sessionFromJson(const QJsonObject &object)
{
    SavedSession session;
    session.shardId = object.value("shard_id"_L1).toInt(-2);
    session.shardCount = object.value("shard_count"_L1).toInt(0);
    session.sessionId = object.value("session_id"_L1).toString();
    session.sequence = object.value("seq"_L1).toInteger(-2);
    session.resumeUrl = QUrl(object.value("resume_url"_L1).toString(), QUrl::StrictMode);
    const QString scheme = session.resumeUrl.scheme();
    if (session.shardId < -1 || session.shardCount < 1 || session.sessionId.isEmpty()
        || session.sequence < -1 || !session.resumeUrl.isValid()
        || (scheme != "ws"_L1 && scheme != "wss"_L1))
        return std::nullopt;
    return session;
}

} // namespace

SessionFile::SessionFile(const QString &path)
    : m_path(path)
{ }

QByteArray SessionFile::tokenHash(const QString &token, const QByteArray &salt)
{
    return QMessageAuthenticationCode::hash(token.toUtf8(), salt, QCryptographicHash::Sha256)
            .toHex();
}

bool SessionFile::save(const QString &token, const QList<SavedSession> &sessions, qint64 nowMs,
                       QString *error) const
{
    QByteArray salt(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()),
                                          salt.size() / int(sizeof(quint32)));
    QJsonArray list;
    for (const SavedSession &session : sessions)
        list.append(sessionToJson(session));
    const QJsonObject root{{u"version"_s, FormatVersion},
                           {u"saved_at_ms"_s, nowMs},
                           {u"salt"_s, QString::fromLatin1(salt.toHex())},
                           {u"token_hmac_sha256"_s, QString::fromLatin1(tokenHash(token, salt))},
                           {u"sessions"_s, list}};
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = u"cannot write %1: %2"_s.arg(m_path, file.errorString());
        return false;
    }
    // Before any byte is written: the file is never readable by others, not even briefly.
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        *error = u"cannot make %1 private (0600): %2"_s.arg(m_path, file.errorString());
        file.cancelWriting();
        return false;
    }
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        *error = u"cannot write %1: %2"_s.arg(m_path, file.errorString());
        return false;
    }
    return true;
}

SessionFile::Loaded SessionFile::load(const QString &token, int shardCount,
                                      const QList<int> &shardIds, qint64 nowMs,
                                      qint64 lifetimeMs) const
{
    Loaded result;
    QFile file(m_path);
    if (!file.exists())
        return result;
    const auto ignore = [&](const QString &why) {
        result.sessions.clear();
        result.notice = u"session file %1 ignored: %2; identifying"_s.arg(m_path, why);
        return result;
    };
    if (!file.open(QIODevice::ReadOnly))
        return ignore(file.errorString());
    if (file.size() > MaxFileBytes)
        return ignore(u"it is too large to be a session file"_s);
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
    const QJsonObject root = document.object();
    if (!document.isObject() || root.value("version"_L1).toInt() != FormatVersion)
        return ignore(u"it is not a Gatescope session file (corrupt?)"_s);
    const QByteArray salt = QByteArray::fromHex(root.value("salt"_L1).toString().toLatin1());
    const QByteArray hash = root.value("token_hmac_sha256"_L1).toString().toLatin1();
    if (salt.isEmpty() || hash != tokenHash(token, salt))
        return ignore(u"it was saved for another token"_s);
    const qint64 savedAt = root.value("saved_at_ms"_L1).toInteger(-1);
    if (savedAt < 0 || savedAt > nowMs + 60000)
        return ignore(u"its save time is not valid"_s);
    if (nowMs - savedAt > lifetimeMs)
        return ignore(u"it is %1 s old, and sessions stay resumable for about %2 s"_s
                              .arg((nowMs - savedAt) / 1000)
                              .arg(lifetimeMs / 1000));
    QList<int> savedIds;
    for (const QJsonValue &value : root.value("sessions"_L1).toArray()) {
        const std::optional<SavedSession> session = sessionFromJson(value.toObject());
        if (!session)
            return ignore(u"a session in it is incomplete (corrupt?)"_s);
        // shardCount 0 ("auto", known after discovery): the sessions must agree among
        // themselves; the caller compares the count later.
        const int expected = shardCount > 0 || result.sessions.isEmpty()
                                     ? shardCount
                                     : result.sessions.constFirst().shardCount;
        if (expected > 0 && session->shardCount != expected)
            return ignore(u"it holds %1 shards in all, this run %2"_s.arg(session->shardCount)
                                  .arg(expected));
        savedIds.append(session->shardId);
        result.sessions.append(*session);
    }
    if (result.sessions.isEmpty())
        return ignore(u"it holds no session"_s);
    QList<int> wanted = shardIds;
    std::sort(wanted.begin(), wanted.end());
    std::sort(savedIds.begin(), savedIds.end());
    if (!wanted.isEmpty() && wanted != savedIds)
        return ignore(u"it holds other shards than this run's"_s);
    return result;
}

} // namespace Gatescope
