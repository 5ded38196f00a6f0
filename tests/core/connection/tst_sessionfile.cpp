#include "core/connection/sessionfile.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {
const QString Token = u"MTAxNTk2.tst-session-file.c2VjcmV0"_s;
constexpr qint64 SavedAt = 1'800'000'000'000;

SavedSession shard(int id, int count)
{
    return SavedSession{id, count, u"session-%1"_s.arg(id), 40 + id,
                        QUrl(u"ws://127.0.0.1:5000/resume"_s)};
}
} // namespace

/// SessionFile against real temp files: what is saved comes back, the token never lands in the
/// file, the mode is 0600, and stale, corrupt or mismatched files are ignored with a notice.
class tst_SessionFile : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void fileIsPrivateAndHoldsNoToken();
    void missingFileIsSilent();
    void ignoredFiles_data();
    void ignoredFiles();
    void autoShardCountTakesTheSavedOne();
    void missingFolderIsCreated();

private:
    QTemporaryDir m_dir;
};

void tst_SessionFile::roundTrip()
{
    const SessionFile file(m_dir.filePath(u"round.json"_s));
    QString error;
    QVERIFY2(file.save(Token, {shard(1, 4), shard(2, 4)}, SavedAt, &error), qPrintable(error));
    const SessionFile::Loaded loaded = file.load(Token, 4, {2, 1}, SavedAt + 5000);
    QVERIFY2(loaded.notice.isEmpty(), qPrintable(loaded.notice));
    QCOMPARE(loaded.sessions.size(), 2);
    QCOMPARE(loaded.sessions.at(0).shardId, 1);
    QCOMPARE(loaded.sessions.at(0).sessionId, u"session-1"_s);
    QCOMPARE(loaded.sessions.at(0).sequence, 41);
    QCOMPARE(loaded.sessions.at(1).resumeUrl, QUrl(u"ws://127.0.0.1:5000/resume"_s));
    // A single connection without `shard` round-trips too.
    QVERIFY(file.save(Token, {shard(-1, 1)}, SavedAt, &error));
    QCOMPARE(file.load(Token, 1, {}, SavedAt).sessions.constFirst().shardId, -1);
}

void tst_SessionFile::fileIsPrivateAndHoldsNoToken()
{
    const QString path = m_dir.filePath(u"private.json"_s);
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.close();
    QVERIFY(old.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner
                               | QFileDevice::ReadOther | QFileDevice::ReadGroup));
    QString error;
    QVERIFY(SessionFile(path).save(Token, {shard(0, 1)}, SavedAt, &error));
    QCOMPARE(QFileInfo(path).permissions()
                     & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                        | QFileDevice::WriteOther),
             QFileDevice::Permissions());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(!bytes.contains(Token.toUtf8()));
    QVERIFY(!bytes.contains("tst-session-file"));
    QVERIFY(bytes.contains("session-0"));
}

void tst_SessionFile::missingFileIsSilent()
{
    const SessionFile::Loaded loaded
            = SessionFile(m_dir.filePath(u"none.json"_s)).load(Token, 1, {}, SavedAt);
    QVERIFY(loaded.sessions.isEmpty());
    QVERIFY(loaded.notice.isEmpty());
}

void tst_SessionFile::ignoredFiles_data()
{
    QTest::addColumn<QByteArray>("content"); ///< empty: a valid file saved for Token
    QTest::addColumn<QString>("token");
    QTest::addColumn<int>("shardCount");
    QTest::addColumn<QList<int>>("shards");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<QString>("says");
    const QList<int> both{0, 1};
    QTest::newRow("corrupt") << QByteArray("{\"version\":1,") << Token << 2 << both << SavedAt
                             << u"corrupt"_s;
    QTest::newRow("not ours") << QByteArray("[1,2]") << Token << 2 << both << SavedAt
                              << u"not a Gatescope session file"_s;
    QTest::newRow("other token") << QByteArray() << u"another.token"_s << 2 << both << SavedAt
                                 << u"another token"_s;
    QTest::newRow("other shard count")
            << QByteArray() << Token << 4 << both << SavedAt << u"holds 2 shards in all"_s;
    QTest::newRow("other shards") << QByteArray() << Token << 2 << QList<int>{0} << SavedAt
                                  << u"other shards"_s;
    QTest::newRow("stale") << QByteArray() << Token << 2 << both
                           << SavedAt + SessionFile::DefaultLifetimeMs + 60000 << u"240 s old"_s;
    QTest::newRow("from the future")
            << QByteArray() << Token << 2 << both << SavedAt - 3600000 << u"save time"_s;
}

void tst_SessionFile::ignoredFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, token);
    QFETCH(int, shardCount);
    QFETCH(QList<int>, shards);
    QFETCH(qint64, now);
    QFETCH(QString, says);
    const QString path = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + u".json"_s);
    const SessionFile file(path);
    QString error;
    QVERIFY(file.save(Token, {shard(0, 2), shard(1, 2)}, SavedAt, &error));
    if (!content.isEmpty()) {
        QFile raw(path);
        QVERIFY(raw.open(QIODevice::WriteOnly | QIODevice::Truncate));
        raw.write(content);
    }
    const SessionFile::Loaded loaded = file.load(token, shardCount, shards, now);
    QVERIFY(loaded.sessions.isEmpty());
    QVERIFY2(loaded.notice.contains(says), qPrintable(loaded.notice));
    QVERIFY(loaded.notice.endsWith(u"; identifying"_s));
    QVERIFY(!loaded.notice.contains(u'\n'));
}

void tst_SessionFile::autoShardCountTakesTheSavedOne()
{
    // A range's "auto" count is known only after discovery: any count the sessions agree on.
    const SessionFile file(m_dir.filePath(u"auto.json"_s));
    QString error;
    QVERIFY(file.save(Token, {shard(0, 2), shard(1, 2)}, SavedAt, &error));
    const SessionFile::Loaded loaded = file.load(Token, 0, {0, 1}, SavedAt);
    QVERIFY2(loaded.notice.isEmpty(), qPrintable(loaded.notice));
    QCOMPARE(loaded.sessions.size(), 2);
    QVERIFY(file.save(Token, {shard(0, 2), shard(1, 3)}, SavedAt, &error));
    const SessionFile::Loaded mixed = file.load(Token, 0, {0, 1}, SavedAt);
    QVERIFY(mixed.sessions.isEmpty());
    QVERIFY2(mixed.notice.contains(u"shards in all"_s), qPrintable(mixed.notice));
}

void tst_SessionFile::missingFolderIsCreated()
{
    // The window's default file sits in a data folder that may not exist yet.
    const SessionFile file(m_dir.filePath(u"new/folder/session.json"_s));
    QString error;
    QVERIFY2(file.save(Token, {shard(-1, 1)}, SavedAt, &error), qPrintable(error));
    QCOMPARE(file.load(Token, 1, {-1}, SavedAt).sessions.size(), 1);
}

QTEST_GUILESS_MAIN(tst_SessionFile)
#include "tst_sessionfile.moc"
