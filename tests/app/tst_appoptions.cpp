#include "app/appoptions.h"

#include "core/gateway/zstdstreaminflater.h"

#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::App;
using namespace Qt::StringLiterals;

class tst_AppOptions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void fleetOptions();
    void proxyOptions();
    void heartbeatInterval();
    void badValuesAreRejected_data();
    void badValuesAreRejected();
    void goodValuesAreAccepted();
    void shardRangesUseTheShardManager();
    void demoWhenNoTokenAndNoGateway();
    void tokenFromFileOrEnvironment();
    void tokenFileReadableByOthersWarns_data();
    void tokenFileReadableByOthersWarns();
    void recordAndReplayOptions();
    void compressModes_data();
    void compressModes();
    void csvEventsOption();
    void metricsListenOption();
    void sessionFileOption();
    void silentAfterOption();

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
    QTest::newRow("proxy scheme") << QStringList{u"--proxy"_s, u"ftp://p:21"_s}
                                  << u"--proxy: the scheme ftp is not supported"_s;
    QTest::newRow("proxy without port") << QStringList{u"--proxy"_s, u"socks5://u:hunter2@p"_s}
                                        << u"--proxy: the proxy URL has no port"_s;
    QTest::newRow("heartbeat zero") << QStringList{u"--heartbeat-interval"_s, u"0"_s}
                                    << u"--heartbeat-interval: \"0\" is not a whole number"_s;
    QTest::newRow("heartbeat negative")
            << QStringList{u"--heartbeat-interval"_s, u"-5"_s} << u"from 1000 to 600000"_s;
    QTest::newRow("heartbeat text") << QStringList{u"--heartbeat-interval"_s, u"fast"_s}
                                    << u"--heartbeat-interval: \"fast\""_s;
    QTest::newRow("heartbeat too short")
            << QStringList{u"--heartbeat-interval"_s, u"999"_s} << u"half of the send budget"_s;
    QTest::newRow("proxy none") << QStringList{u"--proxy"_s, u"none"_s} << u"--no-proxy"_s;
    QTest::newRow("proxy and no-proxy")
            << QStringList{u"--proxy"_s, u"http://p:1"_s, u"--no-proxy"_s}
            << u"--proxy and --no-proxy cannot be combined"_s;
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
    QTest::newRow("csv events without csv")
            << QStringList{u"--headless"_s, u"--csv-events"_s} << u"give --csv PATH too"_s;
    QTest::newRow("session file empty") << QStringList{u"--session-file"_s, QString()}
                                        << u"--session-file: the path is empty"_s;
    QTest::newRow("session file with replay")
            << QStringList{u"--replay"_s, u"RECORDING"_s, u"--session-file"_s, u"s.json"_s}
            << u"--replay and --session-file cannot be combined"_s;
    QTest::newRow("exit after text")
            << QStringList{u"--exit-after-messages"_s, u"ten"_s} << u"--exit-after-messages"_s;
    QTest::newRow("quiet without headless") << QStringList{u"--quiet"_s} << u"--headless"_s;
    QTest::newRow("publish with password in url")
            << QStringList{u"--headless"_s, u"--publish"_s, u"redis://:hunter2@h:6379"_s}
            << u"--redis-password-file"_s;
    QTest::newRow("publish scheme")
            << QStringList{u"--headless"_s, u"--publish"_s, u"http://h"_s} << u"--publish"_s;
    QTest::newRow("publish without headless")
            << QStringList{u"--publish"_s, u"redis://h"_s} << u"add --headless"_s;
    QTest::newRow("publish and subscribe")
            << QStringList{u"--headless"_s, u"--publish"_s, u"redis://h"_s, u"--subscribe"_s,
                           u"redis://h"_s}
            << u"--publish and --subscribe cannot be combined"_s;
    QTest::newRow("subscribe with gateway")
            << QStringList{u"--headless"_s, u"--subscribe"_s, u"redis://h"_s, u"--gateway-url"_s,
                           u"ws://h"_s}
            << u"--subscribe and --gateway-url"_s;
    QTest::newRow("maxlen without publish")
            << QStringList{u"--publish-maxlen"_s, u"5"_s} << u"only applies with --publish"_s;
    QTest::newRow("maxlen zero") << QStringList{u"--headless"_s, u"--publish"_s, u"redis://h"_s,
                                                u"--publish-maxlen"_s, u"0"_s}
                                 << u"--publish-maxlen"_s;
    QTest::newRow("ca file without tls")
            << QStringList{u"--headless"_s, u"--subscribe"_s, u"redis://h"_s, u"--redis-ca-file"_s,
                           u"TOKEN"_s}
            << u"rediss://"_s;
    QTest::newRow("demo with gateway")
            << QStringList{u"--demo"_s, u"--gateway-url"_s, u"ws://127.0.0.1:1"_s} << u"--demo"_s;
    QTest::newRow("token file is a folder")
            << QStringList{u"--token-file"_s, u"FOLDER"_s} << u"folder"_s;
    QTest::newRow("record and replay")
            << QStringList{u"--record"_s, u"a.jsonl"_s, u"--replay"_s, u"RECORDING"_s}
            << u"--record and --replay cannot be combined"_s;
    QTest::newRow("replay with gateway")
            << QStringList{u"--replay"_s, u"RECORDING"_s, u"--gateway-url"_s, u"ws://h"_s}
            << u"--replay and --gateway-url"_s;
    QTest::newRow("replay with demo")
            << QStringList{u"--replay"_s, u"RECORDING"_s, u"--demo"_s} << u"--replay and --demo"_s;
    QTest::newRow("replay with token file")
            << QStringList{u"--replay"_s, u"RECORDING"_s, u"--token-file"_s, u"TOKEN"_s}
            << u"--replay and --token-file"_s;
    QTest::newRow("replay missing") << QStringList{u"--replay"_s, u"/nonexistent/r.jsonl"_s}
                                    << u"--replay: cannot read /nonexistent/r.jsonl"_s;
    QTest::newRow("replay folder") << QStringList{u"--replay"_s, u"FOLDER"_s} << u"--replay"_s;
    QTest::newRow("replay speed text")
            << QStringList{u"--replay"_s, u"RECORDING"_s, u"--replay-speed"_s, u"fast"_s}
            << u"--replay-speed: \"fast\" is not a factor above 0 (1 = recorded pace) or max"_s;
    QTest::newRow("replay speed zero")
            << QStringList{u"--replay"_s, u"RECORDING"_s, u"--replay-speed"_s, u"0"_s}
            << u"--replay-speed"_s;
    QTest::newRow("replay speed without replay")
            << QStringList{u"--replay-speed"_s, u"2"_s} << u"only applies with --replay"_s;
    QTest::newRow("record folder") << QStringList{u"--record"_s, u"FOLDER"_s} << u"--record"_s;
    QTest::newRow("stats without headless")
            << QStringList{u"--stats-json"_s} << u"--stats-json only applies with --headless"_s;
    QTest::newRow("exit after without headless")
            << QStringList{u"--exit-after-messages"_s, u"3"_s} << u"--headless"_s;
    QTest::newRow("shard count auto without range")
            << QStringList{u"--headless"_s, u"--shard-count"_s, u"auto"_s} << u"--shards A-B"_s;
    QTest::newRow("recording a range")
            << QStringList{u"--headless"_s, u"--shards"_s, u"0-1"_s,    u"--shard-count"_s,
                           u"2"_s,          u"--record"_s, u"r.jsonl"_s}
            << u"--record: a recording holds one shard"_s;
    QTest::newRow("auto count with gateway url")
            << QStringList{u"--headless"_s, u"--shards"_s,      u"0-1"_s,   u"--shard-count"_s,
                           u"auto"_s,       u"--gateway-url"_s, u"ws://h"_s}
            << u"give the count"_s;
    QTest::newRow("silent-after without unit")
            << QStringList{u"--silent-after"_s, u"10"_s}
            << u"--silent-after: \"10\" is not a duration like 90s, 10m or 1h"_s;
    QTest::newRow("silent-after words")
            << QStringList{u"--silent-after"_s, u"soon"_s} << u"--silent-after"_s;
    QTest::newRow("silent-after too short")
            << QStringList{u"--silent-after"_s, u"500ms"_s} << u"outside 1s to 7d"_s;
    QTest::newRow("headless gateway without token")
            << QStringList{u"--headless"_s, u"--gateway-url"_s, u"ws://127.0.0.1:1"_s}
            << u"token"_s;
}

