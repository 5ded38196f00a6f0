#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

#include <deque>
#include <map>
#include <memory>
#include <vector>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace Gatescope {

/// The raw JSON of every stored message, for the details pane: rows are numbered by the store's
/// sequence numbers and kept in zstd-compressed blocks of blockRows() consecutive rows.
///
/// The newest rows wait uncompressed in the open block until it is full. A MESSAGE_UPDATE's raw
/// JSON is kept beside the block (merged with earlier updates of the same row) and merged into
/// the create's document when value() is asked for, so the details pane shows the current message
/// without recompressing a block. dropBefore() frees whole blocks, O(1) per block.
///
/// Not thread-safe (value() keeps the last decompressed block); lives with its MessageStore.
class RawJsonBlocks
{
public:
    static constexpr int DefaultBlockRows = 256;
    static constexpr int CompressionLevel = 1;

    explicit RawJsonBlocks(int blockRows = DefaultBlockRows);
    ~RawJsonBlocks();
    RawJsonBlocks(const RawJsonBlocks &) = delete;
    RawJsonBlocks &operator=(const RawJsonBlocks &) = delete;

    int blockRows() const { return m_blockRows; }

    /// Drops everything; the next append() is row @p firstSeq.
    void reset(quint64 firstSeq);
    /// The sequence number the next append() gets.
    quint64 endSeq() const { return m_endSeq; }
    /// Sequence number of the oldest row still held.
    quint64 firstSeq() const { return m_firstSeq; }

    /// Stores @p json (compact JSON of one MESSAGE_CREATE `d`, may be empty) as row endSeq().
    void append(QByteArrayView json);
    /// Keeps @p updateJson (a MESSAGE_UPDATE `d`) for row @p seq: its keys replace the create's.
    void merge(quint64 seq, QByteArrayView updateJson);
    /// The current raw JSON of row @p seq (create with updates merged); empty when not held.
    QByteArray value(quint64 seq) const;
    /// Forgets rows before @p seq (whole blocks; a partly dropped block stays until it is empty).
    void dropBefore(quint64 seq);

    /// Compressed blocks (not counting the open block).
    qsizetype blockCount() const { return qsizetype(m_blocks.size()); }
    /// Bytes held: compressed blocks, their offsets, the open block and kept updates.
    qint64 bytes() const;
    /// Uncompressed bytes of the rows in compressed blocks (for the compression ratio).
    qint64 rawBytesCompressed() const { return m_rawBytesCompressed; }

private:
    struct Block
    {
        quint64 firstSeq = 0;
        QByteArray compressed;
        std::vector<quint32> ends; ///< end offset of each row in the decompressed block
        qint64 rawSize = 0;
    };

    void sealOpenBlock();
    QByteArray rowOf(quint64 seq) const;
    const QByteArray &decompressed(const Block &block) const;

    int m_blockRows;
    quint64 m_firstSeq = 0;
    quint64 m_endSeq = 0;
    std::deque<Block> m_blocks;
    quint64 m_openFirst = 0;
    QByteArray m_open;
    std::vector<quint32> m_openEnds;
    std::map<quint64, QByteArray> m_updates;
    qint64 m_updateBytes = 0;
    qint64 m_rawBytesCompressed = 0;
    qint64 m_compressedBytes = 0;

    struct CDeleter
    {
        void operator()(ZSTD_CCtx_s *ctx) const;
    };
    struct DDeleter
    {
        void operator()(ZSTD_DCtx_s *ctx) const;
    };
    std::unique_ptr<ZSTD_CCtx_s, CDeleter> m_cctx;
    mutable std::unique_ptr<ZSTD_DCtx_s, DDeleter> m_dctx;
    mutable quint64 m_cachedFirst = ~quint64(0);
    mutable QByteArray m_cached;
};

} // namespace Gatescope
