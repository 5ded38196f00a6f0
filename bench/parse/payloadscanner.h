#pragma once

#include "core/store/message.h"

#include <QByteArrayView>
#include <QString>

#include <string>
#include <string_view>

namespace Gatescope {
class StringInterner;
}

namespace Gatescope::Bench {

/// A minimal purpose-built JSON scanner for the parse benchmark only: one pass over the bytes
/// that validates the whole payload (syntax, escapes, UTF-8, nesting ≤ 128) and reads the
/// envelope and, for MESSAGE_CREATE, the same Message fields as MessageParser::parse(). Other
/// events are validated and skipped. It is the yardstick that says how much a general parser
/// costs over the least work the job needs; it is not used by the application.
///
/// Not thread-safe; reuses one scratch buffer.
class PayloadScanner
{
public:
    struct Event
    {
        int op = -1;
        qint64 seq = -1;
        QString type;
        QByteArrayView rawData;
        bool isMessage = false;
        Message message;
    };

    explicit PayloadScanner(StringInterner *interner = nullptr);

    /// False for anything that is not valid JSON with an object at the root.
    bool scan(QByteArrayView payload, Event &event);

private:
    struct Text
    {
        std::string_view raw; ///< between the quotes, escapes not decoded
        bool escaped = false;
    };
    struct Number
    {
        bool isInteger = false;
        qint64 integer = 0;
        double real = 0;
    };

    void skipSpace();
    bool consume(char c);
    bool readText(Text &text);
    bool readNumber(Number &number);
    bool skipValue(int depth);
    bool readMessage(Message &m);
    bool readAuthor(Message &m);
    bool readAttachments(Message &m);
    bool readMentions(Message &m);
    bool readIdIn(std::string_view name, quint64 &id, int depth);
    bool readId(quint64 &id, int depth);
    bool readString(QString &out, int depth);
    bool readCount(qsizetype &count, int depth);
    bool readInteger(qint64 &value, int depth);
    bool readBool(bool &value, int depth);
    /// Iterates the elements of the array at the cursor; @p onElement reads each one.
    template<typename OnElement>
    bool forEachElement(int depth, OnElement &&onElement);
    /// Iterates the keys of the object at the cursor; @p onKey reads each value.
    template<typename OnKey>
    bool forEachKey(int depth, OnKey &&onKey);
    std::string_view keyOf(const Text &text);
    QString toQString(const Text &text);
    bool unescape(std::string_view raw, std::string &out);

    const char *m_pos = nullptr;
    const char *m_end = nullptr;
    std::string m_scratch;
    StringInterner *m_interner = nullptr;
};

} // namespace Gatescope::Bench