void tst_AppOptions::badValuesAreRejected()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    arguments.replaceInStrings(u"EMPTY"_s, m_emptyFile);
    arguments.replaceInStrings(u"RECORDING"_s, m_emptyFile);
    arguments.replaceInStrings(u"TOKEN"_s, m_tokenFile);
    arguments.replaceInStrings(u"FOLDER"_s, m_dir.path());
    const ParseOutcome outcome = parseCommandLine(args(arguments), QString());
    QVERIFY(!outcome.options);
    QVERIFY2(outcome.error.contains(mentions), qPrintable(outcome.error));
    QVERIFY(!outcome.error.contains(u'\n'));
    QVERIFY(!outcome.error.contains(u"hunter2"_s)); // a proxy password is never echoed
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
    QCOMPARE(o.gateway.proxy.mode, ProxySettings::Mode::System);
}

void tst_AppOptions::proxyOptions()
{
    const ParseOutcome socks = parseCommandLine(
            args({u"--proxy"_s, u"socks5://me:hunter2@127.0.0.1:1080"_s}), QString());
    QVERIFY2(socks.options, qPrintable(socks.error));
    QCOMPARE(socks.options->gateway.proxy.mode, ProxySettings::Mode::Url);
    QCOMPARE(socks.options->gateway.proxy.proxyFor({}).type(), QNetworkProxy::Socks5Proxy);
    QCOMPARE(socks.options->gateway.proxy.proxyFor({}).password(), u"hunter2"_s);
    const ParseOutcome direct = parseCommandLine(args({u"--no-proxy"_s}), QString());
    QVERIFY2(direct.options, qPrintable(direct.error));
    QCOMPARE(direct.options->gateway.proxy.mode, ProxySettings::Mode::None);
}

