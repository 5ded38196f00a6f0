#include "ui/connectdialog.h"

#include "core/gateway/heartbeatoverride.h"
#include "core/gateway/intents.h"
#include "core/gateway/zstdstreaminflater.h"
#include "ui/icons.h"
#include "ui/tokenvault.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
const auto GatewayUrlKey = u"connection/gatewayUrl"_s;
const auto ApiUrlKey = u"connection/apiUrl"_s;
const auto CompressionKey = u"connection/compression"_s;
const auto ShardIdKey = u"connection/shardId"_s;
const auto ShardCountKey = u"connection/shardCount"_s;
const auto IntentsKey = u"connection/intents"_s;
const auto ProxyKey = u"connection/proxy"_s;
const auto HeartbeatKey = u"connection/heartbeatIntervalMs"_s;
const auto ResumeAfterRestartKey = u"connection/resumeAfterRestart"_s;
const auto SessionFileKey = u"connection/sessionFile"_s;

QString privilegedExplanation(quint32 bit)
{
    switch (bit) {
    case Intents::MessageContent:
        return QObject::tr("Without it, the content, embeds and attachments of guild messages "
                           "arrive empty (except messages that mention the bot, and DMs).");
    case Intents::GuildMembers:
        return QObject::tr("Member join/leave/update events and the member list.");
    case Intents::GuildPresences:
        return QObject::tr("Presence updates: status and activities of members.");
    default:
        return {};
    }
}
} // namespace

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connect to a gateway"));
    auto *layout = new QVBoxLayout(this);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_token = new QLineEdit(this);
    m_token->setObjectName(u"tokenEdit"_s);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("Bot token (kept only in the system keyring, if you ask)"));
    auto *showBox = new QCheckBox(tr("Show"), this);
    showBox->setObjectName(u"showToken"_s);
    showBox->setToolTip(tr("Show or hide the token"));
    connect(showBox, &QCheckBox::toggled, this, [this](bool visible) {
        m_token->setEchoMode(visible ? QLineEdit::Normal : QLineEdit::Password);
    });
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(showBox);
    form->addRow(tr("&Token:"), tokenRow);
    m_remember = new QCheckBox(tr("&Remember the token in the system keyring"), this);
    m_remember->setObjectName(u"rememberToken"_s);
    m_remember->setToolTip(tr("Keep the token in the desktop's keyring (Secret Service or KWallet) "
                              "and fill it in next time; never in a settings file. Unchecking "
                              "it forgets a remembered token."));
    form->addRow(QString(), m_remember);
    m_tokenNotice = new QLabel(this);
    m_tokenNotice->setObjectName(u"tokenNotice"_s);
    m_tokenNotice->setWordWrap(true);
    m_tokenNotice->setStyleSheet(u"color: #9a6700;"_s);
    m_tokenNotice->hide();
    form->addRow(QString(), m_tokenNotice);
    // The notice matters only to someone who asks to remember the token.
    connect(m_remember, &QCheckBox::toggled, this, [this](bool checked) {
        m_tokenNotice->setVisible(checked && !m_vaultNotice.isEmpty());
    });

    m_gatewayUrl = new QLineEdit(this);
    m_gatewayUrl->setPlaceholderText(tr("discovered with GET /gateway/bot"));
    m_gatewayUrl->setToolTip(
            tr("Connect straight to this wss:// or ws:// URL, skipping discovery"));
    form->addRow(tr("&Gateway URL:"), m_gatewayUrl);
    m_apiUrl = new QLineEdit(this);
    m_apiUrl->setPlaceholderText(u"https://discord.com/api/v10"_s);
    form->addRow(tr("&API URL:"), m_apiUrl);

    m_compression = new QComboBox(this);
    m_compression->addItem(tr("zlib-stream (recommended)"), int(Compression::ZlibStream));
    if (ZstdStreamInflater::isSupported())
        m_compression->addItem(tr("zstd-stream"), int(Compression::ZstdStream));
    m_compression->addItem(tr("none"), int(Compression::None));
    form->addRow(tr("&Compression:"), m_compression);

    auto *shardRow = new QHBoxLayout;
    m_shardId = new QSpinBox(this);
    m_shardId->setRange(-1, 65535);
    m_shardId->setSpecialValueText(tr("no shard"));
    m_shardId->setToolTip(tr("“no shard” sends Identify without the shard field"));
    m_shardCount = new QSpinBox(this);
    m_shardCount->setRange(1, 65536);
    shardRow->addWidget(m_shardId);
    shardRow->addWidget(new QLabel(tr("of"), this));
    shardRow->addWidget(m_shardCount);
    shardRow->addStretch(1);
    form->addRow(tr("&Shard:"), shardRow);

    m_proxy = new QLineEdit(this);
    m_proxy->setObjectName(u"proxyEdit"_s);
    m_proxy->setPlaceholderText(tr("system proxy"));
    m_proxy->setToolTip(tr("Empty: the system proxy. “none”: connect directly. Or "
                           "http://host:port (HTTP CONNECT) or socks5://[user:pass@]host:port.\n"
                           "A password is used for this run only and never saved."));
    form->addRow(tr("&Proxy:"), m_proxy);

    m_heartbeat = new QSpinBox(this);
    m_heartbeat->setObjectName(u"heartbeatBox"_s);
    m_heartbeat->setRange(0, HeartbeatOverride::MaxMs);
    m_heartbeat->setSingleStep(1000);
    m_heartbeat->setSuffix(tr(" ms"));
    m_heartbeat->setSpecialValueText(tr("the server's"));
    m_heartbeat->setToolTip(tr("Heartbeat more often than the server asks, for finer latency "
                               "samples (at least %1 ms). A longer interval than the server's "
                               "is not used.")
                                    .arg(HeartbeatOverride::MinMs));
    form->addRow(tr("&Heartbeat:"), m_heartbeat);

    m_resumeBox = new QCheckBox(tr("Resume the session after a restart"), this);
    m_resumeBox->setObjectName(u"resumeBox"_s);
    m_resumeBox->setToolTip(tr("Closing the window keeps the session (close code 4000 instead "
                               "of 1000) and saves it to this file, readable by you only and "
                               "without the token; starting again within about 3 minutes "
                               "resumes it, and the events sent meanwhile are replayed. "
                               "Disconnect ends the session and removes the file."));
    m_sessionFile = new QLineEdit(defaultSessionFile(), this);
    m_sessionFile->setObjectName(u"sessionFileEdit"_s);
    m_sessionFile->setEnabled(false);
    connect(m_resumeBox, &QCheckBox::toggled, m_sessionFile, &QWidget::setEnabled);
    auto *resumeRow = new QVBoxLayout;
    resumeRow->addWidget(m_resumeBox);
    resumeRow->addWidget(m_sessionFile);
    form->addRow(tr("&Restart:"), resumeRow);
    layout->addLayout(form);

    auto *intents = new QGroupBox(tr("Intents"), this);
    auto *grid = new QGridLayout(intents);
    grid->setHorizontalSpacing(16);
    const QList<quint32> bits = Intents::allBits();
    const int columns = 3;
    const int rows = int((bits.size() + columns - 1) / columns);
    for (int i = 0; i < bits.size(); ++i) {
        const quint32 bit = bits.at(i);
        const bool privileged = bit & Intents::Privileged;
        auto *box = new QCheckBox(Intents::name(bit), intents);
        box->setObjectName(u"intent_"_s + Intents::name(bit));
        if (privileged) {
            box->setIcon(Icons::icon(Icons::Kind::Privileged));
            QFont f = box->font();
            f.setBold(true);
            box->setFont(f);
            box->setToolTip(
                    tr("Privileged: enable “%1” in the Developer Portal (Bot page).\n%2")
                            .arg(Intents::portalToggleName(bit), privilegedExplanation(bit)));
        }
        connect(box, &QCheckBox::toggled, this, &ConnectDialog::updateWarnings);
        m_intentBoxes.insert(bit, box);
        // Column-major so related intents (GUILD_MESSAGE_*) stay together.
        grid->addWidget(box, i % rows, i / rows);
    }
    auto *legendRow = new QHBoxLayout;
    auto *legendIcon = new QLabel(intents);
    const int iconSize = fontMetrics().height();
    legendIcon->setPixmap(Icons::icon(Icons::Kind::Privileged).pixmap(iconSize, iconSize));
    legendRow->addWidget(legendIcon, 0, Qt::AlignTop);
    auto *legend = new QLabel(tr("privileged: must also be enabled for the bot in the Discord "
                                 "Developer Portal, or the gateway closes with 4014."),
                              intents);
    legend->setWordWrap(true);
    legend->setForegroundRole(QPalette::PlaceholderText);
    legendRow->addWidget(legend, 1);
    grid->addLayout(legendRow, rows, 0, 1, columns);
    m_intentWarning = new QLabel(intents);
    m_intentWarning->setObjectName(u"intentWarning"_s);
    m_intentWarning->setWordWrap(true);
    m_intentWarning->setStyleSheet(u"color: #9a6700;"_s);
    grid->addWidget(m_intentWarning, rows + 1, 0, 1, columns);
    layout->addWidget(intents);

    m_error = new QLabel(this);
    m_error->setObjectName(u"connectError"_s);
    m_error->setStyleSheet(u"color: #cf222e;"_s);
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(this);
    m_connectButton = buttons->addButton(tr("Connect"), QDialogButtonBox::AcceptRole);
    m_connectButton->setDefault(true);
    auto *demo = buttons->addButton(tr("Start demo"), QDialogButtonBox::ActionRole);
    demo->setObjectName(u"startDemo"_s);
    demo->setToolTip(tr("Connect to a built-in emulated gateway with lively fake traffic"));
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
    connect(demo, &QPushButton::clicked, this, [this] {
        emit demoRequested();
        done(DemoResult);
    });
    layout->addWidget(buttons);

    setConfig(GatewayConfig());
}

