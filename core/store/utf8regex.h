#pragma once

#include <QByteArrayView>
#include <QRegularExpression>

#include <memory>

namespace Gatescope {

/// A QRegularExpression compiled a second time, with PCRE2's 8-bit library and its JIT, to match
/// UTF-8 text directly: the store's text is UTF-8, and matching through QRegularExpression means
/// decoding every row to UTF-16 and paying for a QRegularExpressionMatch per row (about 300 ns
/// a row, which made a regex without a literal to prefilter on take 300–600 ms over 1,000,000
/// rows).
///
/// QRegularExpression is PCRE2 too (16-bit, always in UTF mode), so the same pattern with the
/// same options mapped one to one matches the same texts. Only whether there is a match is
/// reported.
///
/// Thread-safe once built: matches() keeps its match data per thread. Copies share the
/// compiled code.
class Utf8Regex
{
public:
    Utf8Regex() = default;
    /// Compiles @p regex's pattern and options; isValid() is false when PCRE2 refuses it.
    explicit Utf8Regex(const QRegularExpression &regex);

    bool isValid() const { return bool(m_code); }
    /// True when the pattern matches somewhere in @p utf8, which must be valid UTF-8 (it is not
    /// checked again: the store's text comes from QString::toUtf8(), which always is).
    bool matches(QByteArrayView utf8) const;

private:
    struct Code;
    std::shared_ptr<const Code> m_code;
};

} // namespace Gatescope
