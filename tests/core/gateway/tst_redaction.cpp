#include "core/gateway/redaction.h"

#include "core/gateway/payload.h"

#include <QJsonObject>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_Redaction : public QObject
{
    Q_OBJECT

private slots:
    void init() { Redaction::clearSecrets(); }
    void identifyAndResumeTokensAreHidden_data();
    void identifyAndResumeTokensAreHidden();
    void registeredSecretsAreHiddenAnywhere();
};

void tst_Redaction::identifyAndResumeTokensAreHidden_data()
{
    QTest::addColumn<int>("op");
    QTest::newRow("identify") << int(Opcode::Identify);
    QTest::newRow("resume") << int(Opcode::Resume);
}

void tst_Redaction::identifyAndResumeTokensAreHidden()
{
    QFETCH(int, op);
    Payload payload;
    payload.op = op;
    payload.d = QJsonObject{{u"token"_s, u"unregistered-secret"_s}, {u"session_id"_s, u"abc"_s}};
    const QByteArray json = Redaction::redactedJson(payload);
    QVERIFY(!json.contains("unregistered-secret"));
    QVERIFY(json.contains("[redacted]"));
    QVERIFY(json.contains("abc"));
}

void tst_Redaction::registeredSecretsAreHiddenAnywhere()
{
    Redaction::registerSecret(u"MTIzNDU2.secret.value"_s);
    QCOMPARE(Redaction::redact(u"Authorization: Bot MTIzNDU2.secret.value"_s),
             u"Authorization: Bot [redacted]"_s);
    QCOMPARE(Redaction::redact("x MTIzNDU2.secret.value y"_ba), "x [redacted] y"_ba);
    Payload payload = Payload::dispatch(
            u"MESSAGE_CREATE"_s, 3, QJsonObject{{u"content"_s, u"leak MTIzNDU2.secret.value"_s}});
    QVERIFY(!Redaction::redactedJson(payload).contains("MTIzNDU2.secret.value"));
}

QTEST_GUILESS_MAIN(tst_Redaction)
#include "tst_redaction.moc"
