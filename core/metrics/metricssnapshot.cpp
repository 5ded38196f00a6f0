#include "core/metrics/metricssnapshot.h"

#include "core/logging.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

bool isNameStart(QChar c, bool colonAllowed)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_'
           || (colonAllowed && c == u':');
}

bool isValidName(const QString &name, bool colonAllowed)
{
    if (name.isEmpty() || !isNameStart(name.front(), colonAllowed))
        return false;
    return std::all_of(name.cbegin(), name.cend(), [colonAllowed](QChar c) {
        return isNameStart(c, colonAllowed) || (c >= u'0' && c <= u'9');
    });
}

} // namespace

bool MetricsSnapshot::isValidMetricName(const QString &name)
{
    return isValidName(name, true);
}

bool MetricsSnapshot::isValidLabelName(const QString &name)
{
    return isValidName(name, false) && !name.startsWith("__"_L1);
}

bool MetricsSnapshot::addGauge(const QString &name, const QString &help, double value,
                               const MetricLabels &labels)
{
    return add(name, help, MetricFamily::Type::Gauge, MetricSample{labels, value, {}});
}

bool MetricsSnapshot::addCounter(const QString &name, const QString &help, double value,
                                 const MetricLabels &labels)
{
    if (!name.endsWith("_total"_L1)) {
        qCWarning(lcMetrics) << "counter" << name << "refused: a counter's name ends in _total";
        return false;
    }
    return add(name, help, MetricFamily::Type::Counter, MetricSample{labels, value, {}});
}

bool MetricsSnapshot::addHistogram(const QString &name, const QString &help,
                                   const HistogramValue &histogram, const MetricLabels &labels)
{
    for (const auto &label : labels) {
        if (label.first == "le"_L1) {
            qCWarning(lcMetrics) << "histogram" << name << "refused: le is the bucket's label";
            return false;
        }
    }
    return add(name, help, MetricFamily::Type::Histogram, MetricSample{labels, 0, histogram});
}

bool MetricsSnapshot::add(const QString &name, const QString &help, MetricFamily::Type type,
                          MetricSample &&sample)
{
    if (!isValidMetricName(name)) {
        qCWarning(lcMetrics) << "metric" << name << "refused: not a valid metric name";
        return false;
    }
    for (const auto &label : std::as_const(sample.labels)) {
        if (!isValidLabelName(label.first)) {
            qCWarning(lcMetrics) << "metric" << name << "refused: label" << label.first
                                 << "is not a valid label name";
            return false;
        }
    }
    const auto found = m_indexByName.constFind(name);
    if (found == m_indexByName.cend()) {
        m_indexByName.insert(name, m_families.size());
        m_families.append(MetricFamily{name, help, type, {std::move(sample)}});
        return true;
    }
    MetricFamily &family = m_families[*found];
    if (family.type != type) {
        qCWarning(lcMetrics) << "metric" << name << "refused: added before with another type";
        return false;
    }
    family.samples.append(std::move(sample));
    return true;
}

const MetricFamily *MetricsSnapshot::family(const QString &name) const
{
    const auto found = m_indexByName.constFind(name);
    return found == m_indexByName.cend() ? nullptr : &m_families.at(*found);
}

double MetricsSnapshot::value(const QString &name, const MetricLabels &labels,
                              double otherwise) const
{
    const MetricFamily *found = family(name);
    if (!found)
        return otherwise;
    for (const MetricSample &sample : found->samples) {
        if (sample.labels == labels)
            return sample.value;
    }
    return otherwise;
}

} // namespace Gatescope