void tst_AppOptions::heartbeatInterval()
{
    QCOMPARE(parseCommandLine(args({}), QString()).options->gateway.heartbeatIntervalOverrideMs, 0);
    const ParseOutcome outcome
            = parseCommandLine(args({u"--heartbeat-interval"_s, u"2500"_s}), QString());
    QVERIFY2(outcome.options, qPrintable(outcome.error));
    QCOMPARE(outcome.options->gateway.heartbeatIntervalOverrideMs, 2500);
}

void tst_AppOptions::shardRangesUseTheShardManager()
{
    const ParseOutcome range = parseCommandLine(
            args({u"--headless"_s, u"--shards"_s, u"2-5"_s, u"--shard-count"_s, u"8"_s}), u"t"_s);
    QVERIFY2(range.options, qPrintable(range.error));
    QVERIFY(range.options->usesShardManager());
    QCOMPARE(range.options->firstShard, 2);
    QCOMPARE(range.options->lastShard, 5);
    QCOMPARE(range.options->shardCount, 8);
    const ParseOutcome automatic = parseCommandLine(
            args({u"--headless"_s, u"--shards"_s, u"0"_s, u"--shard-count"_s, u"auto"_s}), u"t"_s);
    QVERIFY2(automatic.options, qPrintable(automatic.error));
    QVERIFY(automatic.options->usesShardManager());
    QCOMPARE(automatic.options->shardCount, 0);
    const ParseOutcome single
            = parseCommandLine(args({u"--shards"_s, u"1"_s, u"--shard-count"_s, u"2"_s}), u"t"_s);
    QVERIFY(single.options);
    QVERIFY(!single.options->usesShardManager());
    QCOMPARE(single.options->gateway.shardId, 1);
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

void tst_AppOptions::tokenFileReadableByOthersWarns_data()
{
    QTest::addColumn<int>("permissions");
    QTest::addColumn<bool>("warns");
    QTest::newRow("0600") << int(QFileDevice::ReadOwner | QFileDevice::WriteOwner) << false;
    QTest::newRow("0640") << int(QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                 | QFileDevice::ReadGroup)
                          << true;
    QTest::newRow("0604") << int(QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                 | QFileDevice::ReadOther)
                          << true;
}

void tst_AppOptions::tokenFileReadableByOthersWarns()
{
    QFETCH(int, permissions);
    QFETCH(bool, warns);
    QVERIFY(QFile::setPermissions(m_tokenFile, QFileDevice::Permissions(permissions)));
    const ParseOutcome outcome
            = parseCommandLine(args({u"--token-file"_s, m_tokenFile}), QString());
    QVERIFY(outcome.options);
    QCOMPARE(outcome.warnings.size(), warns ? 1 : 0);
    if (warns) {
        QVERIFY(outcome.warnings.constFirst().contains(u"chmod 600"_s));
        QVERIFY(!outcome.warnings.constFirst().contains(u"abc.def"_s));
    }
}

void tst_AppOptions::recordAndReplayOptions()
{
    const ParseOutcome record = parseCommandLine(
            args({u"--headless"_s, u"--record"_s, m_dir.filePath(u"r.jsonl"_s)}), u"Bot tok"_s);
    QVERIFY2(record.options, qPrintable(record.error));
    QCOMPARE(record.options->recordPath, m_dir.filePath(u"r.jsonl"_s));
    QCOMPARE(record.options->token, u"tok"_s); // "Bot " is stripped from the environment too

    const ParseOutcome replay = parseCommandLine(
            args({u"--replay"_s, m_emptyFile, u"--replay-speed"_s, u"max"_s}), u"tok"_s);
    QVERIFY2(replay.options, qPrintable(replay.error));
    QCOMPARE(replay.options->replayPath, m_emptyFile);
    QCOMPARE(replay.options->replaySpeed, 0.0);
    QVERIFY(!replay.options->demo);
    QVERIFY(replay.options->token.isEmpty()); // a replay never needs or holds the token

    const ParseOutcome factor = parseCommandLine(
            args({u"--replay"_s, m_emptyFile, u"--replay-speed"_s, u"2.5"_s}), QString());
    QVERIFY(factor.options);
    QCOMPARE(factor.options->replaySpeed, 2.5);
    const ParseOutcome defaults = parseCommandLine(args({u"--replay"_s, m_emptyFile}), QString());
    QCOMPARE(defaults.options->replaySpeed, 1.0);
}

void tst_AppOptions::compressModes_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("expected");
    QTest::newRow("zlib-stream") << u"zlib-stream"_s << int(Compression::ZlibStream);
    QTest::newRow("zstd-stream") << u"zstd-stream"_s << int(Compression::ZstdStream);
    QTest::newRow("none") << u"none"_s << int(Compression::None);
}

