#include "ui/notificationpolicy.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;
using Kind = NotificationPolicy::Kind;

class tst_NotificationPolicy : public QObject
{
    Q_OBJECT

private slots:
    void rateLimitedPerKind_data();
    void rateLimitedPerKind();
    void switchedOffKindsAreNeverShown();
    void settingsRoundTrip();
};

void tst_NotificationPolicy::rateLimitedPerKind_data()
{
    QTest::addColumn<Kind>("kind");
    for (Kind kind : NotificationPolicy::Kinds)
        QTest::newRow(qPrintable(NotificationPolicy::label(kind))) << kind;
}

void tst_NotificationPolicy::rateLimitedPerKind()
{
    QFETCH(Kind, kind);
    qint64 now = 1000;
    NotificationPolicy policy;
    policy.setClock([&now] { return now; });
    QCOMPARE(policy.minIntervalMs(), 60000);
    QVERIFY(policy.allow(kind));
    now += 59999;
    QVERIFY(!policy.allow(kind)); // less than a minute later
    QCOMPARE(policy.heldBack(kind), 1);
    // Another kind has its own minute.
    for (Kind other : NotificationPolicy::Kinds) {
        if (other != kind)
            QVERIFY(policy.allow(other));
    }
    now += 1;
    QVERIFY(policy.allow(kind)); // a minute after the last one shown
    QVERIFY(!policy.allow(kind));
    QCOMPARE(policy.heldBack(kind), 2);
}

void tst_NotificationPolicy::switchedOffKindsAreNeverShown()
{
    qint64 now = 0;
    NotificationPolicy policy;
    policy.setClock([&now] { return now; });
    policy.setEnabled(Kind::SilentShard, false);
    QVERIFY(!policy.allow(Kind::SilentShard));
    now += 3600000;
    QVERIFY(!policy.allow(Kind::SilentShard));
    QCOMPARE(policy.heldBack(Kind::SilentShard), 0); // off, not held back
    QVERIFY(policy.allow(Kind::FatalClose));
    policy.setEnabled(Kind::SilentShard, true);
    QVERIFY(policy.allow(Kind::SilentShard));
}

void tst_NotificationPolicy::settingsRoundTrip()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    NotificationPolicy policy;
    policy.setEnabled(Kind::BudgetWarning, false);
    policy.save(settings);
    NotificationPolicy loaded;
    QVERIFY(loaded.isEnabled(Kind::BudgetWarning)); // on by default
    loaded.load(settings);
    QVERIFY(!loaded.isEnabled(Kind::BudgetWarning));
    QVERIFY(loaded.isEnabled(Kind::FatalClose));
    QVERIFY(loaded.isEnabled(Kind::SilentShard));
}

QTEST_MAIN(tst_NotificationPolicy)
#include "tst_notificationpolicy.moc"
