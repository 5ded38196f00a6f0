#pragma once

#include "core/io/exporttypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QStringList>
#include <QStringView>

namespace Gatescope {

/// Formats messages as CSV: RFC 4180, UTF-8, CRLF line ends, a fixed header.
///
/// Columns, in this order: timestamp_utc, guild_id, guild, channel_id, channel, message_id,
/// author_id, author, bot, content, attachments, reply_to, edited_at, deleted.
/// - timestamp_utc and edited_at are ISO 8601 UTC with milliseconds (`2024-01-02T03:04:05.678Z`);
///   edited_at is empty when the message was never edited.
/// - ids are decimal strings, empty when absent (guild_id of a DM, reply_to of a non-reply).
/// - author is the username (unique, unlike the display name); author_id identifies it for good.
/// - bot and deleted are `true` / `false`.
/// - attachments are the attachment URLs separated by one space (URLs never contain a raw space).
///
/// A cell is quoted when it contains the delimiter, a double quote, CR or LF; quotes inside are
/// doubled. Text is written as UTF-8; a lone surrogate becomes U+FFFD, so the output is always
/// valid UTF-8. A raw NUL (U+0000) becomes U+FFFD too: many CSV readers end a cell or refuse the
/// file at a NUL, and replacing it (rather than dropping it) keeps a visible mark that the
/// message held a character that could not be kept.
///
/// **Formula injection.** Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a
/// formula (and Excel also after a leading TAB or CR), so a message `=HYPERLINK(...)` would run in
/// a moderator's spreadsheet. Following OWASP, such a cell is prefixed with a single quote `'`,
/// which makes it text. We check after leading whitespace too (LibreOffice and some Excel import
/// paths trim it before deciding), and count TAB and CR as triggers themselves; the full-width
/// forms `＝ ＋ － ＠` are treated like their ASCII twins, because some East Asian spreadsheet
/// set-ups normalise them. Every text cell is checked, names included (a user can be called
/// `=cmd|...`); the generated cells (ids, times, booleans) can never start with a trigger. The
/// price: a message that is just `-2` is exported as `'-2`.
///
/// Registered secrets (Redaction) in names and content are written as `[redacted]`.
///
/// Stateless apart from the options; cheap to copy; safe to use from any thread.
class CsvWriter
{
public:
    /// What a row of an event log (CsvSink::setEventRows()) records; written in the `event`
    /// column that such a file has before the usual ones.
    enum class Event : quint8 {
        Create, ///< `create`: a new message
        Update, ///< `update`: an edit; the row has the new content and edited_at
        Delete, ///< `delete`: MESSAGE_DELETE
        DeleteBulk, ///< `delete_bulk`: one id of a MESSAGE_DELETE_BULK
    };

    explicit CsvWriter(CsvOptions options = {});

    CsvOptions options() const { return m_options; }
    /// The delimiter in use (',' unless the options asked for ';').
    char delimiter() const { return m_delimiter; }

    /// The column names, in file order.
    static QStringList columns();
    /// The UTF-8 byte order mark, EF BB BF.
    static QByteArrayView byteOrderMark();

    /// Appends the header line (without a byte order mark).
    void appendHeader(QByteArray &out) const;
    /// Appends one row, CRLF-terminated. @p row.message must not be null.
    void appendRow(QByteArray &out, const ExportRow &row) const;
    /// The name of the extra first column of an event log.
    static QByteArrayView eventColumn();
    /// The cell of @p event: `create`, `update`, `delete` or `delete_bulk`.
    static QByteArrayView eventName(Event event);
    /// Appends the header line of an event log: `event`, then the usual columns.
    void appendEventHeader(QByteArray &out) const;
    /// Appends one event-log row: the event's name, then the usual cells of @p row.
    void appendEventRow(QByteArray &out, Event event, const ExportRow &row) const;
    /// Appends one text cell: neutralised if formula-like, quoted if needed, as UTF-8.
    void appendCell(QByteArray &out, QStringView text) const;

    /// True when a spreadsheet could run @p text as a formula (see the class comment).
    static bool isFormulaLike(QStringView text);
    /// The attachments cell: the URLs separated by one space.
    static QString attachmentsCell(const Message &message);

private:
    CsvOptions m_options;
    char m_delimiter;
};

} // namespace Gatescope
