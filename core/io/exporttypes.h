#pragma once

#include "core/store/message.h"

#include <QString>
#include <QtGlobal>

#include <functional>

namespace Gatescope {

/// One row to export: a message plus the names the caller has already resolved.
///
/// The exporters do not look names up themselves, so they depend on nothing but the Message
/// record. `message` must not be null; an exporter reports a null row as an error.
struct ExportRow
{
    const Message *message = nullptr;
    QString guildName; ///< empty for DMs or when unknown
    QString channelName; ///< without a leading '#'
};

/// Produces row @p index (0-based) of an export. The exporters call it in ascending order, once
/// per row, and finish with the row before the next call, so the returned pointer needs to stay
/// valid only until the next call (a provider may reuse one scratch Message). It is called on the
/// exporter's thread; for a chunked export the data behind it must stay alive and unchanged until
/// Exporter::finished() — copy the messages (Message is implicitly shared, so copies are cheap)
/// if the store may evict them meanwhile.
using ExportRowProvider = std::function<ExportRow(qsizetype index)>;

/// The file formats of an export.
enum class ExportFormat {
    Csv, ///< RFC 4180, see CsvWriter
    JsonLines, ///< one JSON object per line, see JsonLinesWriter
};

/// CSV options shared by the one-shot exporter and the streaming sink.
struct CsvOptions
{
    /// Start a new file with the UTF-8 byte order mark, so Excel detects UTF-8 instead of
    /// showing mojibake. Other readers (Python's `utf-8-sig`, LibreOffice) accept it.
    bool byteOrderMark = true;
    /// The field separator: ',' (RFC 4180) or ';' (what Excel expects in locales whose decimal
    /// separator is a comma). Anything else is treated as ','.
    char delimiter = ',';
};

} // namespace Gatescope
