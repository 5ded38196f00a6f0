#include "ui/shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
/// "&Split right…" → "Split right".
QString plainText(const QAction *action)
{
    QString text = action->text();
    text.remove(QRegularExpression(u"&(?!&)"_s));
    text.replace(u"&&"_s, u"&"_s);
    if (text.endsWith(u'…'))
        text.chop(1);
    return text;
}

void collect(const QMenu *menu, const QString &path, QSet<const QAction *> *seen,
             QList<ShortcutsDialog::Entry> *out)
{
    const QList<QAction *> actions = menu->actions();
    for (const QAction *action : actions) {
        if (action->menu()) {
            collect(action->menu(), path + plainText(action) + u" › "_s, seen, out);
            continue;
        }
        if (action->isSeparator() || action->shortcuts().isEmpty() || seen->contains(action))
            continue;
        seen->insert(action);
        QStringList keys;
        const QList<QKeySequence> shortcuts = action->shortcuts();
        for (const QKeySequence &shortcut : shortcuts)
            keys << shortcut.toString(QKeySequence::NativeText);
        out->append({path + plainText(action), keys.join(u", "_s)});
    }
}
} // namespace

QList<ShortcutsDialog::Entry> ShortcutsDialog::entries(const QMenuBar *menuBar)
{
    QList<Entry> out;
    QSet<const QAction *> seen;
    const QList<QAction *> menus = menuBar->actions();
    for (const QAction *menuAction : menus) {
        if (menuAction->menu())
            collect(menuAction->menu(), plainText(menuAction) + u" › "_s, &seen, &out);
    }
    return out;
}

ShortcutsDialog::ShortcutsDialog(const QList<Entry> &entries, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"shortcutsDialog"_s);
    setWindowTitle(tr("Keyboard shortcuts"));
    auto *layout = new QVBoxLayout(this);
    m_table = new QTableWidget(int(entries.size()), 2, this);
    m_table->setObjectName(u"shortcutsTable"_s);
    m_table->setHorizontalHeaderLabels({tr("Action"), tr("Keys")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    for (int row = 0; row < entries.size(); ++row) {
        m_table->setItem(row, 0, new QTableWidgetItem(entries.at(row).action));
        m_table->setItem(row, 1, new QTableWidgetItem(entries.at(row).keys));
    }
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    layout->addWidget(m_table);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
    resize(480, 520);
}

} // namespace Gatescope::Ui
