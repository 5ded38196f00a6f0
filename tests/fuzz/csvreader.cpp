#include "csvreader.h"

namespace Gatescope::Fuzz {

std::optional<QList<CsvReader::Record>> CsvReader::read(const QByteArray &text, char delimiter)
{
    QList<Record> records;
    Record record;
    qsizetype pos = 0;
    const qsizetype size = text.size();
    while (pos < size) {
        QByteArray field;
        if (text[pos] == '"') {
            ++pos;
            while (true) {
                if (pos >= size)
                    return std::nullopt; // unterminated quote
                if (text[pos] == '"') {
                    if (pos + 1 < size && text[pos + 1] == '"') {
                        field += '"';
                        pos += 2;
                        continue;
                    }
                    ++pos;
                    break;
                }
                field += text[pos++];
            }
        } else {
            while (pos < size && text[pos] != delimiter && text[pos] != '\r' && text[pos] != '\n') {
                if (text[pos] == '"')
                    return std::nullopt; // a quote inside a plain field
                field += text[pos++];
            }
        }
        record.append(field);
        if (pos < size && text[pos] == delimiter) {
            ++pos;
            if (pos == size)
                return std::nullopt; // a delimiter must be followed by a field
            continue;
        }
        if (pos + 1 < size && text[pos] == '\r' && text[pos + 1] == '\n') {
            pos += 2;
            records.append(record);
            record.clear();
            continue;
        }
        return std::nullopt; // anything else after a field, or no CRLF at the end
    }
    if (!record.isEmpty())
        return std::nullopt;
    return records;
}

} // namespace Gatescope::Fuzz
