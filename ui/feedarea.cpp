#include "ui/feedarea.h"

#include "ui/feedpane.h"
#include "ui/feedview.h"
#include "ui/icons.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSplitter>
#include <QTabBar>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
const auto VersionKey = u"version"_s;
const auto TabsKey = u"tabs"_s;
const auto CurrentTabKey = u"currentTab"_s;
const auto CurrentPaneKey = u"currentPane"_s;
const auto OrientationKey = u"orientation"_s;
const auto SizesKey = u"sizes"_s;
const auto ChildrenKey = u"children"_s;
const auto PaneKey = u"pane"_s;
constexpr int MaxTabTitle = 40;
} // namespace

FeedArea::FeedArea(MessageModel *model, MessageStore *store, Directory *directory,
                   HighlightRules *highlights, QWidget *parent)
    : QTabWidget(parent)
    , m_model(model)
    , m_store(store)
    , m_directory(directory)
    , m_highlights(highlights)
{
    setObjectName(u"feedArea"_s);
    setDocumentMode(true);
    setMovable(true);
    setTabsClosable(true);
    setTabBarAutoHide(true); // one tab looks like the single feed it is
    connect(this, &QTabWidget::tabCloseRequested, this, &FeedArea::closeTab);
    connect(this, &QTabWidget::currentChanged, this, [this](int index) {
        QWidget *root = widget(index);
        if (!root || m_restoring)
            return;
        FeedPane *pane = m_tabCurrent.value(root);
        if (!pane) {
            const QList<FeedPane *> tabPanes = panesOfTab(index);
            pane = tabPanes.isEmpty() ? nullptr : tabPanes.first();
        }
        setCurrentPane(pane);
    });
    connect(qApp, &QApplication::focusChanged, this,
            [this](QWidget *, QWidget *now) { onFocusChanged(now); });
    connect(this, &FeedArea::layoutChanged, this, &FeedArea::staggerRefreshes);
    connect(this, &QTabWidget::currentChanged, this, &FeedArea::staggerRefreshes);

    QSplitter *root = createSplitter(Qt::Horizontal);
    FeedPane *pane = createPane();
    root->addWidget(pane);
    addPaneTab(root);
    setCurrentPane(pane);
}

FeedArea::~FeedArea()
{
    // ~QWidget closes the window and ~QTabWidget removes the tabs after this body: the focus
    // and tab signals they send must not reach a FeedArea that is no longer one.
    disconnect(qApp, nullptr, this, nullptr);
    disconnect(this, nullptr, this, nullptr);
}

void FeedArea::setLocationResolver(const FeedPane::LocationResolver &resolver)
{
    m_resolver = resolver;
    const QList<FeedPane *> all = panes();
    for (FeedPane *pane : all)
        pane->setLocationResolver(resolver);
}

FeedPane *FeedArea::createPane()
{
    auto *pane = new FeedPane(m_model, m_store, m_directory, m_highlights);
    if (m_resolver)
        pane->setLocationResolver(m_resolver);
    connect(pane, &FeedPane::titleChanged, this, &FeedArea::updateTabTitles);
    emit paneCreated(pane);
    return pane;
}

QSplitter *FeedArea::createSplitter(Qt::Orientation orientation)
{
    auto *splitter = new QSplitter(orientation);
    splitter->setObjectName(u"feedSplitter"_s);
    splitter->setChildrenCollapsible(false);
    splitter->setHandleWidth(5);
    return splitter;
}

int FeedArea::addPaneTab(QSplitter *root)
{
    const int index = addTab(root, QString());
    updateTabTitle(index);
    return index;
}

void FeedArea::collectPanes(QWidget *node, QList<FeedPane *> *out)
{
    if (auto *pane = qobject_cast<FeedPane *>(node)) {
        out->append(pane);
        return;
    }
    if (auto *splitter = qobject_cast<QSplitter *>(node)) {
        for (int i = 0; i < splitter->count(); ++i)
            collectPanes(splitter->widget(i), out);
    }
}

FeedPane *FeedArea::currentPane() const
{
    return m_current;
}

QList<FeedPane *> FeedArea::panesOfTab(int tab) const
{
    QList<FeedPane *> out;
    collectPanes(widget(tab), &out);
    return out;
}

QList<FeedPane *> FeedArea::panes() const
{
    QList<FeedPane *> out;
    for (int tab = 0; tab < count(); ++tab)
        collectPanes(widget(tab), &out);
    return out;
}

void FeedArea::setCurrentPane(FeedPane *pane)
{
    if (!pane || pane == m_current)
        return;
    m_current = pane;
    for (int tab = 0; tab < count(); ++tab) {
        if (widget(tab)->isAncestorOf(pane)) {
            m_tabCurrent.insert(widget(tab), pane);
            if (currentIndex() != tab)
                setCurrentIndex(tab);
            break;
        }
    }
    updateAccents();
    emit currentPaneChanged(pane);
}

