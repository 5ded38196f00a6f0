#include "ui/highlightrules.h"

#include "core/store/message.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
const auto RulesKey = u"highlights/rules"_s;
}

HighlightRules::HighlightRules(QObject *parent)
    : QObject(parent)
{ }

void HighlightRules::setRules(const QList<Rule> &rules)
{
    m_rules = rules;
    m_filters.clear();
    for (Rule &rule : m_rules) {
        rule.hits = 0;
        m_filters.append(MessageFilter::parse(rule.query));
    }
    m_totalHits = 0;
    emit rulesChanged();
}

QString HighlightRules::errorFor(int index) const
{
    if (index < 0 || index >= m_filters.size())
        return {};
    const MessageFilter &f = m_filters.at(index);
    if (f.isValid())
        return f.isEmpty() ? tr("empty query") : QString();
    return tr("%1 (at character %2)").arg(f.errorString()).arg(f.errorPosition() + 1);
}

void HighlightRules::resolve(const Directory *directory)
{
    for (MessageFilter &f : m_filters) {
        if (f.usesDirectory())
            f.resolve(directory);
    }
}

int HighlightRules::match(const Message &message) const
{
    for (int i = 0; i < m_filters.size(); ++i) {
        const MessageFilter &f = m_filters.at(i);
        // An empty query would highlight everything, which is never what was meant.
        if (f.isValid() && !f.isEmpty() && f.matches(message))
            return i;
    }
    return -1;
}

QColor HighlightRules::colorFor(const Message &message) const
{
    const int rule = match(message);
    return rule < 0 ? QColor() : m_rules.at(rule).color;
}

int HighlightRules::count(const Message &message)
{
    const int rule = match(message);
    if (rule >= 0) {
        ++m_rules[rule].hits;
        ++m_totalHits;
        emit highlighted(rule, message);
    }
    return rule;
}

void HighlightRules::load(QSettings &settings)
{
    QList<Rule> rules;
    const QVariantList list = settings.value(RulesKey).toList();
    for (const QVariant &entry : list) {
        const QVariantMap map = entry.toMap();
        Rule rule;
        rule.query = map.value(u"query"_s).toString();
        rule.color = QColor(map.value(u"color"_s).toString());
        rule.notify = map.value(u"notify"_s, true).toBool();
        if (!rule.query.isEmpty() && rule.color.isValid())
            rules.append(rule);
    }
    setRules(rules);
}

void HighlightRules::save(QSettings &settings) const
{
    QVariantList list;
    for (const Rule &rule : m_rules) {
        list.append(QVariantMap{{u"query"_s, rule.query},
                                {u"color"_s, rule.color.name()},
                                {u"notify"_s, rule.notify}});
    }
    settings.setValue(RulesKey, list);
}

} // namespace Gatescope::Ui
