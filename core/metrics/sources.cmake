target_sources(gatescope_core PRIVATE
    metrics/latencyhistogram.h metrics/latencyhistogram.cpp
    metrics/metricssnapshot.h metrics/metricssnapshot.cpp
    metrics/metricsregistry.h metrics/metricsregistry.cpp
    metrics/prometheusformatter.h metrics/prometheusformatter.cpp
    metrics/connectionmetrics.h metrics/connectionmetrics.cpp
    metrics/processmetrics.h metrics/processmetrics.cpp
    metrics/metricsserver.h metrics/metricsserver.cpp
)
