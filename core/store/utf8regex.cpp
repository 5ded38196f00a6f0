#include "core/store/utf8regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace Gatescope {

namespace {

/// QRegularExpression's pattern options as PCRE2 options (Qt maps them the same way).
uint32_t pcreOptions(QRegularExpression::PatternOptions options)
{
    using Option = QRegularExpression::PatternOption;
    uint32_t pcre = PCRE2_UTF;
    if (options & Option::CaseInsensitiveOption)
        pcre |= PCRE2_CASELESS;
    if (options & Option::DotMatchesEverythingOption)
        pcre |= PCRE2_DOTALL;
    if (options & Option::MultilineOption)
        pcre |= PCRE2_MULTILINE;
    if (options & Option::ExtendedPatternSyntaxOption)
        pcre |= PCRE2_EXTENDED;
    if (options & Option::InvertedGreedinessOption)
        pcre |= PCRE2_UNGREEDY;
    if (options & Option::DontCaptureOption)
        pcre |= PCRE2_NO_AUTO_CAPTURE;
    if (options & Option::UseUnicodePropertiesOption)
        pcre |= PCRE2_UCP;
    return pcre;
}

struct MatchDataDeleter
{
    void operator()(pcre2_match_data *data) const { pcre2_match_data_free(data); }
};

} // namespace

struct Utf8Regex::Code
{
    pcre2_code *code = nullptr;
    bool jitCompiled = false;
    ~Code() { pcre2_code_free(code); }
};

Utf8Regex::Utf8Regex(const QRegularExpression &regex)
{
    if (!regex.isValid())
        return;
    const QByteArray pattern = regex.pattern().toUtf8();
    int error = 0;
    PCRE2_SIZE errorOffset = 0;
    auto code = std::make_shared<Code>();
    code->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.constData()),
                               PCRE2_SIZE(pattern.size()), pcreOptions(regex.patternOptions()),
                               &error, &errorOffset, nullptr);
    if (!code->code)
        return;
    // Without JIT (not built, or out of memory) the interpreter still matches correctly.
    code->jitCompiled = pcre2_jit_compile(code->code, PCRE2_JIT_COMPLETE) == 0;
    m_code = std::move(code);
}

bool Utf8Regex::matches(QByteArrayView utf8) const
{
    if (!m_code)
        return false;
    // One pair of offsets is enough to tell a match (a smaller vector than the groups need still
    // reports the match); kept per thread, since filter threads match at once.
    thread_local std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(
            pcre2_match_data_create(1, nullptr));
    const auto subject = reinterpret_cast<PCRE2_SPTR>(utf8.data());
    const auto length = PCRE2_SIZE(utf8.size());
    // The JIT's own entry skips pcre2_match's checks of the options and the subject (the text is
    // valid UTF-8 already): about a tenth of the time of a short row.
    const int rc = m_code->jitCompiled ? pcre2_jit_match(m_code->code, subject, length, 0, 0,
                                                         data.get(), nullptr)
                                       : pcre2_match(m_code->code, subject, length, 0,
                                                     PCRE2_NO_UTF_CHECK, data.get(), nullptr);
    return rc >= 0;
}

} // namespace Gatescope