void tst_AppOptions::compressModes()
{
    QFETCH(QString, mode);
    QFETCH(int, expected);
    const ParseOutcome outcome
            = parseCommandLine(args({u"--headless"_s, u"--gateway-url"_s, u"ws://127.0.0.1:9000"_s,
                                     u"--token-file"_s, m_tokenFile, u"--compress"_s, mode}),
                               QString());
    if (expected == int(Compression::ZstdStream) && !ZstdStreamInflater::isSupported()) {
        QVERIFY(!outcome.options);
        QVERIFY2(outcome.error.contains(u"built without zstd-stream support"_s),
                 qPrintable(outcome.error));
        return;
    }
    QVERIFY2(outcome.options, qPrintable(outcome.error));
    QCOMPARE(int(outcome.options->gateway.compression), expected);
}

void tst_AppOptions::fleetOptions()
{
    qputenv("GATESCOPE_REDIS_PASSWORD", "from-env");
    const ParseOutcome publish = parseCommandLine(
            args({u"--headless"_s, u"--gateway-url"_s, u"ws://127.0.0.1:9000"_s, u"--publish"_s,
                  u"redis://10.0.0.2:7000/fleet-a"_s, u"--publish-maxlen"_s, u"5000"_s,
                  u"--publish-buffer"_s, u"70"_s, u"--collector-id"_s, u"host-a"_s}),
            u"tok"_s);
    qunsetenv("GATESCOPE_REDIS_PASSWORD");
    QVERIFY2(publish.options, qPrintable(publish.error));
    QVERIFY(publish.options->publish);
    QCOMPARE(publish.options->fleetRedis->host, u"10.0.0.2"_s);
    QCOMPARE(publish.options->fleetRedis->port, 7000);
    QCOMPARE(publish.options->fleetRedis->prefix, u"fleet-a"_s);
    QCOMPARE(publish.options->fleetRedis->password, "from-env");
    QCOMPARE(publish.options->publishMaxLen, 5000);
    QCOMPARE(publish.options->publishBuffer, 70);
    QCOMPARE(publish.options->collectorId, u"host-a"_s);

    QTemporaryFile passwordFile;
    QVERIFY(passwordFile.open());
    passwordFile.write("from-file\n");
    passwordFile.close();
    const ParseOutcome subscribe = parseCommandLine(
            args({u"--headless"_s, u"--subscribe"_s, u"rediss://h"_s, u"--from-now"_s,
                  u"--redis-password-file"_s, passwordFile.fileName()}),
            QString());
    QVERIFY2(subscribe.options, qPrintable(subscribe.error));
    QVERIFY(subscribe.options->subscribe);
    QVERIFY(subscribe.options->fromNow);
    QVERIFY(!subscribe.options->demo); // no token needed, and no demo
    QVERIFY(subscribe.options->fleetRedis->tls);
    QCOMPARE(subscribe.options->fleetRedis->password, "from-file");
}

