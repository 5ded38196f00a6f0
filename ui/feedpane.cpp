#include "ui/feedpane.h"

#include "core/store/directory.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "ui/feeddelegate.h"
#include "ui/feedview.h"
#include "ui/filterbar.h"
#include "ui/icons.h"
#include "ui/relativetimerefresher.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
const auto QueryKey = u"query"_s;
const auto TogglesKey = u"toggles"_s;
const auto GuildKey = u"guild"_s;
const auto ChannelKey = u"channel"_s;
const auto PausedKey = u"paused"_s;
const auto HeaderKey = u"header"_s;

/// Snowflakes travel as strings in JSON: a double would lose their low bits.
quint64 idFrom(const QJsonValue &value)
{
    return value.toString().toULongLong();
}
} // namespace

FeedPane::FeedPane(MessageModel *model, MessageStore *store, Directory *directory,
                   HighlightRules *highlights, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_directory(directory)
{
    setObjectName(u"feedPane"_s);
    m_filter = new MessageFilterModel(this);
    m_filter->setMessageModel(model);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    // A thin line on top marks the current pane (the one the details and the tree act on) when
    // the window shows more than one.
    m_accent = new QWidget(this);
    m_accent->setObjectName(u"paneAccent"_s);
    m_accent->setFixedHeight(2);
    m_accent->setAutoFillBackground(true);
    layout->addWidget(m_accent);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 6, 0);
    top->setSpacing(2);
    m_filterBar = new FilterBar(m_filter, store, this);
    top->addWidget(m_filterBar, 1);
    m_pauseButton = new QToolButton(this);
    m_pauseButton->setObjectName(u"panePause"_s);
    m_pauseButton->setCheckable(true);
    m_pauseButton->setAutoRaise(true);
    m_pauseButton->setIcon(Icons::icon(Icons::Kind::Pause));
    m_pauseButton->setToolTip(tr("Hold this feed still; messages are still received"));
    top->addWidget(m_pauseButton, 0, Qt::AlignTop);
    m_jumpButton = new QToolButton(this);
    m_jumpButton->setObjectName(u"paneJump"_s);
    m_jumpButton->setAutoRaise(true);
    m_jumpButton->setIcon(Icons::icon(Icons::Kind::JumpToNewest));
    m_jumpButton->setToolTip(tr("Jump to the newest message"));
    top->addWidget(m_jumpButton, 0, Qt::AlignTop);
    layout->addLayout(top);

    m_feed = new FeedView(this);
    m_feed->setObjectName(u"feedView"_s);
    m_feed->setModel(m_filter);
    auto *delegate = new FeedDelegate(highlights, m_feed, store);
    m_feed->setItemDelegate(delegate);
    new RelativeTimeRefresher(m_feed, delegate, MessageModel::ContentColumn);
    QHeaderView *header = m_feed->horizontalHeader();
    const QFontMetrics fm = m_feed->fontMetrics();
    header->resizeSection(MessageModel::TimeColumn, fm.horizontalAdvance(u"00:00:00.000"_s) + 16);
    header->resizeSection(MessageModel::GuildColumn, fm.horizontalAdvance(u"Guild name here"_s));
    header->resizeSection(MessageModel::ChannelColumn,
                          fm.horizontalAdvance(u"#channel-name"_s) + 16);
    header->resizeSection(MessageModel::AuthorColumn,
                          fm.horizontalAdvance(u"Author name BOT"_s) + 20);
    header->resizeSection(MessageModel::FlagsColumn,
                          fm.horizontalAdvance(u"edited deleted"_s) + 30);
    header->setSectionResizeMode(MessageModel::ContentColumn, QHeaderView::Stretch);
    header->setSectionsMovable(true);
    layout->addWidget(m_feed, 1);
    setFocusProxy(m_feed);

    connect(m_pauseButton, &QToolButton::toggled, m_feed, &FeedView::setPaused);
    connect(m_feed, &FeedView::pausedChanged, this, [this](bool paused) {
        const QSignalBlocker blocker(m_pauseButton);
        m_pauseButton->setChecked(paused);
        m_pauseButton->setIcon(Icons::icon(paused ? Icons::Kind::Play : Icons::Kind::Pause));
        emit pausedChanged(paused);
    });
    connect(m_jumpButton, &QToolButton::clicked, this, &FeedPane::jumpToNewest);
    connect(m_feed->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &FeedPane::currentMessageChanged);
    connect(m_filterBar, &FilterBar::queryApplied, this, &FeedPane::updateTitle);
    connect(directory, &Directory::changed, this, [this] {
        if (m_guildId != 0 || m_channelId != 0)
            selectChannel(m_guildId, m_channelId); // the names may be known now
    });
    setCurrent(false, false);
    updateTitle();
}