void FeedArea::onFocusChanged(QWidget *now)
{
    for (QWidget *w = now; w && w != this; w = w->parentWidget()) {
        if (auto *pane = qobject_cast<FeedPane *>(w)) {
            if (isAncestorOf(pane))
                setCurrentPane(pane);
            return;
        }
    }
}

void FeedArea::updateAccents()
{
    const bool several = panes().size() > 1;
    const QList<FeedPane *> all = panes();
    for (FeedPane *pane : all)
        pane->setCurrent(pane == m_current, several);
}

void FeedArea::staggerRefreshes()
{
    // The panes on screen share the refresh interval in turns: two panes repainting in one
    // turn of the event loop would stall it for as long as both take.
    const QList<FeedPane *> shown = panesOfTab(currentIndex());
    for (qsizetype i = 0; i < shown.size(); ++i)
        shown[i]->feedView()->setRefreshPhase(int(i * FeedView::RefreshIntervalMs / shown.size()));
}

void FeedArea::updateTabTitle(int index)
{
    QStringList titles;
    const QList<FeedPane *> tabPanes = panesOfTab(index);
    for (const FeedPane *pane : tabPanes)
        titles << pane->title();
    QString title = titles.join(u" | "_s);
    if (title.size() > MaxTabTitle)
        title = title.left(MaxTabTitle - 1) + u'…';
    setTabText(index, title);
    setTabToolTip(index, titles.join(u'\n'));
}

void FeedArea::updateTabTitles()
{
    for (int tab = 0; tab < count(); ++tab)
        updateTabTitle(tab);
}

FeedPane *FeedArea::splitCurrent(Qt::Orientation orientation)
{
    FeedPane *current = m_current;
    auto *parent = current ? qobject_cast<QSplitter *>(current->parentWidget()) : nullptr;
    if (!parent || paneCount() >= MaxPanes)
        return nullptr;
    FeedPane *pane = createPane();
    QJsonObject state = current->saveState();
    state.insert(u"paused"_s, false);
    pane->restoreState(state);

    const int index = parent->indexOf(current);
    if (parent->orientation() == orientation || parent->count() == 1) {
        QList<int> sizes = parent->sizes();
        parent->setOrientation(orientation);
        parent->insertWidget(index + 1, pane);
        if (sizes.size() == parent->count() - 1) {
            const int half = sizes.at(index) / 2;
            sizes[index] -= half;
            sizes.insert(index + 1, half);
            parent->setSizes(sizes);
        }
    } else {
        // Across the parent's direction: the pane and the new one share a splitter of their own.
        const QList<int> sizes = parent->sizes();
        QSplitter *nested = createSplitter(orientation);
        parent->replaceWidget(index, nested);
        nested->addWidget(current);
        nested->addWidget(pane);
        nested->setSizes({1, 1});
        parent->setSizes(sizes);
    }
    pane->show();
    updateTabTitles();
    setCurrentPane(pane);
    pane->setFocus(Qt::OtherFocusReason);
    emit layoutChanged();
    return pane;
}

FeedPane *FeedArea::newTab()
{
    if (paneCount() >= MaxPanes)
        return nullptr;
    QSplitter *root = createSplitter(Qt::Horizontal);
    FeedPane *pane = createPane();
    root->addWidget(pane);
    addPaneTab(root);
    setCurrentPane(pane);
    pane->setFocus(Qt::OtherFocusReason);
    emit layoutChanged();
    return pane;
}

bool FeedArea::closeCurrentPane()
{
    return closePane(m_current);
}

bool FeedArea::closePane(FeedPane *pane)
{
    if (!pane || paneCount() <= 1)
        return false;
    auto *parent = qobject_cast<QSplitter *>(pane->parentWidget());
    if (!parent)
        return false;
    const int index = parent->indexOf(pane);
    delete pane; // QSplitter drops a deleted child
    // The neighbour of the closed pane (or what took its splitter's place) becomes current.
    QWidget *neighbour
            = parent->count() > 0 ? parent->widget(std::min(index, parent->count() - 1)) : nullptr;
    if (parent->count() == 0) {
        // The tab's root splitter is empty: the tab goes.
        const int tab = indexOf(parent);
        m_tabCurrent.remove(parent);
        removeTab(tab);
        parent->deleteLater();
    } else if (parent->count() == 1 && indexOf(parent) < 0) {
        // A nested splitter with one child left: the child takes its place.
        auto *grandParent = qobject_cast<QSplitter *>(parent->parentWidget());
        if (grandParent) {
            const QList<int> sizes = grandParent->sizes();
            grandParent->replaceWidget(grandParent->indexOf(parent), neighbour);
            grandParent->setSizes(sizes);
            parent->deleteLater();
        }
    }
    QList<FeedPane *> near;
    if (neighbour)
        collectPanes(neighbour, &near);
    FeedPane *next = near.value(0);
    if (!next)
        next = panesOfTab(currentIndex()).value(0);
    m_current = nullptr;
    setCurrentPane(next);
    updateTabTitles();
    updateAccents();
    emit layoutChanged();
    return true;
}

