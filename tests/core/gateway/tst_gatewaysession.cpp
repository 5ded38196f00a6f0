#include "core/gateway/gatewaysession.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Next = GatewaySession::Next;
using Action = CloseCodes::Action;

namespace {

const QUrl GatewayUrl(u"ws://127.0.0.1:1"_s);
const QUrl ResumeUrl(u"ws://127.0.0.1:1/resume"_s);

GatewayConfig testConfig()
{
    GatewayConfig config;
    config.backoffBaseMs = 100;
    config.backoffCapMs = 1000;
    config.invalidSessionMinDelayMs = 1000;
    config.invalidSessionMaxDelayMs = 5000;
    config.minIdentifyIntervalMs = 5000;
    return config;
}

QJsonObject readyData()
{
    return QJsonObject{{u"session_id"_s, u"abc"_s},
                       {u"resume_gateway_url"_s, ResumeUrl.toString()},
                       {u"user"_s, QJsonObject{{u"id"_s, u"1"_s}}},
                       {u"guilds"_s, QJsonArray{QJsonObject{{u"id"_s, u"41771983423143937"_s}}}},
                       {u"shard"_s, QJsonArray{0, 1}}};
}

/// A session machine on a clock and a random source the test controls.
struct Machine
{
    qint64 nowMs = 100'000;
    double drawValue = 0.5;
    GatewaySession session;

    Machine()
    {
        session.setClock([this] { return nowMs; });
        session.setRandom([this] { return drawValue; });
        session.setConfig(testConfig());
        session.start();
    }
    /// Connect, HELLO, Identify and READY (at s = 1), as a first connection does.
    void identifyAndReady()
    {
        session.connectionStarted(false);
        session.connectionOpened();
        const GatewaySession::HelloPlan plan = session.onHello(41250);
        QVERIFY(!plan.resume);
        session.identifySent();
        QVERIFY(session.noteSequence(u"READY"_s, 1));
        session.onReady(readyData(), GatewayUrl);
    }
};

} // namespace

class tst_GatewaySession : public QObject
{
    Q_OBJECT

private slots:
    void helloPlansIdentifyThenResume();
    void helloJitterIsIntervalTimesDraw_data();
    void helloJitterIsIntervalTimesDraw();
    void helloWithoutIntervalIsInvalid();
    void heartbeatOverrideOnlyShortens();
    void readyKeepsTheSession();
    void closeCodesDecideWhatFollows_data();
    void closeCodesDecideWhatFollows();
    void reconnectRequestResumes();
    void invalidSession_data();
    void invalidSession();
    void sequenceOnlyMovesForward();
    void resumeUrlGivenUpAfterTwoFailedOpens();
    void closesBeforeReadyStop_data();
    void closesBeforeReadyStop();
    void readyStartsTheCountOver();
    void ownClosesBeforeReadyDoNotStop();
    void identifiesAreSpaced();
    void sessionStartLimitStopsIdentifies();
    void restoredSessionResumesFirst();
    void failedRestoredResumeIdentifies_data();
    void failedRestoredResumeIdentifies();
    void unusableSavedSessionIsIgnored_data();
    void unusableSavedSessionIsIgnored();
};

void tst_GatewaySession::helloPlansIdentifyThenResume()
{
    Machine m;
    m.identifyAndReady();
    QVERIFY(m.session.wantsResume());
    m.session.connectionStarted(true);
    const GatewaySession::HelloPlan plan = m.session.onHello(41250);
    QVERIFY(plan.valid);
    QVERIFY(plan.resume);
    // A connection to the plain gateway URL identifies even with a session kept.
    m.session.connectionStarted(false);
    QVERIFY(!m.session.onHello(41250).resume);
}

void tst_GatewaySession::helloJitterIsIntervalTimesDraw_data()
{
    QTest::addColumn<double>("draw");
    QTest::addColumn<int>("firstBeatMs");
    QTest::newRow("0") << 0.0 << 0;
    QTest::newRow("0.5") << 0.5 << 20625;
    QTest::newRow("just under 1") << 0.9999 << 41245;
    QTest::newRow("1 is kept below the interval") << 1.0 << 41249;
    QTest::newRow("negative is 0") << -0.3 << 0;
}

