#include "ui/healthpanel.h"

#include "core/connection/identifybudget.h"
#include "ui/format.h"
#include "ui/icons.h"
#include "ui/latencychart.h"
#include "ui/statebadge.h"

#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    label->setContentsMargins(0, 6, 0, 0);
    return label;
}
} // namespace

HealthPanel::HealthPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(4);

    auto *header = new QHBoxLayout;
    m_badge = new StateBadge(this);
    m_badge->setObjectName(u"stateBadge"_s);
    header->addWidget(m_badge);
    header->addSpacing(8);
    auto *sessionBox = new QVBoxLayout;
    sessionBox->setSpacing(0);
    m_session = new QLabel(this);
    m_session->setObjectName(u"sessionValue"_s);
    m_session->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resumeHost = new QLabel(this);
    m_resumeHost->setObjectName(u"resumeHostValue"_s);
    m_resumeHost->setToolTip(tr("Host of the resume_gateway_url from READY: resumes go there."));
    m_shard = new QLabel(this);
    m_shard->setObjectName(u"shardValue"_s);
    sessionBox->addWidget(m_session);
    sessionBox->addWidget(m_resumeHost);
    sessionBox->addWidget(m_shard);
    header->addLayout(sessionBox, 1);
    layout->addLayout(header);

    layout->addWidget(sectionTitle(tr("Heartbeat latency"), this));
    auto *latencyRow = new QHBoxLayout;
    m_latency = new QLabel(this);
    m_latency->setObjectName(u"latencyValue"_s);
    QFont big = m_latency->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_latency->setFont(big);
    m_latency->setToolTip(tr("Round trip of the last heartbeat (op 1 → op 11)"));
    m_smoothed = new QLabel(this);
    m_smoothed->setObjectName(u"smoothedValue"_s);
    m_smoothed->setToolTip(tr("Exponentially smoothed round trip"));
    m_ackMisses = new QLabel(this);
    m_ackMisses->setObjectName(u"ackMissValue"_s);
    m_ackMisses->setToolTip(tr("Heartbeats that were due while the previous one was still "
                               "unacknowledged (a zombie connection is closed and resumed)"));
    latencyRow->addWidget(m_latency);
    latencyRow->addSpacing(8);
    latencyRow->addWidget(m_smoothed, 0, Qt::AlignBottom);
    latencyRow->addStretch(1);
    latencyRow->addWidget(m_ackMisses, 0, Qt::AlignBottom);
    layout->addLayout(latencyRow);
    m_chart = new LatencyChart(this);
    m_chart->setObjectName(u"latencyChart"_s);
    layout->addWidget(m_chart);

    layout->addWidget(sectionTitle(tr("Traffic"), this));
    auto *traffic = new QGridLayout;
    traffic->setHorizontalSpacing(12);
    traffic->setVerticalSpacing(2);
    m_seq = addRow(traffic, 0, 0, tr("last seq"), u"seqValue"_s,
                   tr("The last `s` received; Resume continues from it"));
    m_eventsPerSecond = addRow(traffic, 0, 2, tr("events/s"), u"eventsPerSecondValue"_s,
                               tr("Dispatches per second over the last few seconds"));
    m_topTypes = new QLabel(this);
    m_topTypes->setObjectName(u"topTypesValue"_s);
    m_topTypes->setWordWrap(true);
    m_topTypes->setToolTip(tr("The busiest event types right now"));
    traffic->addWidget(m_topTypes, 1, 0, 1, 4);
    m_wireBytes = addRow(traffic, 2, 0, tr("wire in"), u"wireBytesValue"_s,
                         tr("Bytes received on the socket (compressed with zlib-stream)"));
    m_inflatedBytes = addRow(traffic, 2, 2, tr("JSON in"), u"inflatedBytesValue"_s,
                             tr("Bytes after decompression"));
    m_ratio = addRow(traffic, 3, 0, tr("ratio"), u"ratioValue"_s,
                     tr("Wire bytes as a share of the JSON bytes; lower is better"));
    m_bytesOut = addRow(traffic, 3, 2, tr("sent"), u"bytesOutValue"_s);
    m_frames = addRow(traffic, 4, 0, tr("frames"), u"framesValue"_s, tr("Frames in / out"));
    traffic->setColumnStretch(1, 1);
    traffic->setColumnStretch(3, 1);
    layout->addLayout(traffic);

    layout->addWidget(sectionTitle(tr("Session"), this));
    auto *session = new QGridLayout;
    session->setHorizontalSpacing(12);
    session->setVerticalSpacing(2);
    m_identifies = addRow(session, 0, 0, tr("identifies"), u"identifiesValue"_s,
                          tr("Identify (op 2) sent: each one uses the daily session budget"));
    m_resumes = addRow(session, 0, 2, tr("resumes"), u"resumesValue"_s,
                       tr("Successful resumes (RESUMED received)"));
    m_reconnects = addRow(session, 1, 0, tr("reconnects"), u"reconnectsValue"_s);
    m_uptime = addRow(session, 1, 2, tr("uptime"), u"uptimeValue"_s,
                      tr("Time since the last READY or RESUMED"));
    session->setColumnStretch(1, 1);
    session->setColumnStretch(3, 1);
    layout->addLayout(session);
    // The budget text is long ("998 / 1,000 (resets 23 h 10 min)"): it gets a row of its own,
    // outside the grid, so it does not widen the grid's columns.
    auto *budgetGrid = new QGridLayout;
    budgetGrid->setHorizontalSpacing(12);
    m_budget = addRow(budgetGrid, 0, 0, tr("identify budget"), u"budgetValue"_s,
                      tr("session_start_limit from GET /gateway/bot: identifies left today"));
    m_runIdentifies = addRow(budgetGrid, 1, 0, tr("this run"), u"runIdentifiesValue"_s,
                             tr("Identifies sent since Gatescope started (every connection and "
                                "shard), those of the last hour, and max_concurrency"));
    m_budgetWarning = new QLabel(this);
    m_budgetWarning->setObjectName(u"budgetWarning"_s);
    m_budgetWarning->setWordWrap(true);
    m_budgetWarning->setStyleSheet(u"color: #cf222e; font-weight: bold;"_s);
    m_budgetWarning->hide();
    // A drawn icon rather than a "⚠" character, which fonts may lack and draw as a box.
    m_budgetWarningIcon = new QLabel(this);
    m_budgetWarningIcon->setObjectName(u"budgetWarningIcon"_s);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_budgetWarningIcon->setPixmap(Icons::icon(Icons::Kind::Warning).pixmap(iconSize, iconSize));
    m_budgetWarningIcon->setAlignment(Qt::AlignTop);
    m_budgetWarningIcon->hide();
    auto *warningRow = new QHBoxLayout;
    warningRow->addWidget(m_budgetWarningIcon);
    warningRow->addWidget(m_budgetWarning, 1);
    budgetGrid->addLayout(warningRow, 2, 0, 1, 2);
    budgetGrid->setColumnStretch(1, 1);
    layout->addLayout(budgetGrid);
    layout->addStretch(1);

    reset();
}

