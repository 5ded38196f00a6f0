#pragma once

#include "core/metrics/metricssnapshot.h"

namespace Gatescope {

class CsvSink;
class MessageStore;

/// The process-wide series, the same in the window and headless mode, each from the object
/// that counts it: messages taken and events dropped, the store's size, the CSV rows written.
///
/// Series: `gatescope_build_info{version}`, `gatescope_messages_total`,
/// `gatescope_dropped_events_total{reason}` (`malformed`: message events without a usable id,
/// never shown or exported; `csv_backlog`: rows the CSV sink refused because too much was
/// waiting to be written), `gatescope_export_rows_total{sink="csv"}`, and with a store
/// `gatescope_store_messages` and `gatescope_store_evicted_total`.
///
/// Static functions only; they read, in the caller's thread.
class ProcessMetrics
{
public:
    /// `gatescope_build_info`.
    static void collectBuild(MetricsSnapshot &snapshot);
    /// The front end's MESSAGE_CREATEs and its malformed message events (headless counts them
    /// itself, for `--stats-json`'s `messages` and `rejected`).
    static void collectMessages(MetricsSnapshot &snapshot, quint64 messages, quint64 malformed);
    /// The store's size and eviction count, and its created and malformed counters as
    /// collectMessages() (the window's way).
    static void collectStore(MetricsSnapshot &snapshot, const MessageStore &store);
    /// The rows @p sink accepted and dropped, whether or not it is open.
    static void collectCsvSink(MetricsSnapshot &snapshot, const CsvSink &sink);
};

} // namespace Gatescope