void tst_GatewaySession::helloJitterIsIntervalTimesDraw()
{
    QFETCH(double, draw);
    QFETCH(int, firstBeatMs);
    Machine m;
    m.drawValue = draw;
    m.session.connectionStarted(false);
    const GatewaySession::HelloPlan plan = m.session.onHello(41250);
    QCOMPARE(plan.intervalMs, 41250);
    QCOMPARE(plan.firstBeatMs, firstBeatMs);
}

void tst_GatewaySession::helloWithoutIntervalIsInvalid()
{
    Machine m;
    QVERIFY(!m.session.onHello(0).valid);
    QVERIFY(!m.session.onHello(-5).valid);
}

void tst_GatewaySession::heartbeatOverrideOnlyShortens()
{
    Machine m;
    GatewayConfig config = testConfig();
    config.heartbeatIntervalOverrideMs = 200;
    m.session.setConfig(config);
    QCOMPARE(m.session.onHello(41250).intervalMs, GatewaySession::MinHeartbeatIntervalMs);
    config.heartbeatIntervalOverrideMs = 60000;
    m.session.setConfig(config);
    QCOMPARE(m.session.onHello(41250).intervalMs, 41250);
    config.heartbeatIntervalOverrideMs = 5000;
    m.session.setConfig(config);
    QCOMPARE(m.session.onHello(41250).intervalMs, 5000);
}

void tst_GatewaySession::readyKeepsTheSession()
{
    Machine m;
    m.identifyAndReady();
    const SessionInfo &info = m.session.info();
    QCOMPARE(info.sessionId, u"abc"_s);
    QCOMPARE(info.resumeGatewayUrl, ResumeUrl);
    QCOMPARE(info.guildIds, QList<quint64>{41771983423143937ULL});
    QCOMPARE(info.shardCount, 1);
    // Without a usable resume URL the gateway URL stands in.
    QJsonObject data = readyData();
    data.remove(u"resume_gateway_url"_s);
    m.session.onReady(data, GatewayUrl);
    QCOMPARE(m.session.info().resumeGatewayUrl, GatewayUrl);
}

void tst_GatewaySession::closeCodesDecideWhatFollows_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<Next>("next");
    QTest::newRow("4000") << 4000 << Next::Resume;
    QTest::newRow("4001") << 4001 << Next::Resume;
    QTest::newRow("4002") << 4002 << Next::Resume;
    QTest::newRow("4003") << 4003 << Next::Identify;
    QTest::newRow("4004") << 4004 << Next::Stop;
    QTest::newRow("4005") << 4005 << Next::Identify;
    QTest::newRow("4007") << 4007 << Next::Identify;
    QTest::newRow("4008") << 4008 << Next::Resume;
    QTest::newRow("4009") << 4009 << Next::Identify;
    QTest::newRow("4010") << 4010 << Next::Stop;
    QTest::newRow("4011") << 4011 << Next::Stop;
    QTest::newRow("4012") << 4012 << Next::Stop;
    QTest::newRow("4013") << 4013 << Next::Stop;
    QTest::newRow("4014") << 4014 << Next::Stop;
    QTest::newRow("1000 from the server") << 1000 << Next::Resume;
    QTest::newRow("1006 drop") << 1006 << Next::Resume;
    QTest::newRow("unknown 4321") << 4321 << Next::Resume;
}

