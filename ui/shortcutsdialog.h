#pragma once

#include <QDialog>

class QMenuBar;
class QTableWidget;

namespace Gatescope::Ui {

/// Help → Keyboard shortcuts: a table of every menu action that has a shortcut, read from the
/// menus when it opens, so it cannot drift from what the keys really do.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    /// One row: where the action is ("Feed › Split right") and its keys ("Ctrl+Shift+R").
    struct Entry
    {
        QString action;
        QString keys;
    };

    /// The entries of @p menuBar's menus (submenus included), in menu order, each action once.
    static QList<Entry> entries(const QMenuBar *menuBar);

    explicit ShortcutsDialog(const QList<Entry> &entries, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table = nullptr;
};

} // namespace Gatescope::Ui
