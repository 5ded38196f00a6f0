#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace Gatescope {
class MessageFilterModel;
class MessageStore;
} // namespace Gatescope

namespace Gatescope::Ui {

/// The feed's filter bar: a query box for the filter language (applied ~200 ms after the last
/// keystroke), an inline error that points at the position of a syntax error, quick toggles
/// (hide bots, deleted only, edited only), the match count ("1,234 of 200,000") and the
/// channel selection (a scope such as `in:1234` shown as a removable "#general" chip, ANDed with
/// the typed query but kept apart from it, so typing never loses the selected channel).
class FilterBar : public QWidget
{
    Q_OBJECT

public:
    static constexpr int DebounceMs = 200;

    FilterBar(MessageFilterModel *filter, MessageStore *store, QWidget *parent = nullptr);

    QLineEdit *queryEdit() const { return m_edit; }
    QString query() const;
    /// Sets the query text and applies it at once.
    void setQuery(const QString &query);
    /// Adds a term (e.g. `from:1234`) to the query and applies it.
    void addTerm(const QString &term);
    /// The query actually given to the filter model (text, toggles and scope).
    QString effectiveQuery() const;
    /// Restricts the feed to @p term (`in:ID`, `guild:ID`), shown as @p label; empty clears it.
    void setScope(const QString &term, const QString &label);
    QString scopeTerm() const { return m_scopeTerm; }
    QString scopeLabel() const { return m_scopeLabel; }
    /// The terms of the checked toggles (`-is:bot` …).
    QStringList checkedToggles() const;
    /// Checks exactly the toggles whose terms are in @p terms and applies the result.
    void setCheckedToggles(const QStringList &terms);
    /// The error shown, empty when the query is valid.
    QString errorText() const;
    QString countText() const;

public slots:
    /// Applies the text now instead of waiting for the debounce.
    void apply();
    void focusQuery();
    void updateCount();

signals:
    void queryApplied(const QString &query);
    /// The scope changed (set, replaced or removed with its chip's button).
    void scopeChanged(const QString &term);

private:
    void showError(const QString &message, int position);
    QToolButton *addToggle(const QString &text, const QString &term, const QString &toolTip);

    MessageFilterModel *m_filter;
    MessageStore *m_store;
    QLineEdit *m_edit = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_errorIcon = nullptr;
    QWidget *m_errorRow = nullptr;
    QToolButton *m_scope = nullptr;
    QString m_scopeTerm;
    QString m_scopeLabel;
    QLabel *m_count = nullptr;
    QList<QPair<QToolButton *, QString>> m_toggles;
    QTimer m_debounce;
    QTimer m_countTimer;
    QString m_errorText;
    bool m_busy = false;
};

} // namespace Gatescope::Ui
