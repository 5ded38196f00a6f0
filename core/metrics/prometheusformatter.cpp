#include "core/metrics/prometheusformatter.h"

#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

/// Integral doubles below this are written as integers, exactly.
constexpr double ExactIntegerLimit = 9007199254740992.0; // 2^53

QByteArray escaped(const QString &text, bool quotes)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (quotes && c == '"')
            out += "\\\"";
        else
            out += c;
    }
    return out;
}

void appendLabels(QByteArray *out, const MetricLabels &labels, const QByteArray &le = {})
{
    if (labels.isEmpty() && le.isNull())
        return;
    *out += '{';
    bool first = true;
    for (const auto &[name, value] : labels) {
        if (!first)
            *out += ',';
        first = false;
        *out += name.toUtf8() + "=\"" + PrometheusFormatter::escapeLabelValue(value) + '"';
    }
    if (!le.isNull()) {
        if (!first)
            *out += ',';
        *out += "le=\"" + le + '"';
    }
    *out += '}';
}

void appendLine(QByteArray *out, const QByteArray &name, const MetricLabels &labels, double value,
                const QByteArray &le = {})
{
    *out += name;
    appendLabels(out, labels, le);
    *out += ' ' + PrometheusFormatter::formatValue(value) + '\n';
}

QByteArray typeName(MetricFamily::Type type)
{
    switch (type) {
    case MetricFamily::Type::Counter:
        return "counter";
    case MetricFamily::Type::Histogram:
        return "histogram";
    case MetricFamily::Type::Gauge:
        break;
    }
    return "gauge";
}

void appendHistogram(QByteArray *out, const QByteArray &name, const MetricSample &sample)
{
    const HistogramValue &h = sample.histogram;
    for (const auto &[bound, count] : h.buckets)
        appendLine(out, name + "_bucket", sample.labels, double(count),
                   PrometheusFormatter::formatValue(bound));
    appendLine(out, name + "_bucket", sample.labels, double(h.count), "+Inf");
    appendLine(out, name + "_sum", sample.labels, h.sum);
    appendLine(out, name + "_count", sample.labels, double(h.count));
}

} // namespace

QByteArray PrometheusFormatter::formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (value == std::trunc(value) && std::fabs(value) < ExactIntegerLimit)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

QByteArray PrometheusFormatter::escapeLabelValue(const QString &value)
{
    return escaped(value, true);
}

QByteArray PrometheusFormatter::escapeHelp(const QString &text)
{
    return escaped(text, false);
}

QByteArray PrometheusFormatter::format(const MetricsSnapshot &snapshot)
{
    QByteArray out;
    for (const MetricFamily &family : snapshot.families()) {
        if (family.samples.isEmpty())
            continue;
        const QByteArray name = family.name.toUtf8();
        out += "# HELP " + name + ' ' + escapeHelp(family.help) + '\n';
        out += "# TYPE " + name + ' ' + typeName(family.type) + '\n';
        for (const MetricSample &sample : family.samples) {
            if (family.type == MetricFamily::Type::Histogram)
                appendHistogram(&out, name, sample);
            else
                appendLine(&out, name, sample.labels, sample.value);
        }
    }
    return out;
}

} // namespace Gatescope