QLabel *HealthPanel::addRow(QGridLayout *grid, int row, int column, const QString &caption,
                            const QString &objectName, const QString &toolTip)
{
    auto *captionLabel = new QLabel(caption, this);
    captionLabel->setForegroundRole(QPalette::PlaceholderText);
    auto *value = new QLabel(this);
    value->setObjectName(objectName);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (!toolTip.isEmpty()) {
        captionLabel->setToolTip(toolTip);
        value->setToolTip(toolTip);
    }
    grid->addWidget(captionLabel, row, column);
    grid->addWidget(value, row, column + 1);
    return value;
}

void HealthPanel::reset()
{
    const QString none = u"—"_s;
    m_session->setText(tr("no session"));
    m_resumeHost->setText(QString());
    m_shard->setText(QString());
    m_latency->setText(none);
    m_smoothed->setText(tr("avg —"));
    m_ackMisses->setText(QString());
    for (QLabel *label :
         {m_seq, m_eventsPerSecond, m_wireBytes, m_inflatedBytes, m_ratio, m_bytesOut, m_frames,
          m_identifies, m_resumes, m_reconnects, m_budget, m_runIdentifies, m_uptime})
        label->setText(none);
    m_topTypes->setText(QString());
    m_connectedSinceMs = 0;
    m_previousByType.clear();
    m_sinceLastMetrics.invalidate();
    m_chart->clear();
}

