#include "floorclient.h"

#include "core/gateway/payload.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;
using namespace Gatescope;

namespace {

/// A well-formed Identify (a strict server checks its shape); the token is never checked.
QString identifyText()
{
    const QJsonObject properties{
            {u"os"_s, u"linux"_s}, {u"browser"_s, u"floor"_s}, {u"device"_s, u"floor"_s}};
    return QString::fromUtf8(
            Payload::make(Opcode::Identify, QJsonObject{{u"token"_s, u"bench"_s},
                                                        {u"intents"_s, 37377},
                                                        {u"properties"_s, properties}})
                    .serialize());
}

} // namespace

FloorClient::FloorClient(qsizetype messages, bool parseJson, QObject *parent)
    : QObject(parent)
    , m_expected(messages + 2) // Hello, READY, the dispatches
    , m_parseJson(parseJson)
{
    m_socket.setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &frame) {
        QByteArray json;
        switch (m_inflater.feed(frame, &json)) {
        case ZlibStreamInflater::Result::PayloadReady:
            return onPayload(json);
        case ZlibStreamInflater::Result::NeedMoreData:
            return;
        case ZlibStreamInflater::Result::Error:
            return fail(u"inflate: "_s + m_inflater.errorString());
        }
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { onPayload(text.toUtf8()); });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        fail(u"disconnected after %1 of %2 payloads (close code %3 %4)"_s.arg(m_received)
                     .arg(m_expected)
                     .arg(int(m_socket.closeCode()))
                     .arg(m_socket.closeReason()));
    });
}

void FloorClient::open(const QUrl &url)
{
    m_socket.open(url);
}

double FloorClient::eventsPerSecond() const
{
    return m_elapsedNs > 0 ? double(m_expected - 2) / (double(m_elapsedNs) / 1e9) : 0.0;
}

void FloorClient::onPayload(const QByteArray &json)
{
    if (m_parseJson)
        (void)parsePayload(json);
    ++m_received;
    if (m_received == 1) // Hello
        m_socket.sendTextMessage(identifyText());
    else if (m_received == 2) // READY: the clock starts here, as for the clients compared
        m_timer.start();
    if (m_received == m_expected) {
        m_elapsedNs = m_timer.nsecsElapsed();
        m_done = true;
        m_socket.close();
        emit finished();
    }
}

void FloorClient::fail(const QString &reason)
{
    if (m_done)
        return;
    m_done = true;
    emit failed(reason);
}
