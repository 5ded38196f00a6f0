#pragma once

#include <QJsonObject>
#include <QPair>
#include <QWidget>
#include <functional>

class QToolButton;

namespace Gatescope {
class Directory;
class MessageFilterModel;
class MessageModel;
class MessageStore;
} // namespace Gatescope

namespace Gatescope::Ui {

class FeedView;
class FilterBar;
class HighlightRules;

/// One feed of the window: a filter bar, the feed view and its pause and jump controls, over a
/// MessageFilterModel of its own. Every pane shows the one shared store (no message is kept
/// twice); each has its own filter, channel selection (the filter bar's scope), pause state,
/// column layout and scroll position.
///
/// saveState()/restoreState() carry all of that as JSON (ids as strings), for FeedArea's saved
/// layout. GUI thread only; the store, model, directory and rules are the window's.
class FeedPane : public QWidget
{
    Q_OBJECT

public:
    FeedPane(MessageModel *model, MessageStore *store, Directory *directory,
             HighlightRules *highlights, QWidget *parent = nullptr);

    MessageFilterModel *filterModel() const { return m_filter; }
    FeedView *feedView() const { return m_feed; }
    FilterBar *filterBar() const { return m_filterBar; }
    QToolButton *pauseButton() const { return m_pauseButton; }
    QToolButton *jumpButton() const { return m_jumpButton; }

    bool isPaused() const;
    /// The guild and channel the pane is restricted to (0 and 0: every channel).
    quint64 selectedGuildId() const { return m_guildId; }
    quint64 selectedChannelId() const { return m_channelId; }
    /// A short name for tab titles: the selected channel or guild, else the query, else "All".
    QString title() const;

    /// Marks the pane as the window's current one (an accent line, when @p shown).
    void setCurrent(bool current, bool shown);
    bool isCurrent() const { return m_current; }

    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);

    /// Turns a selection into its filter term and chip label. The window sets the Servers tree's
    /// (a category selects its channels, the "Direct messages" row `is:dm`); without one a
    /// channel is `in:ID` and a guild `guild:ID`.
    using LocationResolver
            = std::function<QPair<QString, QString>(quint64 guildId, quint64 channelId)>;
    void setLocationResolver(LocationResolver resolver);

public slots:
    void setPaused(bool paused);
    void jumpToNewest();
    /// Restricts the pane to @p channelId (in any guild), or to @p guildId when the channel is
    /// 0; both 0 shows every channel again. Names come from the directory.
    void selectChannel(quint64 guildId, quint64 channelId);
    /// Makes the row of the next message below the current one that mentions someone current
    /// (wrapping to the top). False when no shown message has a mention.
    bool nextMention();
    void focusFilter();

signals:
    void pausedChanged(bool paused);
    /// The title changed (channel selection or query).
    void titleChanged(const QString &title);
    /// The feed's current row changed (the details pane follows the current pane).
    void currentMessageChanged();

private:
    void updateTitle();

    MessageStore *m_store;
    Directory *m_directory;
    MessageFilterModel *m_filter = nullptr;
    FilterBar *m_filterBar = nullptr;
    FeedView *m_feed = nullptr;
    QWidget *m_accent = nullptr;
    QToolButton *m_pauseButton = nullptr;
    QToolButton *m_jumpButton = nullptr;
    quint64 m_guildId = 0;
    quint64 m_channelId = 0;
    bool m_current = false;
    QString m_title;
    LocationResolver m_resolver;
};

} // namespace Gatescope::Ui
