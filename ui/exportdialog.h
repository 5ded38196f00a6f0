#pragma once

#include "core/io/exporttypes.h"

#include <QDialog>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLineEdit;
class QRadioButton;

namespace Gatescope::Ui {

/// Asks what to export and where: CSV or JSON Lines; all, filtered or selected messages; the
/// byte order mark and delimiter for CSV.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Scope { All, Filtered, Selected };
    Q_ENUM(Scope)

    /// @p counts: how many messages each scope would write (shown next to the choice).
    ExportDialog(qsizetype all, qsizetype filtered, qsizetype selected, QWidget *parent = nullptr);

    ExportFormat format() const;
    Scope scope() const;
    CsvOptions csvOptions() const;
    QString path() const;
    void setPath(const QString &path);

public slots:
    void accept() override;

private:
    void updateSuffix();

    QComboBox *m_format = nullptr;
    QRadioButton *m_scopes[3] = {};
    QCheckBox *m_bom = nullptr;
    QComboBox *m_delimiter = nullptr;
    QLineEdit *m_path = nullptr;
};

} // namespace Gatescope::Ui
