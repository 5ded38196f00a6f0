#include "core/gateway/redaction.h"
#include "ui/connectdialog.h"
#include "ui/fallbacktokenvault.h"
#include "ui/keyringtokenvault.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

namespace {
const QString Token = u"GSTEST.Vault-TOKEN-MUST-NEVER-SHOW.x1"_s;
const QString TokenCore = u"TOKEN-MUST-NEVER-SHOW"_s;

/// Every log line of the test, to prove none carries the token.
QStringList g_logLines;
QtMessageHandler g_previousHandler = nullptr;
void recordingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_logLines.append(message);
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

/// A vault in memory, standing in for a keyring that works.
class MemoryTokenVault : public TokenVault
{
public:
    using TokenVault::TokenVault;
    BotToken kept;
    bool isKeyring() const override { return true; }
    void read() override
    {
        QTimer::singleShot(0, this, [this] { emit readFinished(kept, QString()); });
    }
    void write(const BotToken &token) override
    {
        kept = token;
        QTimer::singleShot(0, this, [this] { emit writeFinished(true, QString()); });
    }
    void erase() override
    {
        kept.clear();
        QTimer::singleShot(0, this, [this] { emit eraseFinished(true, QString()); });
    }
};

/// True when the status bar showed a message containing @p text.
bool shown(const QSignalSpy &messages, const QString &text)
{
    for (const QList<QVariant> &message : messages) {
        if (message.at(0).toString().contains(text))
            return true;
    }
    return false;
}

bool settingsHoldToken()
{
    QSettings settings;
    const QStringList keys = settings.allKeys();
    for (const QString &key : keys) {
        if (settings.value(key).toString().contains(TokenCore) || key.contains(TokenCore))
            return true;
    }
    return false;
}
} // namespace

/// "Remember the token": the keyring through QtKeychain, and the fallback (with its notice)
/// where no keyring can be reached, as under offscreen and in CI. The token never reaches
/// QSettings, a log line or the title.
class tst_TokenVault : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void fallbackKeepsNothingAndSaysWhy();
    void defaultIsTheFallbackWithoutASessionBus();
    void keyringWithoutSecretServiceGivesTheNotice();
    void dialogFillsTheRememberedToken();
    void dialogShowsTheNoticeOnlyWhenAsked();
    void windowFallsBackWithTheNotice();
    void windowKeepsTheTokenInTheVaultOnly();

private:
    /// Opens the window's connect dialog, types @p token, sets Remember and connects.
    static void connectThroughDialog(MainWindow &window, TokenVault *vault, const QString &token,
                                     bool remember);

    std::unique_ptr<QTemporaryDir> m_dir;
    QByteArray m_busAddress;
};

void tst_TokenVault::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"GatescopeTest"_s);
    QCoreApplication::setApplicationName(u"tst_tokenvault"_s);
    g_previousHandler = qInstallMessageHandler(recordingHandler);
    m_busAddress = qgetenv("DBUS_SESSION_BUS_ADDRESS");
}

void tst_TokenVault::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                       m_dir->filePath(u"settings"_s));
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir->filePath(u"settings"_s));
    g_logLines.clear();
}

void tst_TokenVault::cleanup()
{
    for (const QString &line : std::as_const(g_logLines))
        QVERIFY2(!line.contains(TokenCore), qPrintable(line));
    QVERIFY(!settingsHoldToken());
    if (m_busAddress.isEmpty())
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    else
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_busAddress);
    Redaction::clearSecrets();
    m_dir.reset();
}

void tst_TokenVault::fallbackKeepsNothingAndSaysWhy()
{
    FallbackTokenVault vault;
    QVERIFY(!vault.isKeyring());
    QSignalSpy written(&vault, &TokenVault::writeFinished);
    vault.write(BotToken(Token));
    QCOMPARE(written.size(), 0); // answered later, never inside the call
    QVERIFY(written.wait(5000));
    QCOMPARE(written.at(0).at(0).toBool(), false);
    const QString notice = written.at(0).at(1).toString();
    QVERIFY2(notice.contains(u"--token-file"_s) && notice.contains(u"$DISCORD_TOKEN"_s)
                     && notice.contains(u"keyring"_s),
             qPrintable(notice));
    QVERIFY(!notice.contains(TokenCore));

    QSignalSpy read(&vault, &TokenVault::readFinished);
    vault.read();
    QVERIFY(read.wait(5000));
    QVERIFY(read.at(0).at(0).value<BotToken>().isEmpty());
    QCOMPARE(read.at(0).at(1).toString(), notice);
    QSignalSpy erased(&vault, &TokenVault::eraseFinished);
    vault.erase();
    QVERIFY(erased.wait(5000));
    QVERIFY(erased.at(0).at(0).toBool());
}

void tst_TokenVault::defaultIsTheFallbackWithoutASessionBus()
{
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    std::unique_ptr<TokenVault> vault(TokenVault::createDefault());
    QVERIFY(!vault->isKeyring());
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    vault.reset(TokenVault::createDefault());
    QVERIFY(vault->isKeyring());
}

