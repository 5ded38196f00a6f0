#include "ui/filterbar.h"

#include "core/store/messagefilter.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagestore.h"
#include "ui/format.h"
#include "ui/icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

FilterBar::FilterBar(MessageFilterModel *filter, MessageStore *store, QWidget *parent)
    : QWidget(parent)
    , m_filter(filter)
    , m_store(store)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 2);
    outer->setSpacing(2);
    auto *row = new QHBoxLayout;
    row->setSpacing(6);

    m_edit = new QLineEdit(this);
    m_edit->setObjectName(u"filterEdit"_s);
    m_edit->setClearButtonEnabled(true);
    m_edit->setPlaceholderText(tr("Filter (Ctrl+F): from:alice has:link -is:bot \"exact phrase\" "
                                  "in:#general after:10m /regex/i"));
    m_edit->setToolTip(tr("<b>Filter language</b><br>words and \"phrases\" (content), "
                          "from:NAME, in:#channel, guild:NAME, has:link|attachment|embed|mention, "
                          "is:bot|human|webhook|edited|deleted|dm|reply, before:/after: "
                          "(2024-05-01, 10m, 2h), /regex/i, -negation, OR, parentheses"));
    // Room for a short query even in a narrow split (the toggles and count keep their size).
    m_edit->setMinimumWidth(fontMetrics().averageCharWidth() * 22);
    row->addWidget(m_edit, 1);

    m_scope = new QToolButton(this);
    m_scope->setObjectName(u"scopeChip"_s);
    m_scope->setIcon(Icons::icon(Icons::Kind::Close));
    m_scope->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_scope->setLayoutDirection(Qt::RightToLeft); // the remove mark after the name
    m_scope->setAutoRaise(true);
    m_scope->hide();
    connect(m_scope, &QToolButton::clicked, this, [this] { setScope(QString(), QString()); });
    row->addWidget(m_scope);

    addToggle(tr("Hide bots"), u"-is:bot"_s,
              tr("Hide messages from bot accounts (adds -is:bot; webhooks stay: -is:webhook hides "
                 "them)"));
    addToggle(tr("Deleted"), u"is:deleted"_s, tr("Only deleted messages"));
    addToggle(tr("Edited"), u"is:edited"_s, tr("Only edited messages"));
    for (const auto &toggle : std::as_const(m_toggles))
        row->addWidget(toggle.first);

    m_count = new QLabel(this);
    m_count->setObjectName(u"matchCount"_s);
    m_count->setMinimumWidth(fontMetrics().horizontalAdvance(u"000,000 of 000,000"_s) + 8);
    m_count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_count->setToolTip(tr("Messages matching the filter, of all messages kept"));
    row->addWidget(m_count);
    outer->addLayout(row);

    m_errorRow = new QWidget(this);
    auto *errorLayout = new QHBoxLayout(m_errorRow);
    errorLayout->setContentsMargins(0, 0, 0, 0);
    m_errorIcon = new QLabel(m_errorRow);
    m_errorIcon->setObjectName(u"filterErrorIcon"_s);
    const int iconSize = fontMetrics().height();
    m_errorIcon->setPixmap(Icons::icon(Icons::Kind::Warning).pixmap(iconSize, iconSize));
    errorLayout->addWidget(m_errorIcon, 0, Qt::AlignTop);
    m_error = new QLabel(m_errorRow);
    m_error->setObjectName(u"filterError"_s);
    m_error->setTextFormat(Qt::RichText);
    m_error->setWordWrap(true);
    m_error->hide();
    errorLayout->addWidget(m_error, 1);
    m_errorRow->hide();
    outer->addWidget(m_errorRow);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(m_edit, &QLineEdit::textChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(&m_debounce, &QTimer::timeout, this, &FilterBar::apply);
    connect(m_edit, &QLineEdit::returnPressed, this, &FilterBar::apply);

    // The count follows the stream, but at most five times a second.
    m_countTimer.setSingleShot(true);
    m_countTimer.setInterval(200);
    connect(&m_countTimer, &QTimer::timeout, this, &FilterBar::updateCount);
    auto scheduleCount = [this] {
        if (!m_countTimer.isActive())
            m_countTimer.start();
    };
    connect(filter, &MessageFilterModel::matchCountChanged, this, scheduleCount);
    connect(store, &MessageStore::appended, this, scheduleCount);
    connect(store, &MessageStore::evicted, this, scheduleCount);
    connect(store, &MessageStore::cleared, this, &FilterBar::updateCount);
    connect(filter, &MessageFilterModel::busyChanged, this, [this](bool busy) {
        m_busy = busy;
        updateCount();
    });
    updateCount();
}

