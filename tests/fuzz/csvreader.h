#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace Gatescope::Fuzz {

/// A strict RFC 4180 reader, written apart from CsvWriter so the fuzz round trip checks the
/// writer against the standard rather than against itself. Records end with CRLF; a field is
/// either plain (no quote, delimiter, CR or LF inside) or quoted with inner quotes doubled.
/// Returns nothing for input that breaks those rules.
class CsvReader
{
public:
    using Record = QList<QByteArray>;

    static std::optional<QList<Record>> read(const QByteArray &text, char delimiter);
};

} // namespace Gatescope::Fuzz
