#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace Gatescope::Ui {

class DisconnectHistoryModel;

/// The disconnect history dock: a banner for a fatal close (with the fix, e.g. which intent to
/// enable for 4014) above the table of every disconnect.
class DisconnectHistoryPanel : public QWidget
{
    Q_OBJECT

public:
    explicit DisconnectHistoryPanel(DisconnectHistoryModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    /// Shows the fatal close prominently; an empty text hides the banner.
    void setFatal(int closeCode, const QString &explanation);
    QString fatalText() const;

private:
    QLabel *m_banner = nullptr;
    QTableView *m_view = nullptr;
};

} // namespace Gatescope::Ui
