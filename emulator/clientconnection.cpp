#include "emulator/clientconnection.h"

#include "emulator/emulatorlogging.h"

#include <QWebSocket>

#include <algorithm>

namespace Gatescope::Emulator {

namespace {
constexpr int SlowTickMs = 20;
constexpr int CloseHandshakeTimeoutMs = 2000;
} // namespace

ClientConnection::ClientConnection(int id, QWebSocket *socket, Compression compression,
                                   int zlibLevel, bool splitFrames, quint64 seed,
                                   EmulatorClock &clock, QObject *parent)
    : QObject(parent)
    , heartbeatDeadline(clock)
    , authDeadline(clock)
    , m_id(id)
    , m_socket(socket)
    , m_compression(compression)
    , m_splitFrames(splitFrames)
    , m_deflater(StreamDeflater::create(compression, std::clamp(zlibLevel, 1, 9)))
    , m_random(quint32(seed ^ (seed >> 32)) ^ quint32(id * 2654435761u))
    , m_slowTimer(clock)
{
    m_socket->setParent(this);
    heartbeatDeadline.setSingleShot(true);
    authDeadline.setSingleShot(true);
    m_slowTimer.setInterval(SlowTickMs);
    connect(&m_slowTimer, &ClockTimer::timeout, this, &ClientConnection::drainSlowQueue);
    m_closeTimeout.setSingleShot(true);
    m_closeTimeout.setInterval(CloseHandshakeTimeoutMs);
    connect(&m_closeTimeout, &QTimer::timeout, m_socket, &QWebSocket::abort);

    // aboutToClose fires for our own close() and for a close frame from the peer; only the
    // latter tells a deliberate client close (1000/1001 end the session) from a TCP drop.
    // QWebSocket also passes on its TCP socket's aboutToClose: when a write fails because the
    // peer has gone, the socket aborts while still connected, with no close frame read and
    // Qt's default code 1000, which would end a session the client meant to keep.
    connect(m_socket, &QWebSocket::aboutToClose, this, [this] {
        if (m_closedByServer || m_peerSentClose)
            return;
        if (m_socket->error() != QAbstractSocket::UnknownSocketError
            && m_socket->state() == QAbstractSocket::ConnectedState)
            return;
        m_peerSentClose = true;
        m_peerCloseCode = int(m_socket->closeCode());
    });
    // Queued: QWebSocket reads frames in a queued slot, so a close frame that came with the
    // FIN is read after disconnected(); finishing after it keeps the peer's close code.
    connect(
            m_socket, &QWebSocket::disconnected, this,
            [this] {
                heartbeatDeadline.stop();
                authDeadline.stop();
                m_slowTimer.stop();
                m_closeTimeout.stop();
                emit finished();
            },
            Qt::QueuedConnection);
}

ClientConnection::~ClientConnection() = default;

void ClientConnection::sendPayload(const QByteArray &json)
{
    if (state == State::Closing)
        return;
    ++m_payloadsSent;
    if (!m_deflater) {
        write(json, false);
        return;
    }
    const QByteArray compressed = m_deflater->compress(json);
    if (!m_splitFrames || compressed.size() < 2) {
        write(compressed, true);
        return;
    }
    // Split at 1–3 random points so clients must buffer: until the 00 00 FF FF marker
    // (zlib-stream), or until the payload's JSON closes (zstd-stream).
    const int pieces = int(m_random.bounded(2, 5));
    qsizetype offset = 0;
    for (int i = 1; i < pieces && offset < compressed.size() - 1; ++i) {
        const qsizetype remaining = compressed.size() - offset;
        const qsizetype cut = 1 + qsizetype(m_random.bounded(quint32(remaining - 1)));
        write(compressed.mid(offset, cut), true);
        offset += cut;
    }
    write(compressed.mid(offset), true);
}

void ClientConnection::flush()
{
    m_socket->flush();
}

qint64 ClientConnection::pendingBytes() const
{
    return m_socket->bytesToWrite();
}

void ClientConnection::sendRawBinary(const QByteArray &bytes)
{
    if (state != State::Closing)
        write(bytes, true);
}

void ClientConnection::sendTruncated(const QByteArray &json)
{
    if (state == State::Closing)
        return;
    if (!m_deflater) {
        write(json.left(json.size() / 2), false);
        return;
    }
    const QByteArray compressed = m_deflater->compress(json);
    write(compressed.left(compressed.size() / 2), true);
}

void ClientConnection::closeWith(int code, const QString &reason)
{
    if (state == State::Closing)
        return;
    state = State::Closing;
    m_closedByServer = true;
    m_serverCloseCode = code;
    heartbeatDeadline.stop();
    authDeadline.stop();
    clearSlowQueue();
    m_closeTimeout.start();
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void ClientConnection::abort()
{
    if (state == State::Closing && !m_closedByServer)
        return;
    state = State::Closing;
    m_closedByServer = true;
    m_serverCloseCode = 1006;
    clearSlowQueue();
    m_socket->abort();
}

void ClientConnection::setSlowWrite(qint64 bytesPerSecond)
{
    m_slowBytesPerSecond = qMax<qint64>(0, bytesPerSecond);
    if (m_slowBytesPerSecond == 0) {
        m_slowTimer.stop();
        while (!m_slowQueue.empty())
            writeFirstHeldBack();
    }
}

void ClientConnection::write(const QByteArray &data, bool binary)
{
    if (m_slowBytesPerSecond > 0) {
        m_slowQueue.push_back({data, binary});
        m_slowQueuedBytes += data.size();
        if (!m_slowTimer.isActive()) {
            m_slowBudget = 0;
            m_slowTimer.start();
        }
        return;
    }
    writeNow(data, binary);
}

void ClientConnection::writeNow(const QByteArray &data, bool binary)
{
    if (binary)
        m_socket->sendBinaryMessage(data);
    else
        m_socket->sendTextMessage(QString::fromUtf8(data));
}

void ClientConnection::drainSlowQueue()
{
    m_slowBudget += double(m_slowBytesPerSecond) * SlowTickMs / 1000.0;
    while (!m_slowQueue.empty() && m_slowBudget >= double(m_slowQueue.front().data.size())) {
        m_slowBudget -= double(m_slowQueue.front().data.size());
        writeFirstHeldBack();
    }
    if (m_slowQueue.empty()) {
        m_slowTimer.stop();
        m_slowBudget = 0;
    }
}

void ClientConnection::writeFirstHeldBack()
{
    const Pending first = std::move(m_slowQueue.front());
    m_slowQueue.pop_front();
    m_slowQueuedBytes -= first.data.size();
    writeNow(first.data, first.binary);
}

void ClientConnection::clearSlowQueue()
{
    m_slowQueue.clear();
    m_slowQueuedBytes = 0;
}

} // namespace Gatescope::Emulator