void ConnectDialog::setConfig(const GatewayConfig &config)
{
    m_base = config;
    m_token->setText(config.token.reveal()); // the field the user types it in
    m_gatewayUrl->setText(config.gatewayUrl.toString());
    const QString defaultApi = GatewayConfig().apiUrl.toString();
    m_apiUrl->setText(config.apiUrl.toString() == defaultApi ? QString()
                                                             : config.apiUrl.toString());
    m_compression->setCurrentIndex(m_compression->findData(int(config.compression)));
    m_shardId->setValue(config.shardId);
    m_shardCount->setValue(std::max(1, config.shardCount));
    m_proxy->setText(config.proxy.text());
    m_heartbeat->setValue(config.heartbeatIntervalOverrideMs);
    setSelectedIntents(config.intents);
}

GatewayConfig ConnectDialog::config() const
{
    GatewayConfig c = m_base;
    QString token = m_token->text().trimmed();
    if (token.startsWith(u"Bot "_s, Qt::CaseInsensitive))
        token = token.mid(4).trimmed();
    c.token = token;
    c.gatewayUrl = QUrl(m_gatewayUrl->text().trimmed());
    c.apiUrl = m_apiUrl->text().trimmed().isEmpty() ? GatewayConfig().apiUrl
                                                    : QUrl(m_apiUrl->text().trimmed());
    c.compression = Compression(m_compression->currentData().toInt());
    c.shardId = m_shardId->value();
    c.shardCount = m_shardCount->value();
    c.intents = selectedIntents();
    QString proxyError;
    if (const auto proxy = ProxySettings::parse(m_proxy->text(), &proxyError))
        c.proxy = *proxy;
    c.heartbeatIntervalOverrideMs = m_heartbeat->value();
    return c;
}

