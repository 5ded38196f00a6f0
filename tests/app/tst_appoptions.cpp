#include "app/appoptions.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::App;
using namespace Qt::StringLiterals;

class tst_AppOptions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void badValuesAreRejected_data();
    void badValuesAreRejected();
    void goodValuesAreAccepted();
    void demoWhenNoTokenAndNoGateway();
    void tokenFromFileOrEnvironment();

private:
    QStringList args(const QStringList &rest) const { return QStringList{u"gatescope"_s} + rest; }
    QTemporaryDir m_dir;
    QString m_tokenFile;
    QString m_emptyFile;
};

void tst_AppOptions::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_tokenFile = m_dir.filePath(u"token"_s);
    QFile token(m_tokenFile);
    QVERIFY(token.open(QIODevice::WriteOnly));
    token.write("Bot abc.def.ghi\n");
    token.close();
    m_emptyFile = m_dir.filePath(u"empty"_s);
    QFile empty(m_emptyFile);
    QVERIFY(empty.open(QIODevice::WriteOnly));
}

void tst_AppOptions::badValuesAreRejected_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown option") << QStringList{u"--frobnicate"_s} << u"frobnicate"_s;
    QTest::newRow("positional") << QStringList{u"extra"_s} << u"extra"_s;
    QTest::newRow("missing token file")
            << QStringList{u"--token-file"_s, u"/nonexistent/t"_s} << u"--token-file"_s;
    QTest::newRow("empty token file") << QStringList{u"--token-file"_s, u"EMPTY"_s} << u"empty"_s;
    QTest::newRow("gateway url scheme")
            << QStringList{u"--gateway-url"_s, u"http://x"_s} << u"--gateway-url"_s;
    QTest::newRow("gateway url garbage")
            << QStringList{u"--gateway-url"_s, u"::"_s} << u"--gateway-url"_s;
    QTest::newRow("api url scheme") << QStringList{u"--api-url"_s, u"ws://x"_s} << u"--api-url"_s;
    QTest::newRow("intent name") << QStringList{u"--intents"_s, u"GUILDS,NOPE"_s} << u"NOPE"_s;
    QTest::newRow("intent bits") << QStringList{u"--intents"_s, u"4194304"_s} << u"undefined"_s;
    QTest::newRow("compress") << QStringList{u"--compress"_s, u"brotli"_s} << u"brotli"_s;
    QTest::newRow("shard count zero")
            << QStringList{u"--shard-count"_s, u"0"_s} << u"--shard-count"_s;
    QTest::newRow("shard beyond count")
            << QStringList{u"--shards"_s, u"3"_s, u"--shard-count"_s, u"2"_s} << u"below"_s;
    QTest::newRow("shard range reversed")
            << QStringList{u"--shards"_s, u"3-1"_s, u"--shard-count"_s, u"4"_s} << u"A-B"_s;
    QTest::newRow("duration negative") << QStringList{u"--duration"_s, u"-1"_s} << u"--duration"_s;
    QTest::newRow("duration text") << QStringList{u"--duration"_s, u"soon"_s} << u"--duration"_s;
    QTest::newRow("exit after zero")
            << QStringList{u"--exit-after-messages"_s, u"0"_s} << u"--exit-after-messages"_s;
    QTest::newRow("exit after text")
            << QStringList{u"--exit-after-messages"_s, u"ten"_s} << u"--exit-after-messages"_s;
    QTest::newRow("quiet without headless") << QStringList{u"--quiet"_s} << u"--headless"_s;
    QTest::newRow("demo with gateway")
            << QStringList{u"--demo"_s, u"--gateway-url"_s, u"ws://127.0.0.1:1"_s} << u"--demo"_s;
    QTest::newRow("headless gateway without token")
            << QStringList{u"--headless"_s, u"--gateway-url"_s, u"ws://127.0.0.1:1"_s}
            << u"token"_s;
}

void tst_AppOptions::badValuesAreRejected()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    arguments.replaceInStrings(u"EMPTY"_s, m_emptyFile);
    const ParseOutcome outcome = parseCommandLine(args(arguments), QString());
    QVERIFY(!outcome.options);
    QVERIFY2(outcome.error.contains(mentions), qPrintable(outcome.error));
    QVERIFY(!outcome.error.contains(u'\n'));
}

void tst_AppOptions::goodValuesAreAccepted()
{
    const ParseOutcome outcome = parseCommandLine(
            args({u"--headless"_s, u"--quiet"_s, u"--gateway-url"_s, u"ws://127.0.0.1:9000"_s,
                  u"--token-file"_s, m_tokenFile, u"--intents"_s, u"GUILDS,GUILD_MESSAGES"_s,
                  u"--compress"_s, u"none"_s, u"--shards"_s, u"1"_s, u"--shard-count"_s, u"2"_s,
                  u"--duration"_s, u"2.5"_s, u"--exit-after-messages"_s, u"100"_s,
                  u"--stats-json"_s}),
            QString());
    QVERIFY2(outcome.options, qPrintable(outcome.error));
    const AppOptions &o = *outcome.options;
    QCOMPARE(o.token, u"abc.def.ghi"_s);
    QCOMPARE(o.gateway.token, u"abc.def.ghi"_s);
    QCOMPARE(o.gateway.gatewayUrl, QUrl(u"ws://127.0.0.1:9000"_s));
    QCOMPARE(o.gateway.intents, quint32(Intents::Guilds | Intents::GuildMessages));
    QCOMPARE(o.gateway.compression, Compression::None);
    QCOMPARE(o.gateway.shardId, 1);
    QCOMPARE(o.gateway.shardCount, 2);
    QCOMPARE(o.durationS, 2.5);
    QCOMPARE(o.exitAfterMessages, 100);
    QVERIFY(o.headless && o.quiet && o.statsJson && !o.demo);
    QVERIFY(!o.tokenSource.contains(u"abc"_s));
}

void tst_AppOptions::demoWhenNoTokenAndNoGateway()
{
    const ParseOutcome outcome = parseCommandLine(args({u"--headless"_s}), QString());
    QVERIFY(outcome.options);
    QVERIFY(outcome.options->demo);
    const ParseOutcome withToken = parseCommandLine(args({u"--headless"_s}), u"tok"_s);
    QVERIFY(withToken.options);
    QVERIFY(!withToken.options->demo);
}

void tst_AppOptions::tokenFromFileOrEnvironment()
{
    const ParseOutcome env = parseCommandLine(args({}), u"  env-token \n"_s);
    QCOMPARE(env.options->token, u"env-token"_s);
    QCOMPARE(env.options->tokenSource, u"$DISCORD_TOKEN"_s);
    const ParseOutcome file
            = parseCommandLine(args({u"--token-file"_s, m_tokenFile}), u"env-token"_s);
    QCOMPARE(file.options->token, u"abc.def.ghi"_s);
}

QTEST_GUILESS_MAIN(tst_AppOptions)
#include "tst_appoptions.moc"
