#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QToolButton;

namespace Gatescope::Ui {

class FrameFilterModel;
class FrameModel;

/// The raw frames dock: every frame in and out (time, direction, op, t, s, size), a filter by
/// op or type, pause, and the selected frame's JSON pretty-printed below, token redacted.
class FramesPanel : public QWidget
{
    Q_OBJECT

public:
    explicit FramesPanel(FrameModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    FrameFilterModel *filterModel() const { return m_filter; }
    QLineEdit *filterEdit() const { return m_filterEdit; }
    QPlainTextEdit *jsonView() const { return m_json; }
    QToolButton *pauseButton() const { return m_pause; }

private:
    void updateStatus();
    void showSelected();

    FrameModel *m_model;
    FrameFilterModel *m_filter = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QToolButton *m_pause = nullptr;
    QLabel *m_status = nullptr;
    QTableView *m_view = nullptr;
    QPlainTextEdit *m_json = nullptr;
    bool m_atBottom = true;
};

} // namespace Gatescope::Ui
