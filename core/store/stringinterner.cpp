#include "core/store/stringinterner.h"

namespace Gatescope {

QString StringInterner::intern(QStringView text)
{
    if (text.isEmpty())
        return {};
    return intern(text.toString());
}

QString StringInterner::intern(const QString &text)
{
    if (text.isEmpty())
        return {};
    const auto it = m_strings.constFind(text);
    if (it != m_strings.cend())
        return *it;
    m_strings.insert(text);
    return text;
}

} // namespace Gatescope
