#include "core/fleet/redisconnection.h"

#include "core/fleet/respwriter.h"
#include "core/logging.h"

#include <QNetworkProxy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>

#include <hiredis/hiredis.h>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

RedisReply fromHiredis(const redisReply *reply)
{
    RedisReply out;
    switch (reply->type) {
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.string = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.string = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::Error;
        out.string = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = reply->integer;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        out.elements.reserve(qsizetype(reply->elements));
        for (size_t i = 0; i < reply->elements; ++i)
            out.elements.append(fromHiredis(reply->element[i]));
        break;
    default:
        out.type = RedisReply::Type::Nil;
        break;
    }
    return out;
}

} // namespace

void RedisConnection::ReaderDeleter::operator()(void *reader) const
{
    redisReaderFree(static_cast<redisReader *>(reader));
}

RedisConnection::RedisConnection(const RedisEndpoint &endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
{
    // A child as well as a member, so moveToThread() takes it along.
    m_reconnectTimer.setParent(this);
    m_reconnectTimer.setSingleShot(true);
    m_reconnectTimer.setInterval(1000);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisConnection::connectSocket);
}

RedisConnection::~RedisConnection()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void RedisConnection::open()
{
    m_wanted = true;
    if (!m_socket)
        connectSocket();
}

void RedisConnection::close()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_ready = false;
    failAll(u"connection closed"_s);
}

qint64 RedisConnection::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void RedisConnection::connectSocket()
{
    if (!m_wanted || m_socket)
        return;
    m_reader.reset(redisReaderCreate());
    if (m_endpoint.tls) {
        auto *ssl = new QSslSocket(this);
        if (!m_endpoint.caCertificates.isEmpty()) {
            QSslConfiguration configuration = ssl->sslConfiguration();
            QList<QSslCertificate> cas = configuration.caCertificates();
            cas += m_endpoint.caCertificates;
            configuration.setCaCertificates(cas);
            ssl->setSslConfiguration(configuration);
        }
        connect(ssl, &QSslSocket::encrypted, this, &RedisConnection::onSocketConnected);
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            onSocketGone(u"TLS: "_s
                         + (errors.isEmpty() ? u"error"_s : errors.first().errorString()));
        });
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &RedisConnection::onSocketConnected);
    }
    m_socket->setProxy(QNetworkProxy::NoProxy);
    connect(m_socket, &QTcpSocket::readyRead, this, &RedisConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this,
            [this](QAbstractSocket::SocketError) { onSocketGone(m_socket->errorString()); });
    connect(m_socket, &QTcpSocket::disconnected, this,
            [this] { onSocketGone(u"the server closed the connection"_s); });
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        ssl->connectToHostEncrypted(m_endpoint.host, m_endpoint.port);
    else
        m_socket->connectToHost(m_endpoint.host, m_endpoint.port);
}

void RedisConnection::onSocketConnected()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const auto ready = [this] {
        m_ready = true;
        m_reportedDown = false;
        emit connected();
    };
    if (m_endpoint.password.isEmpty()) {
        ready();
        return;
    }
    sendRaw({"AUTH"_ba, m_endpoint.password}, [this, ready](const RedisReply &reply) {
        if (reply.lost())
            return;
        if (reply.isError()) {
            onSocketGone(u"AUTH refused: "_s + QString::fromUtf8(reply.string));
            return;
        }
        ready();
    });
}

void RedisConnection::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    auto *reader = static_cast<redisReader *>(m_reader.get());
    // Fed in slices: hiredis moves what it holds to the front of its buffer after each 1 KiB
    // it parsed, so a read of thousands of pipelined replies fed whole is moved hundreds of times.
    constexpr qsizetype slice = 4096;
    for (qsizetype at = 0; at < bytes.size(); at += slice) {
        const qsizetype length = std::min(slice, bytes.size() - at);
        if (redisReaderFeed(reader, bytes.constData() + at, size_t(length)) != REDIS_OK) {
            onSocketGone(u"protocol error"_s);
            return;
        }
        if (!takeReplies(reader))
            return;
    }
}