quint32 ConnectDialog::selectedIntents() const
{
    quint32 mask = 0;
    for (auto it = m_intentBoxes.cbegin(); it != m_intentBoxes.cend(); ++it) {
        if (it.value()->isChecked())
            mask |= it.key();
    }
    return mask;
}

void ConnectDialog::setSelectedIntents(quint32 intents)
{
    for (auto it = m_intentBoxes.cbegin(); it != m_intentBoxes.cend(); ++it)
        it.value()->setChecked(intents & it.key());
    updateWarnings();
}

void ConnectDialog::updateWarnings()
{
    const quint32 mask = selectedIntents();
    QStringList lines;
    if (!(mask & Intents::MessageContent))
        lines << tr("MESSAGE_CONTENT is off: message content will arrive empty in the feed.");
    if (!(mask & (Intents::GuildMessages | Intents::DirectMessages)))
        lines << tr("Neither GUILD_MESSAGES nor DIRECT_MESSAGES is on: no messages will arrive.");
    m_intentWarning->setText(lines.join(u'\n'));
    m_intentWarning->setVisible(!lines.isEmpty());
}

QString ConnectDialog::validationError() const
{
    const GatewayConfig c = config();
    if (c.token.isEmpty())
        return tr("Enter the bot token, or start the demo.");
    if (c.token.reveal().contains(QChar(u' ')))
        return tr("The token must not contain spaces.");
    if (!c.gatewayUrl.isEmpty()) {
        const QString scheme = c.gatewayUrl.scheme();
        if (!c.gatewayUrl.isValid() || (scheme != u"wss"_s && scheme != u"ws"_s))
            return tr("The gateway URL must start with wss:// or ws://.");
    }
    const QString apiScheme = c.apiUrl.scheme();
    if (!c.apiUrl.isValid() || (apiScheme != u"https"_s && apiScheme != u"http"_s))
        return tr("The API URL must start with https:// or http://.");
    if (c.shardId >= c.shardCount)
        return tr("The shard id must be lower than the shard count.");
    QString proxyError;
    if (!ProxySettings::parse(m_proxy->text(), &proxyError))
        return tr("The proxy: %1.").arg(proxyError);
    if (c.heartbeatIntervalOverrideMs > 0
        && c.heartbeatIntervalOverrideMs < HeartbeatOverride::MinMs)
        return tr("The heartbeat interval must be at least %1 ms (or the server's).")
                .arg(HeartbeatOverride::MinMs);
    if (m_resumeBox->isChecked() && m_sessionFile->text().trimmed().isEmpty())
        return tr("Give the file the session is kept in, or turn off resuming after a restart.");
    return {};
}

