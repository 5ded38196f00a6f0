#include "ui/connectdialog.h"

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

class tst_ConnectDialog : public QObject
{
    Q_OBJECT

private slots:
    void tokenHiddenUntilShown();
    void configRoundTrip();
    void validation_data();
    void validation();
    void settingsNeverHoldTheToken();
    void privilegedIntentsMarked();
    void startDemo();
    void proxyFieldSavedWithoutPassword();
    void heartbeatField();
    void resumeAfterRestartSetting();
};

void tst_ConnectDialog::tokenHiddenUntilShown()
{
    ConnectDialog dialog;
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Password);
    auto *show = dialog.findChild<QCheckBox *>(u"showToken"_s);
    QVERIFY(show);
    show->setChecked(true);
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Normal);
    show->setChecked(false);
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Password);
}

void tst_ConnectDialog::configRoundTrip()
{
    GatewayConfig in;
    in.token = u"abc.def"_s;
    in.gatewayUrl = QUrl(u"ws://127.0.0.1:4000"_s);
    in.apiUrl = QUrl(u"http://127.0.0.1:4000/api/v10"_s);
    in.compression = Compression::None;
    in.shardId = 1;
    in.shardCount = 4;
    in.intents = Intents::Guilds | Intents::GuildMessages;
    in.heartbeatIntervalOverrideMs = 1500;
    ConnectDialog dialog;
    dialog.setConfig(in);
    const GatewayConfig out = dialog.config();
    QCOMPARE(out.token, in.token);
    QCOMPARE(out.gatewayUrl, in.gatewayUrl);
    QCOMPARE(out.apiUrl, in.apiUrl);
    QCOMPARE(out.compression, in.compression);
    QCOMPARE(out.shardId, 1);
    QCOMPARE(out.shardCount, 4);
    QCOMPARE(out.intents, in.intents);
    QCOMPARE(out.heartbeatIntervalOverrideMs, 1500);
    QCOMPARE(dialog.heartbeatBox()->value(), 1500);
    QVERIFY(dialog.validationError().isEmpty());
    // Without MESSAGE_CONTENT the dialog says content will be empty.
    auto *warning = dialog.findChild<QLabel *>(u"intentWarning"_s);
    QVERIFY(warning->text().contains(u"MESSAGE_CONTENT"_s));
}

void tst_ConnectDialog::validation_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("gateway");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ok") << u"tok"_s << QString() << true;
    QTest::newRow("Bot prefix stripped") << u"Bot tok"_s << QString() << true;
    QTest::newRow("no token") << QString() << QString() << false;
    QTest::newRow("http gateway") << u"tok"_s << u"http://x"_s << false;
    QTest::newRow("wss gateway") << u"tok"_s << u"wss://gateway.discord.gg"_s << true;
}

void tst_ConnectDialog::validation()
{
    QFETCH(QString, token);
    QFETCH(QString, gateway);
    QFETCH(bool, valid);
    ConnectDialog dialog;
    GatewayConfig c;
    c.token = token;
    c.gatewayUrl = QUrl(gateway);
    dialog.setConfig(c);
    QCOMPARE(dialog.validationError().isEmpty(), valid);
    if (valid)
        QCOMPARE(dialog.config().token, u"tok"_s);
    dialog.accept();
    QCOMPARE(dialog.result() == QDialog::Accepted, valid);
    QCOMPARE(dialog.findChild<QLabel *>(u"connectError"_s)->isHidden(), valid);
}