void FeedArea::closeTab(int index)
{
    if (count() <= 1)
        return;
    const QList<FeedPane *> tabPanes = panesOfTab(index);
    for (FeedPane *pane : tabPanes)
        closePane(pane);
}

QJsonObject FeedArea::saveNode(QWidget *node) const
{
    if (auto *pane = qobject_cast<FeedPane *>(node))
        return {{PaneKey, pane->saveState()}};
    QJsonObject object;
    auto *splitter = qobject_cast<QSplitter *>(node);
    if (!splitter)
        return object;
    object.insert(OrientationKey,
                  splitter->orientation() == Qt::Horizontal ? u"horizontal"_s : u"vertical"_s);
    QJsonArray sizes;
    const QList<int> splitterSizes = splitter->sizes();
    for (int size : splitterSizes)
        sizes.append(size);
    object.insert(SizesKey, sizes);
    QJsonArray children;
    for (int i = 0; i < splitter->count(); ++i)
        children.append(saveNode(splitter->widget(i)));
    object.insert(ChildrenKey, children);
    return object;
}

QByteArray FeedArea::saveLayout() const
{
    QJsonArray tabs;
    for (int tab = 0; tab < count(); ++tab)
        tabs.append(saveNode(widget(tab)));
    QJsonObject layout;
    layout.insert(VersionKey, LayoutVersion);
    layout.insert(TabsKey, tabs);
    layout.insert(CurrentTabKey, currentIndex());
    layout.insert(CurrentPaneKey, int(panes().indexOf(m_current)));
    return QJsonDocument(layout).toJson(QJsonDocument::Compact);
}

QWidget *FeedArea::restoreNode(const QJsonObject &node, int depth, int *paneCount,
                               QList<FeedPane *> *created)
{
    if (depth > MaxDepth)
        return nullptr;
    if (node.value(PaneKey).isObject()) {
        if (++*paneCount > MaxPanes)
            return nullptr;
        FeedPane *pane = createPane();
        created->append(pane);
        pane->restoreState(node.value(PaneKey).toObject());
        return pane;
    }
    const QString orientation = node.value(OrientationKey).toString();
    const QJsonArray children = node.value(ChildrenKey).toArray();
    if ((orientation != u"horizontal"_s && orientation != u"vertical"_s) || children.isEmpty())
        return nullptr;
    QSplitter *splitter
            = createSplitter(orientation == u"horizontal"_s ? Qt::Horizontal : Qt::Vertical);
    for (const QJsonValue &child : children) {
        QWidget *widget = restoreNode(child.toObject(), depth + 1, paneCount, created);
        if (!widget) {
            delete splitter;
            return nullptr;
        }
        splitter->addWidget(widget);
    }
    QList<int> sizes;
    const QJsonArray savedSizes = node.value(SizesKey).toArray();
    for (const QJsonValue &size : savedSizes)
        sizes.append(std::max(0, size.toInt()));
    if (sizes.size() == splitter->count())
        splitter->setSizes(sizes);
    return splitter;
}

bool FeedArea::restoreLayout(const QByteArray &json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    const QJsonObject layout = document.object();
    const QJsonArray tabs = layout.value(TabsKey).toArray();
    if (layout.value(VersionKey).toInt() != LayoutVersion || tabs.isEmpty())
        return false;
    QList<QWidget *> roots;
    QList<FeedPane *> created;
    int paneTotal = 0;
    for (const QJsonValue &tab : tabs) {
        QWidget *root = restoreNode(tab.toObject(), 0, &paneTotal, &created);
        // A tab's root is always a splitter, so a split has a parent to go into.
        if (root && !qobject_cast<QSplitter *>(root)) {
            QSplitter *splitter = createSplitter(Qt::Horizontal);
            splitter->addWidget(root);
            root = splitter;
        }
        if (!root) {
            qDeleteAll(roots);
            return false;
        }
        roots.append(root);
    }
    // Valid: the old layout goes, the restored one takes its place.
    m_current = nullptr;
    m_tabCurrent.clear();
    m_restoring = true;
    while (count() > 0) {
        QWidget *old = widget(0);
        removeTab(0);
        delete old;
    }
    for (QWidget *root : std::as_const(roots))
        addPaneTab(static_cast<QSplitter *>(root));
    m_restoring = false;
    const QList<FeedPane *> all = panes();
    const int currentPane = layout.value(CurrentPaneKey).toInt();
    setCurrentIndex(std::clamp(layout.value(CurrentTabKey).toInt(), 0, int(count()) - 1));
    setCurrentPane(currentPane >= 0 && currentPane < all.size()
                           ? all.at(currentPane)
                           : panesOfTab(currentIndex()).value(0));
    updateTabTitles();
    updateAccents();
    emit layoutChanged();
    return true;
}

} // namespace Gatescope::Ui
