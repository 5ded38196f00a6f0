#pragma once

#include "core/metrics/metricssnapshot.h"

#include <QByteArray>

namespace Gatescope {

/// Writes a MetricsSnapshot in the Prometheus text exposition format, version 0.0.4: per family
/// a `# HELP` and a `# TYPE` line, then its samples; a histogram's samples as cumulative
/// `_bucket{…,le="…"}` lines ending with `le="+Inf"` (= `_count`), then `_sum` and `_count`.
/// Label values escape `\`, `"` and line feeds; HELP texts escape `\` and line feeds. A family
/// without samples is left out. Pure: no state, no thread affinity.
class PrometheusFormatter
{
public:
    /// The Content-Type of what format() writes.
    static constexpr const char *ContentType = "text/plain; version=0.0.4; charset=utf-8";

    static QByteArray format(const MetricsSnapshot &snapshot);

    /// A sample value: integral values as integers, others in the shortest form that reads
    /// back to the same double; `NaN`, `+Inf`, `-Inf`.
    static QByteArray formatValue(double value);
    /// @p value with `\`, `"` and line feeds escaped, as a label value needs.
    static QByteArray escapeLabelValue(const QString &value);
    /// @p text with `\` and line feeds escaped, as a HELP line needs.
    static QByteArray escapeHelp(const QString &text);
};

} // namespace Gatescope