void ConnectDialog::accept()
{
    const QString error = validationError();
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    if (error.isEmpty())
        QDialog::accept();
}

void ConnectDialog::setTokenVault(TokenVault *vault)
{
    if (!vault)
        return;
    connect(vault, &TokenVault::readFinished, this,
            [this](const BotToken &token, const QString &notice) {
                m_vaultNotice = notice;
                m_tokenNotice->setText(notice);
                m_tokenNotice->setVisible(m_remember->isChecked() && !notice.isEmpty());
                if (token.isEmpty() || !m_token->text().isEmpty())
                    return;
                m_vaultToken = token.reveal();
                m_token->setText(m_vaultToken); // the field the user would type it in
                m_remember->setChecked(true);
            });
    vault->read();
}

bool ConnectDialog::rememberToken() const
{
    return m_remember->isChecked();
}

bool ConnectDialog::vaultHadToken() const
{
    return !m_vaultToken.isEmpty();
}

QString ConnectDialog::tokenNotice() const
{
    return m_vaultNotice;
}

void ConnectDialog::loadSettings(QSettings &settings)
{
    GatewayConfig c = m_base;
    c.gatewayUrl = QUrl(settings.value(GatewayUrlKey).toString());
    const QString api = settings.value(ApiUrlKey).toString();
    if (!api.isEmpty())
        c.apiUrl = QUrl(api);
    if (const auto compression = compressionFromName(settings.value(CompressionKey).toString()))
        c.compression = *compression;
    c.shardId = settings.value(ShardIdKey, c.shardId).toInt();
    c.shardCount = settings.value(ShardCountKey, c.shardCount).toInt();
    c.intents = settings.value(IntentsKey, c.intents).toUInt();
    QString proxyError;
    if (const auto proxy = ProxySettings::parse(settings.value(ProxyKey).toString(), &proxyError))
        c.proxy = *proxy;
    c.heartbeatIntervalOverrideMs
            = settings.value(HeartbeatKey, c.heartbeatIntervalOverrideMs).toInt();
    c.token = m_token->text();
    setConfig(c);
    m_resumeBox->setChecked(settings.value(ResumeAfterRestartKey, false).toBool());
    m_sessionFile->setText(settings.value(SessionFileKey, defaultSessionFile()).toString());
}

QString ConnectDialog::sessionFile() const
{
    return m_resumeBox->isChecked() ? m_sessionFile->text().trimmed() : QString();
}

QString ConnectDialog::sessionFileFromSettings(QSettings &settings)
{
    if (!settings.value(ResumeAfterRestartKey, false).toBool())
        return QString();
    return settings.value(SessionFileKey, defaultSessionFile()).toString();
}

QString ConnectDialog::defaultSessionFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/session.json"_s;
}

void ConnectDialog::saveSettings(QSettings &settings) const
{
    settings.setValue(ResumeAfterRestartKey, m_resumeBox->isChecked());
    settings.setValue(SessionFileKey, m_sessionFile->text().trimmed());
    const GatewayConfig c = config();
    settings.setValue(GatewayUrlKey, c.gatewayUrl.toString());
    settings.setValue(ApiUrlKey, m_apiUrl->text().trimmed());
    settings.setValue(CompressionKey, compressionName(c.compression));
    settings.setValue(ShardIdKey, c.shardId);
    settings.setValue(ShardCountKey, c.shardCount);
    settings.setValue(IntentsKey, c.intents);
    settings.setValue(ProxyKey, c.proxy.text(false));
    settings.setValue(HeartbeatKey, c.heartbeatIntervalOverrideMs);
}

} // namespace Gatescope::Ui
