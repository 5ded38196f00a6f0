#include "ui/highlightdialog.h"

#include "core/store/messagefilter.h"

#include <QColorDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
enum Column { QueryColumn, ColorColumn, NotifyColumn };
const QColor DefaultColors[] = {QColor(0xf2, 0xcc, 0x60), QColor(0x58, 0xa6, 0xff),
                                QColor(0x3f, 0xb9, 0x50), QColor(0xdb, 0x61, 0xa2)};
} // namespace

HighlightDialog::HighlightDialog(const QList<HighlightRules::Rule> &rules, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Highlights"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Messages matching a rule are tinted with its colour and counted. "
                                "With “notify”, a desktop notification is shown when the window "
                                "is not focused. Rules use the filter language, e.g. "
                                "<code>has:mention</code> or <code>from:alice \"deploy\"</code>."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_table = new QTableWidget(0, 3, this);
    m_table->setHorizontalHeaderLabels({tr("Query"), tr("Colour"), tr("Notify")});
    m_table->horizontalHeader()->setSectionResizeMode(QueryColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_table, 1);
    for (const HighlightRules::Rule &rule : rules)
        addRow(rule);

    auto *row = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add rule"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    row->addWidget(add);
    row->addWidget(remove);
    row->addStretch(1);
    layout->addLayout(row);

    m_error = new QLabel(this);
    m_error->setStyleSheet(u"color: #cf222e;"_s);
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &HighlightDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &HighlightDialog::reject);
    layout->addWidget(buttons);

    connect(add, &QPushButton::clicked, this, [this] {
        HighlightRules::Rule rule;
        rule.color = DefaultColors[m_table->rowCount() % std::size(DefaultColors)];
        addRow(rule);
        m_table->setCurrentCell(m_table->rowCount() - 1, QueryColumn);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, QueryColumn));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0)
            m_table->removeRow(m_table->currentRow());
    });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int r, int column) {
        if (column != ColorColumn)
            return;
        const QColor color = QColorDialog::getColor(
                m_table->item(r, ColorColumn)->data(Qt::UserRole).value<QColor>(), this);
        if (color.isValid())
            setRowColor(r, color);
    });
    resize(560, 340);
}

void HighlightDialog::addRow(const HighlightRules::Rule &rule)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, QueryColumn, new QTableWidgetItem(rule.query));
    auto *color = new QTableWidgetItem;
    color->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    color->setToolTip(tr("Double-click to choose"));
    m_table->setItem(row, ColorColumn, color);
    setRowColor(row, rule.color.isValid() ? rule.color : DefaultColors[0]);
    auto *notify = new QTableWidgetItem;
    notify->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    notify->setCheckState(rule.notify ? Qt::Checked : Qt::Unchecked);
    m_table->setItem(row, NotifyColumn, notify);
}

void HighlightDialog::setRowColor(int row, const QColor &color)
{
    QTableWidgetItem *item = m_table->item(row, ColorColumn);
    item->setData(Qt::UserRole, color);
    item->setBackground(color);
    item->setText(color.name());
}

QList<HighlightRules::Rule> HighlightDialog::rules() const
{
    QList<HighlightRules::Rule> rules;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        HighlightRules::Rule rule;
        rule.query = m_table->item(row, QueryColumn)->text().trimmed();
        rule.color = m_table->item(row, ColorColumn)->data(Qt::UserRole).value<QColor>();
        rule.notify = m_table->item(row, NotifyColumn)->checkState() == Qt::Checked;
        if (!rule.query.isEmpty())
            rules.append(rule);
    }
    return rules;
}

void HighlightDialog::accept()
{
    const QList<HighlightRules::Rule> list = rules();
    for (int i = 0; i < list.size(); ++i) {
        const MessageFilter filter = MessageFilter::parse(list.at(i).query);
        if (!filter.isValid()) {
            m_error->setText(tr("Rule “%1”: %2 (at character %3)")
                                     .arg(list.at(i).query, filter.errorString())
                                     .arg(filter.errorPosition() + 1));
            m_error->show();
            return;
        }
    }
    QDialog::accept();
}

} // namespace Gatescope::Ui