QTEST_GUILESS_MAIN(tst_AppOptions)
void tst_AppOptions::csvEventsOption()
{
    const QString csv = m_dir.filePath(u"live.csv"_s);
    const ParseOutcome plain
            = parseCommandLine(args({u"--headless"_s, u"--demo"_s, u"--csv"_s, csv}), QString());
    QVERIFY2(plain.options, qPrintable(plain.error));
    QVERIFY(!plain.options->csvEvents); // off by default
    const ParseOutcome events = parseCommandLine(
            args({u"--headless"_s, u"--demo"_s, u"--csv"_s, csv, u"--csv-events"_s}), QString());
    QVERIFY2(events.options, qPrintable(events.error));
    QVERIFY(events.options->csvEvents);
    QCOMPARE(events.options->csvPath, csv);
    QVERIFY(events.helpText.contains(u"--csv-events"_s));
    // The window logs edits and deletes too.
    const ParseOutcome window
            = parseCommandLine(args({u"--demo"_s, u"--csv"_s, csv, u"--csv-events"_s}), QString());
    QVERIFY2(window.options, qPrintable(window.error));
    QVERIFY(window.options->csvEvents);
}

void tst_AppOptions::sessionFileOption()
{
    const QString path = m_dir.filePath(u"session.json"_s);
    const ParseOutcome none = parseCommandLine(args({u"--headless"_s, u"--demo"_s}), QString());
    QVERIFY2(none.options, qPrintable(none.error));
    QVERIFY(none.options->sessionFilePath.isEmpty()); // off by default
    for (const QStringList &front : {QStringList{u"--headless"_s}, QStringList{}}) {
        const ParseOutcome outcome = parseCommandLine(
                args(front + QStringList{u"--demo"_s, u"--session-file"_s, path}), QString());
        QVERIFY2(outcome.options, qPrintable(outcome.error));
        QCOMPARE(outcome.options->sessionFilePath, path);
        QVERIFY(outcome.helpText.contains(u"--session-file"_s));
    }
}

void tst_AppOptions::metricsListenOption()
{
    const ParseOutcome off = parseCommandLine(args({u"--headless"_s, u"--demo"_s}), QString());
    QVERIFY2(off.options, qPrintable(off.error));
    QVERIFY(off.options->metricsListen.isEmpty()); // off by default
    QVERIFY(off.helpText.contains(u"--metrics-listen"_s)
            && off.helpText.contains(u"--metrics-allow-remote"_s));

    // The window too, not only headless.
    const ParseOutcome loopback
            = parseCommandLine(args({u"--demo"_s, u"--metrics-listen"_s, u"[::1]:0"_s}), QString());
    QVERIFY2(loopback.options, qPrintable(loopback.error));
    QCOMPARE(loopback.options->metricsListen, u"[::1]:0"_s);
    QCOMPARE(loopback.options->metricsAddress, QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(loopback.options->metricsPort, 0);
    QVERIFY(!loopback.options->metricsAllowRemote);

    const ParseOutcome remote
            = parseCommandLine(args({u"--headless"_s, u"--demo"_s, u"--metrics-listen"_s,
                                     u"0.0.0.0:9464"_s, u"--metrics-allow-remote"_s}),
                               QString());
    QVERIFY2(remote.options, qPrintable(remote.error));
    QCOMPARE(remote.options->metricsAddress, QHostAddress(QHostAddress::AnyIPv4));
    QCOMPARE(remote.options->metricsPort, 9464);
    QVERIFY(remote.options->metricsAllowRemote);
}

void tst_AppOptions::silentAfterOption()
{
    const ParseOutcome unset = parseCommandLine(args({u"--headless"_s, u"--demo"_s}), QString());
    QVERIFY2(unset.options, qPrintable(unset.error));
    QCOMPARE(unset.options->silentAfterMs, 0); // the default (or the window's setting) applies
    for (const auto &[text, ms] : {std::pair{u"90s"_s, 90000LL}, std::pair{u"10m"_s, 600000LL},
                                   std::pair{u"1h"_s, 3600000LL}}) {
        const ParseOutcome outcome = parseCommandLine(
                args({u"--headless"_s, u"--demo"_s, u"--silent-after"_s, text}), QString());
        QVERIFY2(outcome.options, qPrintable(outcome.error));
        QCOMPARE(outcome.options->silentAfterMs, ms);
    }
    // The window takes it too (it overrides the saved setting for the run).
    const ParseOutcome window
            = parseCommandLine(args({u"--demo"_s, u"--silent-after"_s, u"2m"_s}), QString());
    QVERIFY2(window.options, qPrintable(window.error));
    QCOMPARE(window.options->silentAfterMs, 120000);
    QVERIFY(window.helpText.contains(u"--silent-after"_s));
}

#include "tst_appoptions.moc"
