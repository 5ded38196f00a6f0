#include "ui/exportdialog.h"

#include "ui/format.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

ExportDialog::ExportDialog(qsizetype all, qsizetype filtered, qsizetype selected, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export messages"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;

    m_format = new QComboBox(this);
    m_format->addItem(tr("CSV (spreadsheets)"), int(ExportFormat::Csv));
    m_format->addItem(tr("JSON Lines (one object per line)"), int(ExportFormat::JsonLines));
    form->addRow(tr("&Format:"), m_format);

    auto *scopes = new QVBoxLayout;
    const QString labels[3]
            = {tr("All messages kept (%1)"), tr("Messages matching the filter (%1)"),
               tr("Selected messages (%1)")};
    const qsizetype counts[3] = {all, filtered, selected};
    for (int i = 0; i < 3; ++i) {
        m_scopes[i] = new QRadioButton(labels[i].arg(Format::count(quint64(counts[i]))), this);
        m_scopes[i]->setEnabled(counts[i] > 0);
        scopes->addWidget(m_scopes[i]);
    }
    // The file should match what the user sees: default to the filtered view.
    m_scopes[selected > 1 ? 2 : 1]->setChecked(true);
    form->addRow(tr("Messages:"), scopes);

    m_bom = new QCheckBox(tr("Byte order mark (Excel detects UTF-8)"), this);
    m_bom->setChecked(true);
    form->addRow(tr("CSV:"), m_bom);
    m_delimiter = new QComboBox(this);
    m_delimiter->addItem(tr("Comma  ,"), u","_s);
    m_delimiter->addItem(tr("Semicolon  ;  (Excel in comma-decimal locales)"), u";"_s);
    form->addRow(tr("&Delimiter:"), m_delimiter);

    auto *pathRow = new QHBoxLayout;
    m_path = new QLineEdit(this);
    m_path->setObjectName(u"exportPath"_s);
    auto *browse = new QPushButton(tr("Browse…"), this);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    form->addRow(tr("&File:"), pathRow);
    layout->addLayout(form);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const bool csv = format() == ExportFormat::Csv;
        const QString file = QFileDialog::getSaveFileName(this, tr("Export to"), m_path->text(),
                                                          csv ? tr("CSV files (*.csv)")
                                                              : tr("JSON Lines files (*.jsonl)"));
        if (!file.isEmpty())
            m_path->setText(file);
    });
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        const bool csv = format() == ExportFormat::Csv;
        m_bom->setEnabled(csv);
        m_delimiter->setEnabled(csv);
        updateSuffix();
    });
}

void ExportDialog::updateSuffix()
{
    const QString path = m_path->text();
    if (path.isEmpty())
        return;
    const QFileInfo info(path);
    const QString suffix = format() == ExportFormat::Csv ? u"csv"_s : u"jsonl"_s;
    if (info.suffix() == u"csv"_s || info.suffix() == u"jsonl"_s)
        m_path->setText(info.path() + u'/' + info.completeBaseName() + u'.' + suffix);
}

ExportFormat ExportDialog::format() const
{
    return ExportFormat(m_format->currentData().toInt());
}

ExportDialog::Scope ExportDialog::scope() const
{
    if (m_scopes[0]->isChecked())
        return Scope::All;
    if (m_scopes[2]->isChecked())
        return Scope::Selected;
    return Scope::Filtered;
}

CsvOptions ExportDialog::csvOptions() const
{
    CsvOptions options;
    options.byteOrderMark = m_bom->isChecked();
    options.delimiter = m_delimiter->currentData().toString() == u";"_s ? ';' : ',';
    return options;
}

QString ExportDialog::path() const
{
    return m_path->text().trimmed();
}

void ExportDialog::setPath(const QString &path)
{
    m_path->setText(path);
    updateSuffix();
}

void ExportDialog::accept()
{
    if (path().isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("Choose a file to export to."));
        return;
    }
    QDialog::accept();
}

} // namespace Gatescope::Ui
