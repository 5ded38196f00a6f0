#pragma once

#include "core/store/message.h"
#include "core/store/messagefilter.h"

#include <QMap>
#include <QtGlobal>

#include <atomic>
#include <memory>
#include <vector>

namespace Gatescope {

struct StoreChunk;
struct StoreTables;
struct StoreSnapshot;

/// A resolved MessageFilter prepared for a MessageStore's columns: evaluates whole chunks of rows
/// at once instead of one materialised Message at a time.
///
/// Words and phrases are one memmem-class scan over a chunk's case-folded UTF-8 arena; regexes are
/// compiled once without captures and run only on rows that contain the pattern's required
/// literal, when it has one; `from:`, `in:` and `guild:` compare interned indices against a table
/// of accepted entries built once here. Rows whose current version lives beside the chunks (edited
/// or deleted rows) are evaluated with MessageFilter::matches() on that version.
///
/// Immutable after construction: any number of threads may evaluate with one instance. The
/// accepted-entry tables cover the StoreTables given to the constructor; rows that refer to later
/// entries need the live tables passed to evaluate() (GUI-thread callers only).
class ColumnarFilter
{
public:
    /// @p filter must be valid and already resolved (MessageFilter::resolve()).
    ColumnarFilter(const MessageFilter &filter, const StoreTables &tables);
    ~ColumnarFilter();
    ColumnarFilter(const ColumnarFilter &) = delete;
    ColumnarFilter &operator=(const ColumnarFilter &) = delete;

    const MessageFilter &filter() const { return m_filter; }
    /// One message (an edited row, or a row outside any chunk).
    bool matches(const Message &message) const { return m_filter.matches(message); }

    /// Sets out[i - from] to 1 for each row i in [from, to) of @p chunk whose stored (unedited)
    /// version matches, else 0. @p liveTables, when given, resolves entries newer than the
    /// constructor's tables.
    void evaluate(const StoreChunk &chunk, int from, int to, quint8 *out,
                  const StoreTables *liveTables = nullptr) const;

    /// Appends to @p out the sequence numbers of the rows of @p chunk with sequence numbers in
    /// [fromSeq, toSeq) that match, ascending, taking the current version of rows in
    /// @p overrides (keyed by sequence number) into account.
    void appendMatches(const StoreChunk &chunk, quint64 fromSeq, quint64 toSeq,
                       const QMap<quint64, Message> &overrides, std::vector<quint64> *out,
                       const StoreTables *liveTables = nullptr) const;

    /// appendMatches() over chunk @p index of @p snapshot, limited to its shown rows. Returns
    /// nothing when @p cancel is set.
    std::vector<quint64> matchesInChunk(const StoreSnapshot &snapshot, size_t index,
                                        const std::atomic<bool> *cancel = nullptr) const;

    /// The literal every match of @p pattern must contain, for a prefilter over the case-folded
    /// text (already folded; empty when none is certain). Exposed for tests.
    static QString requiredLiteral(const QString &pattern, bool caseInsensitive);

private:
    struct Node;
    std::unique_ptr<Node> compile(const FilterNode &node, const StoreTables &tables) const;
    void evaluateNode(const Node &node, const StoreChunk &chunk, int from, int to, quint8 *out,
                      const StoreTables *liveTables) const;

    MessageFilter m_filter;
    std::unique_ptr<Node> m_root;
};

} // namespace Gatescope
