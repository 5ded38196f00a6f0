#pragma once

#include "core/gateway/gatewaytypes.h"
#include "core/gateway/proxysettings.h"
#include "core/gateway/zlibstreaminflater.h"
#include "core/gateway/zstdstreaminflater.h"

#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QWebSocket>

namespace Gatescope {

/// The transport of one gateway connection at a time: the QWebSocket and the compressed stream
/// (zlib-stream or zstd-stream, behind StreamInflater) that turn frames into payloads. It knows
/// nothing of the protocol; GatewayClient's session logic decides what a payload, a close or a
/// failure means.
///
/// One socket per open(): the previous one is retired with its signals cut, so late events of a
/// dead socket never reach the client, and the compressed stream starts fresh on every open.
///
/// Lives in, and is used from, the thread of its parent (the client, which owns it).
class GatewayTransport : public QObject
{
    Q_OBJECT

public:
    explicit GatewayTransport(QObject *parent = nullptr);
    ~GatewayTransport() override;

    /// Opens a new socket for @p request (any current one must have been retired).
    /// @p compression tells whether binary frames carry a zlib or a zstd stream.
    void open(const QNetworkRequest &request, Compression compression, qint64 maxPayloadBytes);
    /// Ends the current socket with @p closeCode (when open) and cuts its signals; it goes away
    /// once the peer answered the close, or after 2 s.
    void retire(int closeCode, const QString &reason);
    /// A socket exists (being opened, or open).
    bool isActive() const { return m_socket != nullptr; }
    /// The current socket is open and can send.
    bool isConnected() const;
    /// The handshake of the last socket opened completed (kept after it closed).
    bool wasOpened() const { return m_opened; }
    /// Sends one text payload; false when not connected.
    bool send(const QByteArray &json);
    /// The proxy the next open() goes through (resolved per URL for the system proxy). A failed
    /// open that is the proxy's fault names the proxy (host:port, never its password).
    void setProxy(const ProxySettings &proxy) { m_proxySettings = proxy; }

signals:
    /// The WebSocket handshake completed.
    void opened();
    /// Bytes arrived on the wire (compressed size for zlib-stream and zstd-stream).
    void wireBytesReceived(qsizetype bytes);
    /// One whole payload, inflated; @p wireBytes the size of the frame that completed it.
    /// @p json is valid only while the signal is delivered (connect directly): for zlib-stream
    /// (and zstd-stream) it is a view of the inflater's buffer, and @p padded then says that
    /// EventDecoder::PaddingBytes readable bytes follow it, so it can be decoded without a copy.
    void payloadReceived(QByteArrayView json, qsizetype wireBytes, bool padded);
    /// The stream is unusable (corrupt zlib or zstd, a binary frame on an uncompressed
    /// connection); @p reason names the compression that failed.
    void streamFailed(const QString &reason);
    /// The socket could not be opened (before the handshake).
    void openFailed(const QString &reason);
    /// The socket closed: @p code (1006 for a drop without a close frame) and reason.
    void closed(int code, const QString &reason, bool wasOpen);

private:
    void onBinaryMessage(const QByteArray &message);
    void onTextMessage(const QString &message);
    void onDisconnected();
    void onSocketError();
    /// When the current socket failed because of its proxy: retires it, emits openFailed()
    /// naming the proxy, and returns true.
    bool reportProxyFailure();

    QPointer<QWebSocket> m_socket;
    StreamInflater *inflaterFor(Compression compression);

    ZlibStreamInflater m_zlibInflater;
    ZstdStreamInflater m_zstdInflater;
    StreamInflater *m_inflater = nullptr; ///< the one of the current connection, or none
    bool m_opened = false;
    ProxySettings m_proxySettings;
    QNetworkProxy m_proxy; ///< what the current socket goes through
};

} // namespace Gatescope
