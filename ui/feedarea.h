#pragma once

#include "ui/feedpane.h"

#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QTabWidget>

class QSplitter;

namespace Gatescope {
class Directory;
class MessageModel;
class MessageStore;
} // namespace Gatescope

namespace Gatescope::Ui {

class HighlightRules;

/// The window's feeds: tabs, each a tree of QSplitters whose leaves are FeedPanes (splits side
/// by side or one above the other, nested as the user splits them). There is always at least
/// one pane.
///
/// The current pane is the one that last had the keyboard focus (or the new one, after a split
/// or a new tab); the window's details pane, pause action and channel selection act on it.
/// saveLayout()/restoreLayout() carry the tabs, the splits with their sizes and every pane's
/// state as JSON, so the layout survives a restart; a layout that cannot be read is refused
/// whole and leaves the current one. GUI thread only; the shared store and models are the
/// window's.
class FeedArea : public QTabWidget
{
    Q_OBJECT

public:
    static constexpr int LayoutVersion = 1;
    /// Limits for a restored layout (the settings file may have been edited by hand).
    static constexpr int MaxPanes = 32;
    static constexpr int MaxDepth = 8;

    FeedArea(MessageModel *model, MessageStore *store, Directory *directory,
             HighlightRules *highlights, QWidget *parent = nullptr);
    ~FeedArea() override;

    FeedPane *currentPane() const;
    /// Every pane, tab by tab, each tab's panes left to right and top to bottom.
    QList<FeedPane *> panes() const;
    QList<FeedPane *> panesOfTab(int tab) const;
    int paneCount() const { return int(panes().size()); }

    QByteArray saveLayout() const;
    /// Replaces the layout with @p json. False, leaving the layout as it was, for JSON that is
    /// not a layout of this version or exceeds MaxPanes / MaxDepth.
    bool restoreLayout(const QByteArray &json);
    /// The resolver every pane, present and future, turns its selection with.
    void setLocationResolver(const FeedPane::LocationResolver &resolver);

public slots:
    /// Splits the current pane: @p orientation Qt::Horizontal puts the new pane on its right,
    /// Qt::Vertical below it. The new pane starts with the current one's filter and selection,
    /// and becomes current.
    FeedPane *splitCurrent(Qt::Orientation orientation);
    /// A new tab with one pane showing every channel; it becomes current.
    FeedPane *newTab();
    /// Closes the current pane (a tab left empty goes too). False for the last pane.
    bool closeCurrentPane();
    bool closePane(FeedPane *pane);
    void setCurrentPane(FeedPane *pane);

signals:
    /// A pane was made (by a split, a new tab or a restore): the window wires it.
    void paneCreated(Gatescope::Ui::FeedPane *pane);
    void currentPaneChanged(Gatescope::Ui::FeedPane *pane);
    /// Panes were added, closed or moved.
    void layoutChanged();

private:
    FeedPane *createPane();
    QSplitter *createSplitter(Qt::Orientation orientation);
    int addPaneTab(QSplitter *root);
    void closeTab(int index);
    void onFocusChanged(QWidget *now);
    void updateTabTitle(int index);
    void updateTabTitles();
    void updateAccents();
    void staggerRefreshes();
    QJsonObject saveNode(QWidget *node) const;
    QWidget *restoreNode(const QJsonObject &node, int depth, int *panes,
                         QList<FeedPane *> *created);
    static void collectPanes(QWidget *node, QList<FeedPane *> *out);

    MessageModel *m_model;
    MessageStore *m_store;
    Directory *m_directory;
    HighlightRules *m_highlights;
    FeedPane::LocationResolver m_resolver;
    QPointer<FeedPane> m_current;
    bool m_restoring = false; ///< tabs are being replaced: no current-pane changes
    /// Each tab's root splitter → the pane last current in it (restored on switching tabs).
    QHash<QWidget *, QPointer<FeedPane>> m_tabCurrent;
};

} // namespace Gatescope::Ui