void HealthPanel::setState(GatewayClient::State state)
{
    m_badge->setState(state);
}

void HealthPanel::setLatency(int lastMs, int smoothedMs)
{
    m_latency->setText(Format::latency(lastMs));
    m_smoothed->setText(tr("avg %1").arg(Format::latency(smoothedMs)));
    if (lastMs >= 0)
        m_chart->addSample(lastMs);
}

void HealthPanel::addAckMiss()
{
    m_chart->addAckMiss();
}

QString HealthPanel::latencyText() const
{
    return m_latency->text();
}

void HealthPanel::setShardRange(int firstShard, int lastShard, int shardCount)
{
    m_shard->setText(tr("shards %1–%2/%3").arg(firstShard).arg(lastShard).arg(shardCount));
}

void HealthPanel::setSession(const SessionInfo &session)
{
    if (session.sessionId.isEmpty()) {
        m_session->setText(tr("no session"));
        m_session->setToolTip(QString());
    } else {
        // The full id is long and only useful to copy; show a short form, the whole in the tip.
        const QString shortId = session.sessionId.size() > 8 ? session.sessionId.left(8) + u"…"_s
                                                             : session.sessionId;
        m_session->setText(tr("session %1").arg(shortId));
        m_session->setToolTip(session.sessionId);
    }
    const QString host = session.resumeGatewayUrl.host();
    m_resumeHost->setText(host.isEmpty() ? QString() : tr("resume via %1").arg(host));
    m_resumeHost->setToolTip(session.resumeGatewayUrl.toString());
    if (session.shardCount > 0)
        m_shard->setText(
                tr("shard %1/%2").arg(std::max(0, session.shardId)).arg(session.shardCount));
    else
        m_shard->setText(QString());
}

void HealthPanel::setBotInfo(const GatewayBotInfo &info)
{
    if (info.sessionStartTotal <= 0) {
        m_budget->setText(u"—"_s);
        return;
    }
    QString text = u"%1 / %2"_s.arg(Format::count(quint64(info.sessionStartRemaining)),
                                    Format::count(quint64(info.sessionStartTotal)));
    if (info.sessionStartResetAfterMs > 0)
        text += tr("  (resets %1)").arg(Format::duration(info.sessionStartResetAfterMs));
    m_budget->setText(text);
    // Fewer than 10% left: the next restarts may lock the bot out until the reset.
    const bool low = info.sessionStartRemaining * 10 < info.sessionStartTotal;
    m_budget->setStyleSheet(low ? u"color: #cf222e; font-weight: bold;"_s : QString());
}

void HealthPanel::setIdentifyBudget(const IdentifyBudget &budget)
{
    if (budget.isKnown()) {
        QString text = u"%1 / %2"_s.arg(Format::count(quint64(budget.remaining())),
                                        Format::count(quint64(budget.total())));
        if (budget.resetAfterMs() > 0)
            text += tr("  (resets %1)").arg(Format::duration(budget.resetAfterMs()));
        m_budget->setText(text);
        m_budget->setStyleSheet(budget.lowRemaining() ? u"color: #cf222e; font-weight: bold;"_s
                                                      : QString());
    }
    const int identifies = budget.identifiesThisRun();
    QString run = (identifies == 1 ? tr("1 identify") : tr("%1 identifies").arg(identifies))
                  + tr(", %1 in the last hour").arg(budget.identifiesLastHour());
    if (budget.maxConcurrency() > 0)
        run += tr(", max_concurrency %1").arg(budget.maxConcurrency());
    m_runIdentifies->setText(run);
    const QString warning = budget.warningText();
    m_budgetWarning->setText(warning);
    m_budgetWarning->setVisible(!warning.isEmpty());
    m_budgetWarningIcon->setVisible(!warning.isEmpty());
}

