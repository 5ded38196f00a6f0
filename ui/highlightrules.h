#pragma once

#include "core/store/messagefilter.h"

#include <QColor>
#include <QList>
#include <QObject>

class QSettings;

namespace Gatescope {
class Directory;
struct Message;
} // namespace Gatescope

namespace Gatescope::Ui {

/// Highlight rules: each is a query in the filter language with a colour. Matching messages are
/// tinted in the feed, counted per rule, and can raise a desktop notification.
///
/// The first enabled rule that matches wins. Rules are persisted in QSettings.
class HighlightRules : public QObject
{
    Q_OBJECT

public:
    struct Rule
    {
        QString query;
        QColor color;
        bool notify = true;
        quint64 hits = 0; ///< messages counted since the rule was set
    };

    explicit HighlightRules(QObject *parent = nullptr);

    /// Replaces the rules. Rules whose query does not parse are kept (so they can be fixed)
    /// but never match; errorFor() tells why.
    void setRules(const QList<Rule> &rules);
    QList<Rule> rules() const { return m_rules; }
    int count() const { return int(m_rules.size()); }
    bool isEmpty() const { return m_rules.isEmpty(); }
    QString errorFor(int index) const;

    /// Re-resolves names (from:, in:, guild:) after the directory learned new ones.
    void resolve(const Directory *directory);

    /// The index of the first rule matching @p message, or -1.
    int match(const Message &message) const;
    /// The tint for @p message, invalid when no rule matches.
    QColor colorFor(const Message &message) const;
    /// Counts a newly arrived message; returns the matching rule or -1.
    int count(const Message &message);
    quint64 totalHits() const { return m_totalHits; }

    void load(QSettings &settings);
    void save(QSettings &settings) const;

signals:
    void rulesChanged();
    /// A new message matched @p rule (emitted by count()).
    void highlighted(int rule, const Gatescope::Message &message);

private:
    QList<Rule> m_rules;
    QList<MessageFilter> m_filters;
    quint64 m_totalHits = 0;
};

} // namespace Gatescope::Ui
