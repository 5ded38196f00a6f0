#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QtGlobal>

#include <cstddef>
#include <cstdint>

namespace Gatescope::Fuzz {

/// Reads typed values off the front of one fuzz input, so a target can turn random bytes into
/// structured calls (split points, options, sizes). Past the end every read gives zero or an empty
/// array: a short input is still a valid one.
class FuzzInput
{
public:
    FuzzInput(const uint8_t *data, size_t size)
        : m_data(reinterpret_cast<const char *>(data), qsizetype(size))
    { }

    bool atEnd() const { return m_pos >= m_data.size(); }
    qsizetype remaining() const { return m_data.size() - m_pos; }

    quint8 byte() { return atEnd() ? 0 : quint8(m_data[m_pos++]); }

    quint16 word() { return quint16(byte() | (byte() << 8)); }

    /// Up to @p count bytes.
    QByteArray take(qsizetype count)
    {
        const qsizetype n = qMin(count, remaining());
        const QByteArray out = m_data.sliced(m_pos, n).toByteArray();
        m_pos += n;
        return out;
    }

    QByteArray rest() { return take(remaining()); }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
};

/// Cuts @p data into consecutive pieces whose sizes come from @p input (1 to 256 bytes each, the
/// last piece takes what is left once @p input runs dry), as a network would split a stream.
inline QList<QByteArray> splitLikeANetwork(const QByteArray &data, FuzzInput &input)
{
    QList<QByteArray> pieces;
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype size = input.atEnd() ? data.size() - pos : qsizetype(input.byte()) + 1;
        pieces.append(data.mid(pos, size));
        pos += size;
    }
    return pieces;
}

/// Silences Qt's warnings (a corrupt stream logs one per input), so libFuzzer's output stays
/// readable. qFatal still aborts, so a fatal message is still a crash.
void silenceQtMessages();

} // namespace Gatescope::Fuzz