bool RedisConnection::takeReplies(void *hiredisReader)
{
    auto *reader = static_cast<redisReader *>(hiredisReader);
    for (;;) {
        void *raw = nullptr;
        if (redisReaderGetReply(reader, &raw) != REDIS_OK) {
            onSocketGone(u"protocol error: "_s + QString::fromUtf8(reader->errstr));
            return false;
        }
        if (!raw)
            return true;
        const RedisReply reply = fromHiredis(static_cast<redisReply *>(raw));
        freeReplyObject(raw);
        if (m_callbacks.empty()) {
            onSocketGone(u"a reply nobody asked for"_s);
            return false;
        }
        dispatch(reply);
        // A callback may have closed the connection (and reset the reader).
        if (!m_socket || reader != m_reader.get())
            return false;
    }
}

void RedisConnection::dispatch(const RedisReply &reply)
{
    Owed &owed = m_callbacks.front();
    const std::shared_ptr<const Callback> callback = owed.callback;
    --m_owedReplies;
    if (--owed.replies == 0)
        m_callbacks.pop_front();
    if (callback)
        (*callback)(reply);
}

void RedisConnection::onSocketGone(const QString &reason)
{
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
    m_ready = false;
    failAll(reason);
    if (!m_reportedDown) {
        m_reportedDown = true;
        emit disconnected(reason);
    }
    if (m_wanted)
        m_reconnectTimer.start();
}

void RedisConnection::failAll(const QString &reason)
{
    std::deque<Owed> owed;
    owed.swap(m_callbacks);
    m_owedReplies = 0;
    const RedisReply lost = RedisReply::error(reason.toUtf8(), true);
    for (const Owed &command : owed) {
        if (!command.callback)
            continue;
        for (qsizetype i = 0; i < command.replies; ++i)
            (*command.callback)(lost);
    }
}

QByteArray RedisConnection::format(const QByteArrayList &arguments)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(arguments.size()));
    lengths.reserve(size_t(arguments.size()));
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    char *command = nullptr;
    const int length
            = redisFormatCommandArgv(&command, int(argv.size()), argv.data(), lengths.data());
    if (length < 0)
        return {};
    QByteArray encoded(command, length);
    redisFreeCommand(command);
    return encoded;
}

void RedisConnection::send(const QByteArrayList &arguments, Callback callback)
{
    if (!m_ready) {
        if (callback)
            callback(RedisReply::error("not connected"_ba, true));
        return;
    }
    sendRaw(arguments, std::move(callback));
}

void RedisConnection::sendRaw(const QByteArrayList &arguments, Callback callback)
{
    const QByteArray command = RespWriter::encode(arguments);
    m_callbacks.push_back(
            {callback ? std::make_shared<const Callback>(std::move(callback)) : nullptr});
    ++m_owedReplies;
    // Not write(QByteArray): Qt keeps each of those as a chunk of its own and sends one chunk
    // per turn of the event loop. The bytes join its write buffer instead.
    m_socket->write(command.constData(), command.size());
}

void RedisConnection::sendPipeline(const QByteArray &commands, qsizetype count, Callback callback)
{
    if (count <= 0)
        return;
    if (!m_ready) {
        const RedisReply lost = RedisReply::error("not connected"_ba, true);
        for (qsizetype i = 0; callback && i < count; ++i)
            callback(lost);
        return;
    }
    // Owed before the write: a write that fails answers it as lost at once.
    m_callbacks.push_back(
            {callback ? std::make_shared<const Callback>(std::move(callback)) : nullptr, count});
    m_owedReplies += count;
    m_socket->write(commands);
    // Out now, as much as the kernel takes, rather than at the next turn of the event loop:
    // Redis works on the first commands while the caller encodes the next.
    m_socket->flush();
}

} // namespace Gatescope
