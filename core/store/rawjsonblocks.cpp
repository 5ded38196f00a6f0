#include "core/store/rawjsonblocks.h"

#include "core/logging.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <zstd.h>

namespace Gatescope {

namespace {

/// @p base with the keys of @p update replacing its own (MESSAGE_UPDATE semantics: a missing key
/// leaves the field unchanged). Falls back to @p update when @p base is not an object.
QByteArray mergedJson(QByteArrayView base, QByteArrayView update)
{
    QJsonObject merged = QJsonDocument::fromJson(base.toByteArray()).object();
    if (merged.isEmpty())
        return update.toByteArray();
    const QJsonObject changes = QJsonDocument::fromJson(update.toByteArray()).object();
    for (auto field = changes.begin(); field != changes.end(); ++field)
        merged.insert(field.key(), field.value());
    return QJsonDocument(merged).toJson(QJsonDocument::Compact);
}

} // namespace

void RawJsonBlocks::CDeleter::operator()(ZSTD_CCtx_s *ctx) const
{
    ZSTD_freeCCtx(ctx);
}

void RawJsonBlocks::DDeleter::operator()(ZSTD_DCtx_s *ctx) const
{
    ZSTD_freeDCtx(ctx);
}

RawJsonBlocks::RawJsonBlocks(int blockRows)
    : m_blockRows(qMax(1, blockRows))
    , m_cctx(ZSTD_createCCtx())
    , m_dctx(ZSTD_createDCtx())
{ }

RawJsonBlocks::~RawJsonBlocks() = default;

void RawJsonBlocks::reset(quint64 firstSeq)
{
    m_blocks.clear();
    m_open.clear();
    m_open.squeeze();
    m_openEnds.clear();
    m_updates.clear();
    m_updateBytes = 0;
    m_rawBytesCompressed = 0;
    m_compressedBytes = 0;
    m_firstSeq = m_endSeq = m_openFirst = firstSeq;
    m_cachedFirst = ~quint64(0);
    m_cached.clear();
}

void RawJsonBlocks::append(QByteArrayView json)
{
    if (m_openEnds.empty())
        m_openFirst = m_endSeq;
    m_open.append(json.data(), json.size());
    m_openEnds.push_back(quint32(m_open.size()));
    ++m_endSeq;
    if (int(m_openEnds.size()) >= m_blockRows)
        sealOpenBlock();
}

void RawJsonBlocks::sealOpenBlock()
{
    Block block;
    block.firstSeq = m_openFirst;
    block.rawSize = m_open.size();
    block.compressed.resize(qsizetype(ZSTD_compressBound(size_t(m_open.size()))));
    const size_t written = ZSTD_compressCCtx(m_cctx.get(), block.compressed.data(),
                                             size_t(block.compressed.size()), m_open.constData(),
                                             size_t(m_open.size()), CompressionLevel);
    if (ZSTD_isError(written)) {
        // Cannot happen with a bound-sized buffer; keep the rows uncompressed rather than lose
        // them.
        qCWarning(lcStore) << "zstd compression failed:" << ZSTD_getErrorName(written);
        block.compressed = m_open;
        block.rawSize = -1;
    } else {
        block.compressed.resize(qsizetype(written));
        block.compressed.squeeze();
    }
    block.ends = std::move(m_openEnds);
    block.ends.shrink_to_fit();
    m_rawBytesCompressed += m_open.size();
    m_compressedBytes += block.compressed.capacity();
    m_blocks.push_back(std::move(block));
    m_open.clear();
    m_openEnds = {};
    m_openEnds.reserve(size_t(m_blockRows));
}

const QByteArray &RawJsonBlocks::decompressed(const Block &block) const
{
    if (m_cachedFirst == block.firstSeq)
        return m_cached;
    if (block.rawSize < 0) {
        m_cached = block.compressed;
    } else {
        m_cached.resize(qsizetype(block.rawSize));
        const size_t read = ZSTD_decompressDCtx(m_dctx.get(), m_cached.data(),
                                                size_t(block.rawSize), block.compressed.constData(),
                                                size_t(block.compressed.size()));
        if (ZSTD_isError(read) || qint64(read) != block.rawSize) {
            qCWarning(lcStore) << "zstd block of raw JSON unreadable";
            m_cached.clear();
        }
    }
    m_cachedFirst = block.firstSeq;
    return m_cached;
}

QByteArray RawJsonBlocks::rowOf(quint64 seq) const
{
    if (seq < m_firstSeq || seq >= m_endSeq)
        return {};
    if (!m_openEnds.empty() && seq >= m_openFirst) {
        const size_t i = size_t(seq - m_openFirst);
        const quint32 start = i == 0 ? 0 : m_openEnds[i - 1];
        return m_open.mid(start, m_openEnds[i] - start);
    }
    if (m_blocks.empty())
        return {};
    const quint64 base = m_blocks.front().firstSeq;
    const size_t index = size_t((seq - base) / quint64(m_blockRows));
    if (index >= m_blocks.size())
        return {};
    const Block &block = m_blocks[index];
    const size_t i = size_t(seq - block.firstSeq);
    if (i >= block.ends.size())
        return {};
    const QByteArray &data = decompressed(block);
    const quint32 start = i == 0 ? 0 : block.ends[i - 1];
    if (qsizetype(block.ends[i]) > data.size())
        return {};
    return data.mid(start, block.ends[i] - start);
}

QByteArray RawJsonBlocks::value(quint64 seq) const
{
    QByteArray json = rowOf(seq);
    const auto update = m_updates.find(seq);
    if (update == m_updates.end())
        return json;
    return mergedJson(json, update->second);
}

void RawJsonBlocks::merge(quint64 seq, QByteArrayView updateJson)
{
    if (seq < m_firstSeq || seq >= m_endSeq || updateJson.isEmpty())
        return;
    auto it = m_updates.find(seq);
    if (it == m_updates.end()) {
        it = m_updates.emplace(seq, updateJson.toByteArray()).first;
    } else {
        m_updateBytes -= it->second.size();
        it->second = mergedJson(it->second, updateJson);
    }
    m_updateBytes += it->second.size();
}

void RawJsonBlocks::dropBefore(quint64 seq)
{
    if (seq <= m_firstSeq)
        return;
    m_firstSeq = qMin(seq, m_endSeq);
    // Every block but the last holds blockRows rows, so the front block ends blockRows after it
    // starts.
    while (!m_blocks.empty()
           && m_blocks.front().firstSeq + m_blocks.front().ends.size() <= m_firstSeq) {
        const Block &front = m_blocks.front();
        m_rawBytesCompressed -= front.rawSize < 0 ? front.compressed.size() : front.rawSize;
        m_compressedBytes -= front.compressed.capacity();
        if (m_cachedFirst == front.firstSeq)
            m_cachedFirst = ~quint64(0);
        m_blocks.pop_front();
    }
    if (m_blocks.empty() && !m_openEnds.empty() && m_openFirst + m_openEnds.size() <= m_firstSeq) {
        m_open.clear();
        m_openEnds.clear();
    }
    auto end = m_updates.lower_bound(m_firstSeq);
    for (auto it = m_updates.begin(); it != end; ++it)
        m_updateBytes -= it->second.size();
    m_updates.erase(m_updates.begin(), end);
}

qint64 RawJsonBlocks::bytes() const
{
    qint64 total = m_compressedBytes + m_open.capacity()
                   + qint64(m_openEnds.capacity() * sizeof(quint32)) + m_updateBytes
                   + qint64(m_updates.size()) * 64;
    for (const Block &block : m_blocks)
        total += qint64(block.ends.capacity() * sizeof(quint32)) + qint64(sizeof(Block));
    return total;
}

} // namespace Gatescope