void tst_GatewaySession::closeCodesDecideWhatFollows()
{
    QFETCH(int, code);
    QFETCH(Next, next);
    Machine m;
    m.identifyAndReady();
    m.nowMs += 60000; // long after the Identify: no spacing wait
    const GatewaySession::Decision decision
            = m.session.onConnectionEnded(code, CloseCodes::actionFor(code), true);
    QCOMPARE(decision.next, next);
    switch (next) {
    case Next::Resume:
        QVERIFY(m.session.wantsResume());
        QCOMPARE(decision.action(), Action::Resume);
        QCOMPARE(decision.attempt, 1);
        QCOMPARE(decision.delayMs, 50); // 0.5 × the first ceiling of 100 ms
        QCOMPARE(m.session.lastSequence(), std::optional<qint64>(1));
        break;
    case Next::Identify:
        QVERIFY(!m.session.wantsResume());
        QCOMPARE(decision.action(), Action::Identify);
        QCOMPARE(m.session.lastSequence(), std::nullopt);
        break;
    case Next::Stop:
        QCOMPARE(decision.action(), Action::Fatal);
        QVERIFY(!decision.explanation.isEmpty());
        QVERIFY(!m.session.wantsResume());
        break;
    }
}

void tst_GatewaySession::reconnectRequestResumes()
{
    // op 7: the client closes with its own 4000 and resumes; the backoff grows per attempt.
    Machine m;
    m.identifyAndReady();
    const auto first = m.session.onConnectionEnded(4000, Action::Resume, true);
    const auto second = m.session.onConnectionEnded(4000, Action::Resume, true);
    QCOMPARE(first.next, Next::Resume);
    QCOMPARE(second.attempt, 2);
    QCOMPARE(second.delayMs, 100); // 0.5 × 200
    m.session.onResumed();
    QCOMPARE(m.session.onConnectionEnded(4000, Action::Resume, true).attempt, 1);
}

void tst_GatewaySession::invalidSession_data()
{
    QTest::addColumn<bool>("resumable");
    QTest::addColumn<bool>("withSession");
    QTest::addColumn<Next>("next");
    QTest::addColumn<int>("delayMs");
    QTest::newRow("op 9 true") << true << true << Next::Resume << 50;
    // 1000 + 0.5 × 4001 ms: the random 1–5 s wait of the old docs.
    QTest::newRow("op 9 false") << false << true << Next::Identify << 3000;
    QTest::newRow("op 9 true without a session") << true << false << Next::Identify << 3000;
}

void tst_GatewaySession::invalidSession()
{
    QFETCH(bool, resumable);
    QFETCH(bool, withSession);
    QFETCH(Next, next);
    QFETCH(int, delayMs);
    Machine m;
    if (withSession)
        m.identifyAndReady();
    m.nowMs += 60000;
    const GatewaySession::Decision decision = m.session.onInvalidSession(resumable);
    QCOMPARE(decision.next, next);
    QCOMPARE(decision.delayMs, delayMs);
    QCOMPARE(m.session.wantsResume(), next == Next::Resume);
}

void tst_GatewaySession::sequenceOnlyMovesForward()
{
    Machine m;
    m.identifyAndReady();
    QVERIFY(m.session.noteSequence(u"MESSAGE_CREATE"_s, 5));
    QVERIFY(!m.session.noteSequence(u"MESSAGE_CREATE"_s, 3));
    QVERIFY(!m.session.noteSequence(u"MESSAGE_CREATE"_s, 5));
    QVERIFY(!m.session.noteSequence(u"RESUMED"_s, -1));
    QCOMPARE(m.session.lastSequence(), std::optional<qint64>(5));
    // A new session's READY starts over at its own number.
    QVERIFY(m.session.noteSequence(u"READY"_s, 1));
    QCOMPARE(m.session.lastSequence(), std::optional<qint64>(1));
}

void tst_GatewaySession::resumeUrlGivenUpAfterTwoFailedOpens()
{
    Machine m;
    m.identifyAndReady();
    m.session.connectionStarted(true);
    QCOMPARE(m.session.onConnectionEnded(1006, Action::Resume, false).next, Next::Resume);
    m.session.connectionStarted(true);
    QCOMPARE(m.session.onConnectionEnded(1006, Action::Resume, false).next, Next::Identify);
    QVERIFY(!m.session.wantsResume());
}

void tst_GatewaySession::closesBeforeReadyStop_data()
{
    QTest::addColumn<QList<int>>("codes");
    QTest::addColumn<QString>("counted");
    QTest::addColumn<bool>("mentionsToken");
    QTest::newRow("4000 ×3") << QList<int>{4000, 4000, 4000} << u"4000 ×3"_s << true;
    QTest::newRow("mixed") << QList<int>{4003, 1006, 4003} << u"4003 ×2, 1006 ×1"_s << true;
    QTest::newRow("network only") << QList<int>{1006, 1006, 1006} << u"1006 ×3"_s << false;
}

