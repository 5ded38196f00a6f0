#pragma once

#include "core/io/exporttypes.h"

#include <QByteArray>
#include <QStringView>

namespace Gatescope {

/// Formats messages as JSON Lines: one JSON object per line, `\n`-terminated, UTF-8, no BOM.
///
/// Keys, in this order (the CSV columns first, then what CSV cannot hold):
/// `timestamp_utc`, `guild_id`, `guild`, `channel_id`, `channel`, `message_id`, `author_id`,
/// `author`, `bot`, `content`, `attachments`, `reply_to`, `edited_at`, `deleted`,
/// `author_global_name`, `deleted_at`, `edits`.
/// - ids are JSON strings (a snowflake does not fit in a double); an absent id is `null`
///   (`guild_id` of a DM, `reply_to` of a non-reply).
/// - times are ISO 8601 UTC strings with milliseconds, or `null` when absent.
/// - `bot` and `deleted` are booleans.
/// - `attachments` is an array of `{"filename", "size", "url"}` objects.
/// - `edits` is the edit history, oldest first: `{"replaced_at", "content"}` objects.
///
/// No formula neutralisation: JSON is not opened by spreadsheets, and a consumer of JSON expects
/// the exact text. Strings are escaped per RFC 8259 (`"`, `\`, and control characters); a lone
/// surrogate becomes U+FFFD, so every line is valid UTF-8.
///
/// Stateless; safe to use from any thread.
class JsonLinesWriter
{
public:
    /// Appends one line for @p row. @p row.message must not be null.
    static void appendRow(QByteArray &out, const ExportRow &row);
    /// Appends @p text as a JSON string literal, quotes included.
    static void appendString(QByteArray &out, QStringView text);
};

} // namespace Gatescope