void tst_TokenVault::keyringWithoutSecretServiceGivesTheNotice()
{
    // A session bus address that nothing answers: no Secret Service, no KWallet. QtKeychain
    // must fail (not fall back to a plain-text copy), and the vault must say so.
    qputenv("DBUS_SESSION_BUS_ADDRESS",
            QFile::encodeName(u"unix:path="_s + m_dir->filePath(u"no-bus"_s)));
    KeyringTokenVault vault;
    QSignalSpy written(&vault, &TokenVault::writeFinished);
    vault.write(BotToken(Token));
    QVERIFY(written.wait(60000));
    QCOMPARE(written.at(0).at(0).toBool(), false);
    const QString notice = written.at(0).at(1).toString();
    qInfo() << "keyring notice:" << notice;
    QVERIFY2(notice.contains(u"--token-file"_s) && notice.contains(u"$DISCORD_TOKEN"_s),
             qPrintable(notice));
    QVERIFY(!notice.contains(TokenCore));

    QSignalSpy read(&vault, &TokenVault::readFinished);
    vault.read();
    QVERIFY(read.wait(60000));
    QVERIFY(read.at(0).at(0).value<BotToken>().isEmpty());
    QVERIFY(read.at(0).at(1).toString().contains(u"--token-file"_s));
}

void tst_TokenVault::dialogFillsTheRememberedToken()
{
    MemoryTokenVault vault;
    vault.kept = BotToken(Token);
    ConnectDialog dialog;
    dialog.setTokenVault(&vault);
    QTRY_COMPARE(dialog.tokenEdit()->text(), Token);
    QVERIFY(dialog.rememberBox()->isChecked());
    QVERIFY(dialog.vaultHadToken());
    QVERIFY(dialog.tokenNotice().isEmpty());
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Password);
    QSettings settings;
    dialog.saveSettings(settings);
    settings.sync();

    // A token already typed is not replaced by the remembered one.
    ConnectDialog typed;
    typed.tokenEdit()->setText(u"typed"_s);
    QSignalSpy read(&vault, &TokenVault::readFinished);
    typed.setTokenVault(&vault);
    QVERIFY(read.wait(5000));
    QCOMPARE(typed.tokenEdit()->text(), u"typed"_s);
    QVERIFY(!typed.rememberBox()->isChecked());
}

void tst_TokenVault::dialogShowsTheNoticeOnlyWhenAsked()
{
    FallbackTokenVault vault;
    ConnectDialog dialog;
    dialog.show();
    QSignalSpy read(&vault, &TokenVault::readFinished);
    dialog.setTokenVault(&vault);
    QVERIFY(read.wait(5000));
    auto *notice = dialog.findChild<QLabel *>(u"tokenNotice"_s);
    QVERIFY(notice);
    QVERIFY(!notice->isVisible());
    dialog.rememberBox()->setChecked(true);
    QVERIFY(notice->isVisible());
    QVERIFY(notice->text().contains(u"--token-file"_s));
    dialog.rememberBox()->setChecked(false);
    QVERIFY(!notice->isVisible());
}

void tst_TokenVault::connectThroughDialog(MainWindow &window, TokenVault *vault,
                                          const QString &token, bool remember)
{
    bool seen = false;
    QSignalSpy read(vault, &TokenVault::readFinished);
    QTimer::singleShot(0, &window, [&] {
        auto *dialog = qobject_cast<ConnectDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        seen = true;
        // The vault's answer arrives first, as it would while a person looks at the dialog.
        if (read.isEmpty() && !read.wait(5000))
            return;
        dialog->tokenEdit()->setText(token);
        dialog->findChild<QLineEdit *>(u"proxyEdit"_s)->setText(u"none"_s);
        // Nothing listens there: the connection fails at once, which is all this needs.
        GatewayConfig config = dialog->config();
        config.gatewayUrl = QUrl(u"ws://127.0.0.1:9"_s);
        dialog->setConfig(config);
        dialog->rememberBox()->setChecked(remember);
        dialog->accept();
    });
    window.showConnectDialog();
    QVERIFY(seen);
}

void tst_TokenVault::windowFallsBackWithTheNotice()
{
    FallbackTokenVault vault;
    MainWindow window;
    window.setTokenVault(&vault);
    window.show();
    QSignalSpy written(&vault, &TokenVault::writeFinished);
    QSignalSpy messages(window.statusBar(), &QStatusBar::messageChanged);
    connectThroughDialog(window, &vault, Token, true);
    QVERIFY(written.wait(5000));
    // (Reconnect messages of the refused connection come and go beside it.)
    QTRY_VERIFY(shown(messages, u"--token-file"_s));
    QVERIFY(!window.windowTitle().contains(TokenCore));
    window.saveSettings();
    window.disconnectFromGateway();
}

void tst_TokenVault::windowKeepsTheTokenInTheVaultOnly()
{
    MemoryTokenVault vault;
    MainWindow window;
    window.setTokenVault(&vault);
    window.show();
    QSignalSpy written(&vault, &TokenVault::writeFinished);
    QSignalSpy messages(window.statusBar(), &QStatusBar::messageChanged);
    connectThroughDialog(window, &vault, Token, true);
    QVERIFY(written.wait(5000));
    QCOMPARE(vault.kept.reveal(), Token);
    QTRY_VERIFY(shown(messages, u"Token kept in the system keyring"_s));
    QVERIFY(!window.windowTitle().contains(TokenCore));
    window.saveSettings();
    QVERIFY(!settingsHoldToken());

    // Unchecked next time: the remembered token is forgotten.
    QSignalSpy erased(&vault, &TokenVault::eraseFinished);
    connectThroughDialog(window, &vault, Token, false);
    QVERIFY(erased.wait(5000));
    QVERIFY(vault.kept.isEmpty());
    window.disconnectFromGateway();
}

QTEST_MAIN(tst_TokenVault)
#include "tst_tokenvault.moc"