QString HealthPanel::budgetWarningText() const
{
    return m_budgetWarning->text();
}

void HealthPanel::setMetrics(const GatewayMetrics &metrics)
{
    m_seq->setText(metrics.lastSeq < 0 ? u"—"_s : Format::count(quint64(metrics.lastSeq)));
    m_eventsPerSecond->setText(
            QString::number(metrics.eventsPerSecond, 'f', metrics.eventsPerSecond < 10 ? 1 : 0));

    // Per-type rates from the counters' growth since the previous refresh.
    const double seconds = m_sinceLastMetrics.isValid()
                                   ? std::max<qint64>(1, m_sinceLastMetrics.restart()) / 1000.0
                                   : 0.0;
    if (!m_sinceLastMetrics.isValid())
        m_sinceLastMetrics.start();
    QList<std::pair<double, QString>> rates;
    for (auto it = metrics.dispatchesByType.cbegin(); it != metrics.dispatchesByType.cend(); ++it) {
        const quint64 before = m_previousByType.value(it.key(), it.value());
        if (seconds > 0 && it.value() > before)
            rates.append({double(it.value() - before) / seconds, it.key()});
    }
    m_previousByType = metrics.dispatchesByType;
    std::sort(rates.begin(), rates.end(), [](const auto &a, const auto &b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    QStringList top;
    for (qsizetype i = 0; i < std::min<qsizetype>(3, rates.size()); ++i)
        top.append(u"%1 %2/s"_s.arg(rates[i].second)
                           .arg(rates[i].first, 0, 'f', rates[i].first < 10 ? 1 : 0));
    m_topTypes->setText(top.isEmpty() ? QString() : top.join(u"  ·  "_s));

    m_wireBytes->setText(Format::bytes(metrics.wireBytesIn));
    m_inflatedBytes->setText(Format::bytes(metrics.inflatedBytesIn));
    m_ratio->setText(metrics.inflatedBytesIn == 0
                             ? u"—"_s
                             : u"%1 %"_s.arg(100.0 * double(metrics.wireBytesIn)
                                                     / double(metrics.inflatedBytesIn),
                                             0, 'f', 1));
    m_bytesOut->setText(Format::bytes(metrics.bytesOut));
    m_frames->setText(
            u"%1 / %2"_s.arg(Format::count(metrics.framesIn), Format::count(metrics.framesOut)));
    m_identifies->setText(QString::number(metrics.identifies));
    m_resumes->setText(QString::number(metrics.resumes));
    m_reconnects->setText(QString::number(metrics.reconnects));
    m_ackMisses->setText(metrics.ackMisses > 0
                                 ? (metrics.ackMisses == 1
                                            ? tr("1 missed ACK")
                                            : tr("%1 missed ACKs").arg(metrics.ackMisses))
                                 : QString());
    m_ackMisses->setStyleSheet(metrics.ackMisses > 0 ? u"color: #cf222e;"_s : QString());
    m_connectedSinceMs = metrics.connectedSinceMs;
    updateUptime();
}

void HealthPanel::updateUptime()
{
    if (m_connectedSinceMs <= 0) {
        m_uptime->setText(u"—"_s);
        return;
    }
    m_uptime->setText(Format::duration(QDateTime::currentMSecsSinceEpoch() - m_connectedSinceMs));
}

} // namespace Gatescope::Ui