void tst_GatewaySession::closesBeforeReadyStop()
{
    QFETCH(QList<int>, codes);
    QFETCH(QString, counted);
    QFETCH(bool, mentionsToken);
    Machine m;
    GatewaySession::Decision decision;
    for (int code : std::as_const(codes)) {
        QVERIFY(decision.next != Next::Stop);
        m.session.connectionStarted(false);
        m.session.connectionOpened();
        m.session.onHello(41250);
        m.session.identifySent();
        m.nowMs += 10000;
        decision = m.session.onConnectionEnded(code, CloseCodes::actionFor(code), true);
    }
    QCOMPARE(decision.next, Next::Stop);
    QVERIFY2(decision.explanation.contains(u"before READY 3 times"_s),
             qPrintable(decision.explanation));
    QVERIFY2(decision.explanation.contains(counted), qPrintable(decision.explanation));
    QCOMPARE(decision.explanation.contains(u"token may be invalid or lack the intents"_s),
             mentionsToken);
}

void tst_GatewaySession::readyStartsTheCountOver()
{
    Machine m;
    const auto closeAfterIdentify = [&m] {
        m.session.connectionStarted(false);
        m.session.identifySent();
        m.nowMs += 10000;
        return m.session.onInvalidSession(false).next;
    };
    QCOMPARE(closeAfterIdentify(), Next::Identify);
    QCOMPARE(closeAfterIdentify(), Next::Identify);
    m.identifyAndReady();
    QCOMPARE(closeAfterIdentify(), Next::Identify);
    QCOMPARE(closeAfterIdentify(), Next::Identify);
    QCOMPARE(closeAfterIdentify(), Next::Stop);
    // A connection that never sent Identify (a failed open) does not count.
    Machine n;
    for (int i = 0; i < 5; ++i) {
        n.session.connectionStarted(false);
        QVERIFY(n.session.onConnectionEnded(1006, Action::Resume, false).next != Next::Stop);
    }
}

void tst_GatewaySession::ownClosesBeforeReadyDoNotStop()
{
    // A half-open server (Hello, then silence) is closed by the client as a zombie after each
    // Identify: that is the network failing, not the token, so the client keeps trying.
    Machine m;
    for (int i = 0; i < 6; ++i) {
        m.session.connectionStarted(false);
        m.session.connectionOpened();
        m.session.onHello(41250);
        m.session.identifySent();
        m.nowMs += 10000;
        QCOMPARE(m.session.onConnectionEnded(4000, Action::Resume, true, false).next,
                 Next::Identify);
    }
    // The server's own closes still count, with the client's in between.
    for (int i = 0; i < 3; ++i) {
        m.session.connectionStarted(false);
        m.session.identifySent();
        m.nowMs += 10000;
        const Next next = m.session.onConnectionEnded(4000, Action::Resume, true).next;
        QCOMPARE(next, i < 2 ? Next::Identify : Next::Stop);
    }
}

void tst_GatewaySession::identifiesAreSpaced()
{
    Machine m;
    m.identifyAndReady();
    m.nowMs += 1000;
    // 4 s are left of the 5 s between Identifies, more than the backoff's 50 ms.
    QCOMPARE(m.session.onConnectionEnded(4009, Action::Identify, true).delayMs, 4000);
}

void tst_GatewaySession::sessionStartLimitStopsIdentifies()
{
    Machine m;
    GatewayBotInfo info;
    info.sessionStartTotal = 1000;
    info.sessionStartRemaining = 1;
    info.sessionStartResetAfterMs = 90 * 60000;
    m.session.setBotInfo(info);
    QCOMPARE(m.session.identifyRefusal(), std::nullopt);
    m.session.identifySent();
    const std::optional<QString> refusal = m.session.identifyRefusal();
    QVERIFY(refusal.has_value());
    QVERIFY2(refusal->contains(u"session start limit"_s), qPrintable(*refusal));
    QVERIFY2(refusal->contains(u"90 min"_s), qPrintable(*refusal));
}