QToolButton *FilterBar::addToggle(const QString &text, const QString &term, const QString &toolTip)
{
    auto *button = new QToolButton(this);
    button->setText(text);
    button->setCheckable(true);
    button->setToolTip(toolTip + u" (adds "_s + term + u")"_s);
    button->setObjectName(u"toggle_"_s + term);
    connect(button, &QToolButton::toggled, this, &FilterBar::apply);
    m_toggles.append({button, term});
    return button;
}

QString FilterBar::query() const
{
    return m_edit->text();
}

void FilterBar::setQuery(const QString &query)
{
    m_edit->setText(query);
    apply();
}

void FilterBar::addTerm(const QString &term)
{
    const QString current = m_edit->text().trimmed();
    setQuery(current.isEmpty() ? term : current + u' ' + term);
}

QString FilterBar::effectiveQuery() const
{
    const QString text = m_edit->text().trimmed();
    QStringList parts;
    if (!text.isEmpty())
        parts << (m_toggles.isEmpty() ? text : u"("_s + text + u")"_s);
    for (const auto &toggle : m_toggles) {
        if (toggle.first->isChecked())
            parts << toggle.second;
    }
    if (!m_scopeTerm.isEmpty())
        parts << m_scopeTerm;
    if (parts.size() == 1 && !text.isEmpty())
        return text;
    return parts.join(u' ');
}

void FilterBar::setScope(const QString &term, const QString &label)
{
    if (term == m_scopeTerm && label == m_scopeLabel)
        return;
    m_scopeTerm = term;
    m_scopeLabel = label;
    m_scope->setText(label);
    m_scope->setToolTip(
            term.isEmpty()
                    ? QString()
                    : tr("Only %1 (%2); click to show every channel again").arg(label, term));
    m_scope->setVisible(!term.isEmpty());
    apply();
    emit scopeChanged(term);
}

QStringList FilterBar::checkedToggles() const
{
    QStringList terms;
    for (const auto &toggle : m_toggles) {
        if (toggle.first->isChecked())
            terms << toggle.second;
    }
    return terms;
}

void FilterBar::setCheckedToggles(const QStringList &terms)
{
    for (const auto &toggle : std::as_const(m_toggles)) {
        const QSignalBlocker blocker(toggle.first);
        toggle.first->setChecked(terms.contains(toggle.second));
    }
    apply();
}

void FilterBar::apply()
{
    m_debounce.stop();
    // Check the typed text alone first, so an error position refers to what the user typed.
    const MessageFilter typed = MessageFilter::parse(m_edit->text());
    if (!typed.isValid()) {
        showError(typed.errorString(), typed.errorPosition());
        return;
    }
    if (!m_filter->setQuery(effectiveQuery())) {
        showError(m_filter->errorString(), -1);
        return;
    }
    showError(QString(), -1);
    emit queryApplied(m_edit->text());
}

void FilterBar::showError(const QString &message, int position)
{
    m_errorText = message;
    m_edit->setStyleSheet(message.isEmpty() ? QString()
                                            : u"QLineEdit { border: 1px solid #cf222e; "
                                              "border-radius: 3px; padding: 1px 2px; }"_s);
    if (message.isEmpty()) {
        m_error->hide();
        m_errorRow->hide();
        m_error->clear();
        return;
    }
    QString html = u"<span style=\"color:#cf222e\">%1</span>"_s.arg(message.toHtmlEscaped());
    const QString text = m_edit->text();
    if (position >= 0 && position <= text.size()) {
        // Show the query with the offending character marked, like a compiler would.
        const QString before = text.left(position).toHtmlEscaped();
        const QString at
                = position < text.size() ? text.mid(position, 1).toHtmlEscaped() : u"&nbsp;"_s;
        const QString after = text.mid(position + 1).toHtmlEscaped();
        html += u"&nbsp;&nbsp;<code>%1<span style=\"background:#cf222e;color:white\">%2</span>"
                "%3</code>&nbsp;<span style=\"color:gray\">(at %4)</span>"_s.arg(
                        before, at, after, QString::number(position + 1));
    }
    m_error->setText(html);
    m_error->show();
    m_errorRow->show();
}

QString FilterBar::errorText() const
{
    return m_errorText;
}

void FilterBar::updateCount()
{
    QString text = tr("%1 of %2")
                           .arg(Format::count(quint64(m_filter->matchCount())),
                                Format::count(quint64(m_store->count())));
    if (m_busy)
        text = tr("filtering… ") + text;
    m_count->setText(text);
}

QString FilterBar::countText() const
{
    return m_count->text();
}

void FilterBar::focusQuery()
{
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

} // namespace Gatescope::Ui