bool FeedPane::isPaused() const
{
    return m_feed->isPaused();
}

void FeedPane::setPaused(bool paused)
{
    m_feed->setPaused(paused);
}

void FeedPane::jumpToNewest()
{
    m_feed->jumpToNewest();
}

void FeedPane::focusFilter()
{
    m_filterBar->focusQuery();
}

void FeedPane::selectChannel(quint64 guildId, quint64 channelId)
{
    m_guildId = guildId;
    m_channelId = channelId;
    if (m_resolver && (guildId != 0 || channelId != 0)) {
        const auto [term, label] = m_resolver(guildId, channelId);
        m_filterBar->setScope(term, label);
    } else if (channelId != 0) {
        m_filterBar->setScope(u"in:"_s + QString::number(channelId),
                              m_directory->channelLabel(channelId));
    } else if (guildId != 0) {
        const QString name = m_directory->guildName(guildId);
        m_filterBar->setScope(u"guild:"_s + QString::number(guildId),
                              name.isEmpty() ? QString::number(guildId) : name);
    } else {
        m_filterBar->setScope(QString(), QString());
    }
    updateTitle();
}

void FeedPane::setLocationResolver(LocationResolver resolver)
{
    m_resolver = std::move(resolver);
    if (m_guildId != 0 || m_channelId != 0)
        selectChannel(m_guildId, m_channelId);
}

bool FeedPane::nextMention()
{
    const int rows = m_filter->rowCount();
    if (rows == 0)
        return false;
    const int start = m_feed->currentIndex().isValid() ? m_feed->currentIndex().row() + 1 : 0;
    for (int step = 0; step < rows; ++step) {
        const QModelIndex index
                = m_filter->index((start + step) % rows, MessageModel::ContentColumn);
        if (index.data(MessageModel::StateRole).toInt() & MessageModel::Mentioned) {
            m_feed->setCurrentIndex(index);
            m_feed->scrollTo(index, QAbstractItemView::PositionAtCenter);
            return true;
        }
    }
    return false;
}

QString FeedPane::title() const
{
    return m_title;
}

void FeedPane::updateTitle()
{
    QString title = m_filterBar->scopeLabel();
    const QString query = m_filterBar->query().trimmed();
    if (!query.isEmpty())
        title = title.isEmpty() ? query : title + u' ' + query;
    if (title.isEmpty())
        title = tr("All messages");
    if (title.size() > 28)
        title = title.left(27) + u'…';
    if (title == m_title)
        return;
    m_title = title;
    emit titleChanged(title);
}

void FeedPane::setCurrent(bool current, bool shown)
{
    m_current = current;
    QPalette palette = m_accent->palette();
    palette.setColor(QPalette::Window,
                     current && shown ? palette.color(QPalette::Highlight) : Qt::transparent);
    m_accent->setPalette(palette);
}

QJsonObject FeedPane::saveState() const
{
    QJsonObject state;
    state.insert(QueryKey, m_filterBar->query());
    state.insert(TogglesKey, QJsonArray::fromStringList(m_filterBar->checkedToggles()));
    if (m_guildId != 0)
        state.insert(GuildKey, QString::number(m_guildId));
    if (m_channelId != 0)
        state.insert(ChannelKey, QString::number(m_channelId));
    state.insert(PausedKey, isPaused());
    state.insert(HeaderKey,
                 QString::fromLatin1(m_feed->horizontalHeader()->saveState().toBase64()));
    return state;
}

void FeedPane::restoreState(const QJsonObject &state)
{
    const QByteArray header = QByteArray::fromBase64(state.value(HeaderKey).toString().toLatin1());
    if (!header.isEmpty())
        m_feed->horizontalHeader()->restoreState(header);
    QStringList toggles;
    const QJsonArray checked = state.value(TogglesKey).toArray();
    for (const QJsonValue &term : checked)
        toggles << term.toString();
    {
        // One filter pass for the whole state, not one per part.
        const QSignalBlocker blocker(m_filterBar->queryEdit());
        m_filterBar->queryEdit()->setText(state.value(QueryKey).toString());
    }
    m_filterBar->setCheckedToggles(toggles);
    selectChannel(idFrom(state.value(GuildKey)), idFrom(state.value(ChannelKey)));
    setPaused(state.value(PausedKey).toBool());
    updateTitle();
}

} // namespace Gatescope::Ui
