#include "app/demogateway.h"

#include "emulator/emulatorserver.h"
#include "emulator/fault.h"
#include "emulator/faultplan.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace Gatescope::App {

namespace {

/// Lively but readable: a few dozen events a second in small bursts, 16 guilds, a heartbeat
/// every 5 s with 25–140 ms of simulated latency so the chart moves, and an op 7 every two
/// minutes so the disconnect history shows a resume.
Emulator::ServerConfig demoServerConfig(const QString &token)
{
    Emulator::ServerConfig config;
    config.tokens = {token};
    config.heartbeatIntervalMs = 5000;
    config.eventsPerSecond = 30;
    config.burstSize = 3;
    // Enough guilds that each shard of a demo range (`--demo --shards 0-7 --shard-count 8`) has
    // some, and a max_concurrency that lets the range identify at once, as a large bot's does.
    config.traffic.guildCount = 16;
    config.maxConcurrency = 16;
    config.traffic.seed = QRandomGenerator::global()->generate64();
    config.seed = config.traffic.seed;
    return config;
}

} // namespace

DemoGateway::DemoGateway(QObject *parent)
    : QObject(parent)
{
    // A random token: the demo connection exercises the same redaction as a real one.
    m_token = u"demo."_s + QString::number(QRandomGenerator::global()->generate64(), 36);
    m_server = std::make_unique<Emulator::EmulatorServer>(demoServerConfig(m_token));
}

DemoGateway::~DemoGateway() = default;

bool DemoGateway::start(QString *error)
{
    if (!m_server->start(error))
        return false;
    m_server->injectNow(Emulator::Fault::ackDelay(25, 140));
    Emulator::Fault reconnect = Emulator::Fault::make(Emulator::Fault::Kind::Reconnect);
    reconnect.trigger = Emulator::Fault::Trigger::Every;
    reconnect.triggerValue = 120000;
    m_server->faults().add(reconnect);
    return true;
}

GatewayConfig DemoGateway::clientConfig(const GatewayConfig &base) const
{
    GatewayConfig config = base;
    config.token = m_token;
    config.gatewayUrl = QUrl();
    config.apiUrl = m_server->apiUrl();
    return config;
}

Emulator::EmulatorServer *DemoGateway::server() const
{
    return m_server.get();
}

} // namespace Gatescope::App
