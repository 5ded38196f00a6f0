#pragma once

#include "core/gateway/gatewayclient.h"

#include <QWidget>

namespace Gatescope::Ui {

/// A rounded, coloured pill showing a connection state ("● Ready"), used in the health dock and
/// the status bar.
class StateBadge : public QWidget
{
    Q_OBJECT

public:
    explicit StateBadge(QWidget *parent = nullptr);

    void setState(GatewayClient::State state);
    GatewayClient::State state() const { return m_state; }
    /// The text shown, e.g. "Ready".
    QString text() const;
    /// Smaller padding for the status bar.
    void setCompact(bool compact);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    GatewayClient::State m_state = GatewayClient::State::Disconnected;
    bool m_compact = false;
};

} // namespace Gatescope::Ui