void tst_ConnectDialog::settingsNeverHoldTheToken()
{
    QTemporaryDir dir;
    const QString token = u"NzkyNzE1NDU0MTk2MDg4ODQy.X-hvzA.Ovy4MCQywSkoMRRclStW4xAYK7I"_s;
    const QString path = dir.filePath(u"settings.ini"_s);
    {
        QSettings settings(path, QSettings::IniFormat);
        ConnectDialog dialog;
        GatewayConfig c;
        c.token = token;
        c.shardId = 0;
        c.shardCount = 2;
        dialog.setConfig(c);
        dialog.saveSettings(settings);
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray saved = file.readAll();
    QVERIFY(!saved.isEmpty());
    QVERIFY(!saved.contains("Ovy4MCQywSkoMRRclStW4xAYK7I"));
    QVERIFY(!saved.contains("NzkyNzE1NDU0MTk2MDg4ODQy"));

    QSettings settings(path, QSettings::IniFormat);
    ConnectDialog restored;
    restored.loadSettings(settings);
    QCOMPARE(restored.config().shardCount, 2);
    QVERIFY(restored.config().token.isEmpty());
}

void tst_ConnectDialog::privilegedIntentsMarked()
{
    ConnectDialog dialog;
    for (quint32 bit : {quint32(Intents::MessageContent), quint32(Intents::GuildMembers),
                        quint32(Intents::GuildPresences)}) {
        QCheckBox *box = dialog.intentBox(bit);
        QVERIFY(box);
        QVERIFY(!box->icon().isNull()); // an icon, not a glyph a font may lack
        QVERIFY(box->toolTip().contains(u"Developer Portal"_s));
    }
    QVERIFY(dialog.intentBox(Intents::Guilds)->icon().isNull());
    QVERIFY(dialog.intentBox(Intents::MessageContent)->toolTip().contains(u"empty"_s));
}

void tst_ConnectDialog::startDemo()
{
    ConnectDialog dialog;
    QSignalSpy demo(&dialog, &ConnectDialog::demoRequested);
    auto *button = dialog.findChild<QPushButton *>(u"startDemo"_s);
    QVERIFY(button);
    button->click();
    QCOMPARE(demo.count(), 1);
    QCOMPARE(dialog.result(), ConnectDialog::DemoResult);
}

void tst_ConnectDialog::proxyFieldSavedWithoutPassword()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    ConnectDialog dialog;
    dialog.tokenEdit()->setText(u"abc.def"_s);
    QCOMPARE(dialog.config().proxy.mode, ProxySettings::Mode::System);
    dialog.proxyEdit()->setText(u"socks5://me:pw-secret@127.0.0.1:1080"_s);
    QVERIFY(dialog.validationError().isEmpty());
    const GatewayConfig config = dialog.config();
    QCOMPARE(config.proxy.mode, ProxySettings::Mode::Url);
    QCOMPARE(config.proxy.proxyFor({}).password(), u"pw-secret"_s);
    dialog.saveSettings(settings);
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray saved = file.readAll();
    QVERIFY(saved.contains("socks5://me@127.0.0.1:1080"));
    QVERIFY(!saved.contains("pw-secret"));
    ConnectDialog again;
    again.loadSettings(settings);
    QCOMPARE(again.proxyEdit()->text(), u"socks5://me@127.0.0.1:1080"_s);

    dialog.proxyEdit()->setText(u"ftp://127.0.0.1:21"_s);
    QVERIFY(dialog.validationError().contains(u"The proxy: the scheme ftp is not supported"_s));
    dialog.proxyEdit()->setText(u"none"_s);
    QVERIFY(dialog.validationError().isEmpty());
    QCOMPARE(dialog.config().proxy.mode, ProxySettings::Mode::None);
}

void tst_ConnectDialog::heartbeatField()
{
    ConnectDialog dialog;
    dialog.tokenEdit()->setText(u"abc.def"_s);
    QCOMPARE(dialog.config().heartbeatIntervalOverrideMs, 0); // the server's
    dialog.heartbeatBox()->setValue(500);
    QVERIFY(dialog.validationError().contains(u"at least 1000 ms"_s));
    dialog.heartbeatBox()->setValue(5000);
    QVERIFY(dialog.validationError().isEmpty());
    QCOMPARE(dialog.config().heartbeatIntervalOverrideMs, 5000);
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    dialog.saveSettings(settings);
    ConnectDialog again;
    again.loadSettings(settings);
    QCOMPARE(again.heartbeatBox()->value(), 5000);
}

void tst_ConnectDialog::resumeAfterRestartSetting()
{
    ConnectDialog dialog;
    dialog.tokenEdit()->setText(u"abc.def"_s);
    QVERIFY(!dialog.resumeBox()->isChecked()); // off by default
    QVERIFY(dialog.sessionFile().isEmpty());
    QVERIFY(!dialog.sessionFileEdit()->isEnabled());
    QVERIFY(dialog.sessionFileEdit()->text().endsWith(u"/session.json"_s));
    dialog.resumeBox()->setChecked(true);
    QVERIFY(dialog.sessionFileEdit()->isEnabled());
    dialog.sessionFileEdit()->clear();
    QVERIFY(dialog.validationError().contains(u"the file the session is kept in"_s));
    QTemporaryDir dir;
    const QString path = dir.filePath(u"mine.json"_s);
    dialog.sessionFileEdit()->setText(path);
    QVERIFY(dialog.validationError().isEmpty());
    QCOMPARE(dialog.sessionFile(), path);

    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    QVERIFY(ConnectDialog::sessionFileFromSettings(settings).isEmpty());
    dialog.saveSettings(settings);
    QCOMPARE(ConnectDialog::sessionFileFromSettings(settings), path);
    ConnectDialog again;
    again.loadSettings(settings);
    QVERIFY(again.resumeBox()->isChecked());
    QCOMPARE(again.sessionFile(), path);
    again.resumeBox()->setChecked(false);
    QVERIFY(again.sessionFile().isEmpty());
    again.saveSettings(settings);
    QVERIFY(ConnectDialog::sessionFileFromSettings(settings).isEmpty());
}

QTEST_MAIN(tst_ConnectDialog)
#include "tst_connectdialog.moc"
