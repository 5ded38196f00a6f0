#pragma once

#include "core/metrics/metricssnapshot.h"

#include <QList>
#include <QPointer>

#include <functional>

namespace Gatescope {

/// The sources of a scrape. Each provider adds its samples to the snapshot collect() builds:
/// the connection's per-shard series (ConnectionMetrics), the front end's own counters
/// (ProcessMetrics), and whatever a later part wants to export. A new series is one provider:
///
/// ```
/// registry.addProvider([detector](MetricsSnapshot &s) {
///     s.addGauge(u"gatescope_shard_silent"_s, u"1 while the shard is silent"_s,
///                detector->isSilent(0) ? 1 : 0, {{u"shard"_s, u"0"_s}});
/// }, detector);
/// ```
///
/// Providers run in the order they were added, in the thread that calls collect() (the one the
/// MetricsServer lives in, which must be the thread their sources live in: the front end's).
/// They must only read copies kept in that thread (ConnectionController's counters are copied
/// once a second), never reach into the gateway thread. Not thread-safe; owned by the front end.
class MetricsRegistry
{
public:
    using Provider = std::function<void(MetricsSnapshot &)>;

    /// Adds @p provider; returns its id for removeProvider(). With a @p context, the provider is
    /// skipped (and forgotten) once the context is destroyed, so it may capture the context.
    int addProvider(Provider provider, const QObject *context = nullptr);
    void removeProvider(int id);
    qsizetype providerCount() const { return m_providers.size(); }

    /// Runs every provider into one snapshot.
    MetricsSnapshot collect();

private:
    struct Entry
    {
        int id = 0;
        Provider provider;
        QPointer<const QObject> context;
        bool hasContext = false;
    };

    QList<Entry> m_providers;
    int m_nextId = 1;
};

} // namespace Gatescope
