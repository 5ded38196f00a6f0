#include "emulator/faultinjector.h"

#include "core/gateway/closecodes.h"
#include "core/gateway/payload.h"
#include "emulator/clientconnection.h"
#include "emulator/emulatorlogging.h"
#include "emulator/emulatorserver.h"
#include "emulator/session.h"
#include "emulator/wireformat.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator {

FaultInjector::FaultInjector(EmulatorServer &server)
    : m_server(server)
{ }

void FaultInjector::injectNow(const Fault &fault)
{
    qCInfo(lcEmulator) << "fault:" << fault.toSpec();
    emit m_server.faultApplied(fault);
    if (fault.isMode()) {
        m_server.m_faults->applyMode(fault);
        if (fault.kind == Fault::Kind::SlowWrite) {
            for (ClientConnection *connection : std::as_const(m_server.m_connections))
                connection->setSlowWrite(fault.bytes);
        }
        return;
    }
    const QList<int> ids = m_server.m_connections.keys();
    for (int id : ids) {
        if (ClientConnection *connection = m_server.connectionById(id))
            applyFault(connection, fault);
    }
}

void FaultInjector::applyFault(ClientConnection *connection, const Fault &fault)
{
    if (connection->state == ClientConnection::State::Closing)
        return;
    switch (fault.kind) {
    case Fault::Kind::DropTcp:
        connection->abort();
        break;
    case Fault::Kind::Reconnect:
        m_server.sendOp(connection, int(Opcode::Reconnect), QJsonValue::Null);
        ClockTimer::singleShot(m_server.m_clock, m_server.m_config.reconnectCloseDelayMs,
                               connection, [this, connection] {
                                   m_server.closeConnection(connection, CloseCodes::UnknownError,
                                                            u"Reconnect requested."_s);
                               });
        break;
    case Fault::Kind::InvalidSession: {
        m_server.sendOp(connection, int(Opcode::InvalidSession), fault.resumable);
        const auto it = m_server.m_sessions.find(connection->sessionId);
        if (it != m_server.m_sessions.end() && it->second->connectionId() == connection->id()) {
            if (fault.resumable)
                it->second->detach(m_server.nowMs());
            else
                m_server.m_sessions.erase(it);
        }
        connection->sessionId.clear();
        connection->state = ClientConnection::State::AwaitingAuth;
        connection->authDeadline.start(m_server.m_config.authTimeoutMs);
        break;
    }
    case Fault::Kind::Close:
        m_server.closeConnection(connection, fault.closeCode,
                                 fault.closeReason.isEmpty() ? u"Closed by a fault."_s
                                                             : fault.closeReason);
        break;
    case Fault::Kind::Garbage: {
        QByteArray bytes(qsizetype(fault.bytes), Qt::Uninitialized);
        for (char &byte : bytes)
            byte = char(connection->randomBounded(0, 255));
        // zstd reads most random bytes as the header of a long block and waits for the rest; a
        // reserved block type (3) makes the garbage a corrupt frame at once, as it is for zlib.
        if (connection->compression() == Compression::ZstdStream && !bytes.isEmpty())
            bytes[0] = '\x07';
        connection->sendRawBinary(bytes);
        break;
    }
    case Fault::Kind::TruncatedZlib:
        connection->sendTruncated(WireFormat::payload(int(Opcode::HeartbeatAck), QJsonValue::Null));
        break;
    case Fault::Kind::InvalidJson:
        connection->sendPayload("{\"t\":null,\"s\":null,\"op\":"_ba);
        break;
    case Fault::Kind::Oversized: {
        const auto it = m_server.m_sessions.find(connection->sessionId);
        if (it == m_server.m_sessions.end()
            || connection->state != ClientConnection::State::Authenticated) {
            qCInfo(lcEmulator) << "oversized fault skipped: connection" << connection->id()
                               << "has no session";
            break;
        }
        m_server.pushDispatch(*it->second, u"GATESCOPE_OVERSIZED"_s,
                              QJsonObject{{u"padding"_s, QString(qsizetype(fault.bytes), u'x')}});
        break;
    }
    case Fault::Kind::RequestHeartbeat: {
        m_server.sendOp(connection, int(Opcode::Heartbeat), QJsonValue::Null);
        connection->heartbeatRequested = true;
        const int remaining = connection->heartbeatDeadline.remainingTime();
        m_server.armHeartbeatDeadline(
                connection, remaining < 0 ? m_server.m_config.heartbeatGraceMs
                                          : qMin(remaining, m_server.m_config.heartbeatGraceMs));
        break;
    }
    case Fault::Kind::Silence:
    case Fault::Kind::EndSilence: {
        const auto it = m_server.m_sessions.find(connection->sessionId);
        const int shard = it == m_server.m_sessions.end() ? -1 : it->second->shardId();
        if (fault.shard < 0 || fault.shard == shard)
            connection->silenced = fault.kind == Fault::Kind::Silence;
        break;
    }
    case Fault::Kind::StopAcks:
    case Fault::Kind::ResumeAcks:
    case Fault::Kind::AckDelay:
    case Fault::Kind::SlowWrite:
        break;
    }
}

} // namespace Gatescope::Emulator