void tst_GatewaySession::restoredSessionResumesFirst()
{
    // A session saved by an earlier run: the first connection goes to its resume URL and
    // sends Resume from the saved sequence; Identify never comes.
    Machine m;
    m.session.restoreSession(u"saved"_s, ResumeUrl, 42);
    QVERIFY(m.session.wantsResume());
    QCOMPARE(m.session.info().sessionId, u"saved"_s);
    QCOMPARE(m.session.info().resumeGatewayUrl, ResumeUrl);
    QCOMPARE(m.session.lastSequence(), std::optional<qint64>(42));
    m.session.connectionStarted(true);
    m.session.connectionOpened();
    QVERIFY(m.session.onHello(41250).resume);
    QVERIFY(!m.session.noteSequence(u"MESSAGE_CREATE"_s, 42)); // replays start after it
    QVERIFY(m.session.noteSequence(u"MESSAGE_CREATE"_s, 43));
    m.session.onResumed();
    QVERIFY(m.session.wantsResume());
    // A resumable close later resumes the restored session like any other.
    QCOMPARE(m.session.onConnectionEnded(4000, Action::Resume, true).next, Next::Resume);
}

void tst_GatewaySession::failedRestoredResumeIdentifies_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<int>("code");
    QTest::newRow("op 9 false (session expired)") << u"op9"_s << 0;
    QTest::newRow("4007 invalid seq") << u"close"_s << 4007;
    QTest::newRow("4009 session timed out") << u"close"_s << 4009;
    QTest::newRow("resume URL unreachable twice") << u"unreachable"_s << 1006;
}

void tst_GatewaySession::failedRestoredResumeIdentifies()
{
    QFETCH(QString, how);
    QFETCH(int, code);
    Machine m;
    m.session.restoreSession(u"saved"_s, ResumeUrl, 42);
    m.session.connectionStarted(true);
    GatewaySession::Decision decision;
    if (how == "op9"_L1) {
        m.session.connectionOpened();
        QVERIFY(m.session.onHello(41250).resume);
        decision = m.session.onInvalidSession(false);
    } else if (how == "close"_L1) {
        m.session.connectionOpened();
        QVERIFY(m.session.onHello(41250).resume);
        decision = m.session.onConnectionEnded(code, CloseCodes::actionFor(code), true);
    } else {
        QCOMPARE(m.session.onConnectionEnded(code, Action::Resume, false).next, Next::Resume);
        m.session.connectionStarted(true);
        decision = m.session.onConnectionEnded(code, Action::Resume, false);
    }
    QCOMPARE(decision.next, Next::Identify);
    QVERIFY(!m.session.wantsResume());
    QCOMPARE(m.session.lastSequence(), std::nullopt);
    // The fallback connection identifies: a resume that failed is no Identify, so it does not
    // count towards the closes before READY.
    m.session.connectionStarted(false);
    QVERIFY(!m.session.onHello(41250).resume);
}

void tst_GatewaySession::unusableSavedSessionIsIgnored_data()
{
    QTest::addColumn<QString>("sessionId");
    QTest::addColumn<QUrl>("resumeUrl");
    QTest::newRow("no session id") << QString() << ResumeUrl;
    QTest::newRow("no resume URL") << u"saved"_s << QUrl();
    QTest::newRow("URL without scheme") << u"saved"_s << QUrl(u"127.0.0.1/resume"_s);
}

void tst_GatewaySession::unusableSavedSessionIsIgnored()
{
    QFETCH(QString, sessionId);
    QFETCH(QUrl, resumeUrl);
    Machine m;
    m.session.restoreSession(sessionId, resumeUrl, 7);
    QVERIFY(!m.session.wantsResume());
    QCOMPARE(m.session.lastSequence(), std::nullopt);
}

QTEST_GUILESS_MAIN(tst_GatewaySession)
#include "tst_gatewaysession.moc"
