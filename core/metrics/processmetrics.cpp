#include "core/metrics/processmetrics.h"

#include "core/io/csvsink.h"
#include "core/store/messagestore.h"

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

const QString DroppedEvents = u"gatescope_dropped_events_total"_s;
const QString DroppedEventsHelp
        = u"Events received but not shown or exported, by reason (malformed: a message event "
          "without a usable id; csv_backlog: the CSV file could not keep up)"_s;

} // namespace

void ProcessMetrics::collectBuild(MetricsSnapshot &snapshot)
{
    snapshot.addGauge(u"gatescope_build_info"_s, u"Always 1; the version in a label"_s, 1,
                      {{u"version"_s, QStringLiteral(GATESCOPE_VERSION)}});
}

void ProcessMetrics::collectMessages(MetricsSnapshot &snapshot, quint64 messages, quint64 malformed)
{
    snapshot.addCounter(u"gatescope_messages_total"_s,
                        u"MESSAGE_CREATE events taken in (printed, exported or stored)"_s,
                        double(messages));
    snapshot.addCounter(DroppedEvents, DroppedEventsHelp, double(malformed),
                        {{u"reason"_s, u"malformed"_s}});
}

void ProcessMetrics::collectStore(MetricsSnapshot &snapshot, const MessageStore &store)
{
    const MessageStore::Counters counters = store.counters();
    collectMessages(snapshot, counters.created, counters.malformed);
    snapshot.addGauge(u"gatescope_store_messages"_s, u"Messages the store holds"_s, store.count());
    snapshot.addCounter(u"gatescope_store_evicted_total"_s,
                        u"Messages evicted from the store because it was full"_s,
                        double(counters.evicted));
}

void ProcessMetrics::collectCsvSink(MetricsSnapshot &snapshot, const CsvSink &sink)
{
    snapshot.addCounter(u"gatescope_export_rows_total"_s, u"Rows accepted for export, by sink"_s,
                        double(sink.rowsAccepted()), {{u"sink"_s, u"csv"_s}});
    snapshot.addCounter(DroppedEvents, DroppedEventsHelp, double(sink.rowsDropped()),
                        {{u"reason"_s, u"csv_backlog"_s}});
}

} // namespace Gatescope
