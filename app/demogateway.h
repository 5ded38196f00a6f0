#pragma once

#include "core/gateway/gatewaytypes.h"

#include <QObject>

#include <memory>

namespace Gatescope::Emulator {
class EmulatorServer;
}

namespace Gatescope::App {

/// Demo mode: an in-process emulator with lively, realistic traffic and a moving latency, plus
/// the GatewayConfig that connects to it. The demo token is random and never shown.
class DemoGateway : public QObject
{
    Q_OBJECT

public:
    explicit DemoGateway(QObject *parent = nullptr);
    ~DemoGateway() override;

    /// Starts the emulator on 127.0.0.1; false with @p error if it could not listen.
    bool start(QString *error);
    /// A config for GatewayClient: discovery through the emulator's /gateway/bot, demo token,
    /// with @p base's intents and compression.
    GatewayConfig clientConfig(const GatewayConfig &base = {}) const;
    Emulator::EmulatorServer *server() const;

private:
    std::unique_ptr<Emulator::EmulatorServer> m_server;
    QString m_token;
};

} // namespace Gatescope::App
