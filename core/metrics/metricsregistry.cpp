#include "core/metrics/metricsregistry.h"

namespace Gatescope {

int MetricsRegistry::addProvider(Provider provider, const QObject *context)
{
    const int id = m_nextId++;
    m_providers.append(Entry{id, std::move(provider), context, context != nullptr});
    return id;
}

void MetricsRegistry::removeProvider(int id)
{
    m_providers.removeIf([id](const Entry &entry) { return entry.id == id; });
}

MetricsSnapshot MetricsRegistry::collect()
{
    m_providers.removeIf([](const Entry &entry) { return entry.hasContext && !entry.context; });
    MetricsSnapshot snapshot;
    for (const Entry &entry : std::as_const(m_providers))
        entry.provider(snapshot);
    return snapshot;
}

} // namespace Gatescope
