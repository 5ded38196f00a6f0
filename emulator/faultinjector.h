#pragma once

#include "emulator/fault.h"

namespace Gatescope::Emulator {

class ClientConnection;
class EmulatorServer;

/// Applies faults to the server's live connections: TCP drops, op 7, op 9, closes, garbage,
/// truncated or invalid payloads, oversized dispatches, server op 1; and the modes (ACKs
/// stopped or delayed, slow writes) that the FaultPlan keeps and the protocol code reads.
/// The one place where the emulator misbehaves on purpose.
///
/// Thread affinity: the server's. Owned by EmulatorServer.
class FaultInjector
{
public:
    explicit FaultInjector(EmulatorServer &server);

    /// Applies @p fault to every live connection now (modes: to the server), ignoring its trigger.
    void injectNow(const Fault &fault);

private:
    void applyFault(ClientConnection *connection, const Fault &fault);

    EmulatorServer &m_server;
};

} // namespace Gatescope::Emulator
