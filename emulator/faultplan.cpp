#include "emulator/faultplan.h"

#include "emulator/clocktimer.h"
#include "emulator/emulatorclock.h"
#include "emulator/emulatorlogging.h"

#include <QFile>

#include <limits>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator {

FaultPlan::FaultPlan(EmulatorClock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{ }

FaultPlan::~FaultPlan() = default;

void FaultPlan::add(const Fault &fault)
{
    if (fault.trigger == Fault::Trigger::Now) {
        emit triggered(fault);
        return;
    }
    m_pending.append(fault);
    if (m_started)
        arm(fault);
}

bool FaultPlan::addSpec(const QString &spec, QString *error)
{
    const std::optional<Fault> fault = Fault::parse(spec, error);
    if (!fault)
        return false;
    add(*fault);
    return true;
}

std::optional<QList<Fault>> FaultPlan::parseScript(const QString &text, QString *error)
{
    QList<Fault> faults;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        const qsizetype hash = line.indexOf(u'#');
        if (hash >= 0)
            line.truncate(hash);
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        QString reason;
        const std::optional<Fault> fault = Fault::parse(line, &reason);
        if (!fault) {
            if (error)
                *error = u"line %1: %2"_s.arg(i + 1).arg(reason);
            return std::nullopt;
        }
        faults.append(*fault);
    }
    return faults;
}

bool FaultPlan::addFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        if (error)
            *error = u"cannot read fault file %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    constexpr qint64 MaxScriptBytes = 1024 * 1024;
    const QByteArray bytes = file.read(MaxScriptBytes + 1);
    if (bytes.size() > MaxScriptBytes) {
        if (error)
            *error = u"fault file %1 is larger than 1 MiB"_s.arg(path);
        return false;
    }
    QString reason;
    const std::optional<QList<Fault>> faults = parseScript(QString::fromUtf8(bytes), &reason);
    if (!faults) {
        if (error)
            *error = u"%1: %2"_s.arg(path, reason);
        return false;
    }
    for (const Fault &fault : *faults)
        add(fault);
    return true;
}

void FaultPlan::clear()
{
    qDeleteAll(m_timers);
    m_timers.clear();
    m_pending.clear();
    m_acksStopped = false;
    m_ackDelayMinMs = m_ackDelayMaxMs = 0;
    m_slowBytesPerSecond = 0;
}

QList<Fault> FaultPlan::scheduled() const
{
    return m_pending;
}

void FaultPlan::start()
{
    if (m_started)
        return;
    m_started = true;
    m_startedAtMs = m_clock.nowMs();
    for (const Fault &fault : std::as_const(m_pending))
        arm(fault);
}

void FaultPlan::arm(const Fault &fault)
{
    if (fault.trigger != Fault::Trigger::At && fault.trigger != Fault::Trigger::Every)
        return;
    auto *timer = new ClockTimer(m_clock, this);
    m_timers.append(timer);
    if (fault.trigger == Fault::Trigger::Every) {
        timer->setInterval(int(qMin<qint64>(fault.triggerValue, std::numeric_limits<int>::max())));
        connect(timer, &ClockTimer::timeout, this, [this, fault] { emit triggered(fault); });
    } else {
        timer->setSingleShot(true);
        timer->setInterval(
                int(qBound<qint64>(0, fault.triggerValue - (m_clock.nowMs() - m_startedAtMs),
                                   qint64(std::numeric_limits<int>::max()))));
        connect(timer, &ClockTimer::timeout, this, [this, timer, fault] {
            m_timers.removeOne(timer);
            timer->deleteLater();
            for (qsizetype i = 0; i < m_pending.size(); ++i) {
                const Fault &pending = m_pending.at(i);
                if (pending.trigger == fault.trigger && pending.triggerValue == fault.triggerValue
                    && pending.toSpec() == fault.toSpec()) {
                    m_pending.removeAt(i);
                    break;
                }
            }
            emit triggered(fault);
        });
    }
    timer->start();
}

void FaultPlan::messagesGenerated(qint64 totalMessageCreates)
{
    QList<Fault> due;
    for (qsizetype i = 0; i < m_pending.size();) {
        const Fault &fault = m_pending.at(i);
        if (fault.trigger == Fault::Trigger::AfterMessages
            && totalMessageCreates >= fault.triggerValue) {
            due.append(fault);
            m_pending.removeAt(i);
        } else {
            ++i;
        }
    }
    for (const Fault &fault : std::as_const(due)) {
        qCInfo(lcEmulator) << "fault due after" << totalMessageCreates
                           << "messages:" << fault.toSpec();
        emit triggered(fault);
    }
}

void FaultPlan::applyMode(const Fault &fault)
{
    switch (fault.kind) {
    case Fault::Kind::StopAcks:
        m_acksStopped = true;
        break;
    case Fault::Kind::ResumeAcks:
        m_acksStopped = false;
        m_ackDelayMinMs = m_ackDelayMaxMs = 0;
        break;
    case Fault::Kind::AckDelay:
        m_acksStopped = false;
        m_ackDelayMinMs = fault.minDelayMs;
        m_ackDelayMaxMs = qMax(fault.minDelayMs, fault.maxDelayMs);
        break;
    case Fault::Kind::SlowWrite:
        m_slowBytesPerSecond = fault.bytes;
        break;
    default:
        break;
    }
}

bool FaultPlan::acksStopped() const
{
    return m_acksStopped;
}

int FaultPlan::ackDelayMinMs() const
{
    return m_ackDelayMinMs;
}

int FaultPlan::ackDelayMaxMs() const
{
    return m_ackDelayMaxMs;
}

qint64 FaultPlan::slowWriteBytesPerSecond() const
{
    return m_slowBytesPerSecond;
}

} // namespace Gatescope::Emulator
