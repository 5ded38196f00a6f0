#pragma once

#include "core/gateway/gatewaytypes.h"

/// Client timings shortened for tests against the in-process emulator: retries, invalid-session
/// waits and handshake/Hello timeouts in milliseconds rather than seconds. Callers add the
/// token, the URL and the Identify spacing their case needs.
inline Gatescope::GatewayConfig fastGatewayConfig()
{
    Gatescope::GatewayConfig config;
    config.backoffBaseMs = 50;
    config.backoffCapMs = 200;
    config.invalidSessionMinDelayMs = 10;
    config.invalidSessionMaxDelayMs = 50;
    config.handshakeTimeoutMs = 2000;
    config.helloTimeoutMs = 2000;
    return config;
}
