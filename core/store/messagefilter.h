#pragma once

#include <QString>
#include <QtGlobal>

#include <memory>

namespace Gatescope {

class Directory;
struct FilterNode;
struct Message;

/// A feed filter written in a small query language, parsed into an expression tree.
///
/// Syntax (terms are ANDed; `OR` binds looser than AND; parentheses group):
/// - `word`, `"quoted phrase"`: content contains it, case-insensitive (via Message::searchKey, or
///   for ASCII content, whose key is not stored, an ASCII case-insensitive scan).
/// - `from:NAME|ID` (also `from:@name`, `from:"Two Words"`): author username, global name or id.
/// - `in:#channel|ID`: channel or thread by name or id; a channel includes its threads.
/// - `guild:NAME|ID`.
/// - `has:link|attachment|embed|mention` (plural forms accepted).
/// - `is:bot|human|webhook|edited|deleted|dm|reply` (human = neither bot nor webhook).
/// - `before:` / `after:` with `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (UTC, as the feed shows), or
///   a relative age `30s`, `10m`, `2h`, `3d`, `1w` counted back from the time of parsing.
///   A date alone means the whole day: `after:2024-05-01` starts on May 2nd.
/// - `shard:N`: received by shard N of a range (Message::shard; a single connection without a
///   shard id matches no `shard:`).
/// - `/regex/` with optional flags `i` (case-insensitive), `s`, `m`, `x`: matched against content.
/// - `-term` negates; `AND` may be written but is implicit.
///
/// Errors name a 0-based character offset into the query (errorPosition()). Names in `from:`,
/// `in:` and `guild:` are looked up in the Directory by resolve() — call it again after the
/// Directory changed. `from:` also compares the names a message was sent with, so authors the
/// Directory has not seen still match.
///
/// A MessageFilter is a cheap handle: copies share one tree (resolve() affects all of them).
/// matches() is const and safe to call from several threads once resolved.
class MessageFilter
{
public:
    /// The empty filter: isEmpty(), matches everything.
    MessageFilter();
    ~MessageFilter();
    MessageFilter(const MessageFilter &);
    MessageFilter &operator=(const MessageFilter &);

    /// Parses @p query. @p nowMs anchors relative times (-1 = the current time).
    /// On a syntax error the result is !isValid() and matches nothing.
    static MessageFilter parse(const QString &query, qint64 nowMs = -1);

    QString query() const { return m_query; }
    qint64 nowMs() const { return m_nowMs; }
    bool isValid() const { return m_errorPosition < 0; }
    /// True for a valid filter without terms (a blank query).
    bool isEmpty() const { return isValid() && !m_root; }
    QString errorString() const { return m_error; }
    /// 0-based character offset of the bad input, -1 when valid.
    int errorPosition() const { return m_errorPosition; }

    /// True when the filter has names to look up (from:, in:, guild:).
    bool usesDirectory() const;
    /// Looks names up in @p directory (may be null: then only ids and message names match).
    void resolve(const Directory *directory);

    bool matches(const Message &message) const;

    /// The tree in prefix form, e.g. `AND(text("foo"), NOT(from("alice")))`, for tests and logs.
    QString describe() const;

private:
    friend class FilterParser;
    friend class ColumnarFilter;

    QString m_query;
    qint64 m_nowMs = 0;
    std::shared_ptr<FilterNode> m_root;
    QString m_error;
    int m_errorPosition = -1;
};

} // namespace Gatescope
