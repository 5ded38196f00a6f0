#include "core/gateway/bottoken.h"

#include "core/gateway/gatewaydiscovery.h"
#include "core/gateway/redactingmessagehandler.h"
#include "core/gateway/redaction.h"
#include "core/gateway/shardmanager.h"

#include <QDebug>
#include <QJsonValue>
#include <QTest>

#include <type_traits>

using namespace Gatescope;
using namespace Qt::StringLiterals;

// No way from a token to text but reveal(): not a conversion, not a QString constructor, not a
// JSON value (a payload or log field cannot take it by accident).
static_assert(!std::is_convertible_v<BotToken, QString>);
static_assert(!std::is_constructible_v<QString, BotToken>);
static_assert(!std::is_convertible_v<BotToken, QByteArray>);
static_assert(!std::is_constructible_v<QJsonValue, BotToken>);
static_assert(std::is_convertible_v<QString, BotToken>);

namespace {
const QString Secret = u"MTE0.bottoken-secret.dG9rZW4"_s;
}

class tst_BotToken : public QObject
{
    Q_OBJECT

private slots:
    void init() { Redaction::clearSecrets(); }
    void cleanup() { RedactingMessageHandler::uninstall(); }
    void debugPrintsRedacted();
    void revealAndCompare();
    void handlerRedactsRegisteredTokens_data();
    void handlerRedactsRegisteredTokens();
    void discoveryRegistersTheTokenFirst();
    void shardDiscoveryRegistersTheTokenFirst();
};

void tst_BotToken::debugPrintsRedacted()
{
    const BotToken token(Secret);
    QString text;
    QDebug(&text) << token;
    QCOMPARE(text.trimmed(), u"BotToken(<redacted>)"_s);
    text.clear();
    QDebug(&text) << BotToken();
    QCOMPARE(text.trimmed(), u"BotToken()"_s);

    // The same through a real log line, with nothing registered.
    QTest::ignoreMessage(QtDebugMsg, "token: BotToken(<redacted>)");
    qDebug() << "token:" << token;
}

void tst_BotToken::revealAndCompare()
{
    BotToken token = Secret;
    QCOMPARE(token.reveal(), Secret);
    QVERIFY(token == BotToken(Secret));
    QVERIFY(token != BotToken(u"other"_s));
    QVERIFY(!token.isEmpty());
    QVERIFY(BotToken(u"  "_s).isEmpty());
    token.clear();
    QVERIFY(token.isEmpty());
}

void tst_BotToken::handlerRedactsRegisteredTokens_data()
{
    QTest::addColumn<QtMsgType>("type");
    QTest::newRow("debug") << QtDebugMsg;
    QTest::newRow("info") << QtInfoMsg;
    QTest::newRow("warning") << QtWarningMsg;
}

void tst_BotToken::handlerRedactsRegisteredTokens()
{
    QFETCH(QtMsgType, type);
    RedactingMessageHandler::install();
    RedactingMessageHandler::install(); // twice: still one handler in the chain
    QVERIFY(RedactingMessageHandler::isInstalled());
    Redaction::registerSecret(BotToken(Secret));

    // QTest's own handler (the one chained to) sees only the redacted line; it would report
    // the line with the token as unexpected, and this expected one as missing.
    QTest::ignoreMessage(type, "Authorization: Bot [redacted] (and again: [redacted])");
    const QString line = u"Authorization: Bot %1 (and again: %1)"_s.arg(Secret);
    switch (type) {
    case QtDebugMsg:
        qDebug().noquote() << line;
        break;
    case QtInfoMsg:
        qInfo().noquote() << line;
        break;
    default:
        qWarning().noquote() << line;
        break;
    }
}

void tst_BotToken::discoveryRegistersTheTokenFirst()
{
    QVERIFY(Redaction::redact(Secret) == Secret);
    GatewayDiscovery discovery;
    // Port 1 on loopback refuses; only the order matters here: by the time the request exists
    // (and anything about it could be logged), the token is a registered secret.
    discovery.start(QUrl(u"http://127.0.0.1:1/api/v10"_s), BotToken(Secret));
    QCOMPARE(Redaction::redact(Secret), Redaction::Placeholder);
    discovery.abort();
}

void tst_BotToken::shardDiscoveryRegistersTheTokenFirst()
{
    QVERIFY(Redaction::redact(Secret) == Secret);
    ShardManager manager;
    GatewayConfig config;
    config.token = Secret;
    config.apiUrl = QUrl(u"http://127.0.0.1:1/api/v10"_s);
    QVERIFY2(manager.setConfig(config, 0, 1, 2), qPrintable(manager.errorString()));
    manager.open();
    // Discovery (GET /gateway/bot) runs before any client exists, so before any client could
    // register the token: the request itself must have done it.
    QCOMPARE(Redaction::redact(u"x "_s + Secret), u"x "_s + Redaction::Placeholder);
    manager.close();
}

QTEST_GUILESS_MAIN(tst_BotToken)
#include "tst_bottoken.moc"
