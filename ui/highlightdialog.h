#pragma once

#include "ui/highlightrules.h"

#include <QDialog>

class QLabel;
class QTableWidget;

namespace Gatescope::Ui {

/// Edits the highlight rules: a query in the filter language, a colour and whether to notify.
class HighlightDialog : public QDialog
{
    Q_OBJECT

public:
    explicit HighlightDialog(const QList<HighlightRules::Rule> &rules, QWidget *parent = nullptr);

    /// The rules as edited (rows with an empty query are dropped).
    QList<HighlightRules::Rule> rules() const;

public slots:
    void accept() override;

private:
    void addRow(const HighlightRules::Rule &rule);
    void setRowColor(int row, const QColor &color);

    QTableWidget *m_table = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace Gatescope::Ui
