#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <utility>

namespace Gatescope {

/// A sample's labels, in the order they are written: name, value.
using MetricLabels = QList<std::pair<QString, QString>>;

/// One histogram sample: cumulative bucket counts by upper bound (ascending, without +Inf,
/// which is always `count`), the sum of the observed values and their count.
struct HistogramValue
{
    QList<std::pair<double, quint64>> buckets; ///< upper bound, observations ≤ it
    double sum = 0;
    quint64 count = 0;
};

/// One sample of a family: its labels and a value (gauges, counters) or a histogram.
struct MetricSample
{
    MetricLabels labels;
    double value = 0;
    HistogramValue histogram;
};

/// A metric family: one name, HELP, TYPE and its samples, written together.
struct MetricFamily
{
    enum class Type { Gauge, Counter, Histogram };

    QString name; ///< counters include their `_total`
    QString help;
    Type type = Type::Gauge;
    QList<MetricSample> samples;
};

/// What one scrape reports: metric families in the order they were first added, each with its
/// samples. Providers (MetricsRegistry::Provider) add to it; PrometheusFormatter writes it.
///
/// Several providers may add samples to the same family (each shard, each source): a family is
/// found by name, and a sample for a name already added with another type is refused, as are
/// names and label names Prometheus would not accept (both with a warning).
///
/// Values are doubles, as Prometheus keeps them: counts are exact up to 2^53.
/// A plain value type with no thread affinity.
class MetricsSnapshot
{
public:
    /// Adds a gauge sample (a value that goes up and down). False when refused.
    bool addGauge(const QString &name, const QString &help, double value,
                  const MetricLabels &labels = {});
    /// Adds a counter sample (a value that only grows); @p name must end in `_total`.
    bool addCounter(const QString &name, const QString &help, double value,
                    const MetricLabels &labels = {});
    /// Adds a histogram sample; @p name is the base name (`_bucket`, `_sum` and `_count` are
    /// added when written), the labels must not include `le`.
    bool addHistogram(const QString &name, const QString &help, const HistogramValue &histogram,
                      const MetricLabels &labels = {});

    const QList<MetricFamily> &families() const { return m_families; }
    /// The family named @p name, or null.
    const MetricFamily *family(const QString &name) const;
    /// The value of the gauge or counter sample of @p name with exactly @p labels, or @p
    /// otherwise (for tests and callers that read one number).
    double value(const QString &name, const MetricLabels &labels = {}, double otherwise = -1) const;

    /// Whether @p name is a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
    static bool isValidMetricName(const QString &name);
    /// Whether @p name is a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`, not starting `__`).
    static bool isValidLabelName(const QString &name);

private:
    bool add(const QString &name, const QString &help, MetricFamily::Type type,
             MetricSample &&sample);

    QList<MetricFamily> m_families;
    QHash<QString, qsizetype> m_indexByName;
};

} // namespace Gatescope
