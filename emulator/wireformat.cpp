#include "emulator/wireformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator::WireFormat {

namespace {

bool isPlainName(const QString &text)
{
    for (QChar c : text) {
        if (!(c.isDigit() || (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || c == u'_'))
            return false;
    }
    return true;
}

} // namespace

QByteArray json(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    case QJsonValue::Array:
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return "null"_ba;
    case QJsonValue::Bool:
        return value.toBool() ? "true"_ba : "false"_ba;
    default: {
        // Numbers and strings: let QJsonDocument format and escape them inside an array.
        QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return wrapped.mid(1, wrapped.size() - 2);
    }
    }
}

QByteArray payload(int op, const QJsonValue &d, const QString &t, std::optional<qint64> s)
{
    QByteArray out;
    const QByteArray body = json(d);
    out.reserve(body.size() + t.size() + 48);
    out += "{\"t\":";
    if (t.isEmpty())
        out += "null";
    else if (isPlainName(t))
        out += '"' + t.toLatin1() + '"';
    else
        out += json(QJsonValue(t));
    out += ",\"s\":";
    out += s ? QByteArray::number(*s) : "null"_ba;
    out += ",\"op\":";
    out += QByteArray::number(op);
    out += ",\"d\":";
    out += body;
    out += '}';
    return out;
}

QByteArray dispatch(const QString &type, qint64 seq, const QJsonValue &d)
{
    return payload(0, d, type, seq);
}

} // namespace Gatescope::Emulator::WireFormat
