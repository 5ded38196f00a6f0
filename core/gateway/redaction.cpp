#include "core/gateway/redaction.h"

#include "core/gateway/bottoken.h"
#include "core/gateway/payload.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMutex>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

QMutex &registryMutex()
{
    static QMutex mutex;
    return mutex;
}

QStringList &secrets()
{
    static QStringList list;
    return list;
}

QJsonValue redactValue(const QJsonValue &value)
{
    if (value.isString()) {
        const QString text = value.toString();
        const QString hidden = Redaction::redact(text);
        return hidden == text ? value : QJsonValue(hidden);
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            array[i] = redactValue(array.at(i));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = redactValue(it.value());
        return object;
    }
    return value;
}

} // namespace

void Redaction::registerSecret(const QString &secret)
{
    if (secret.isEmpty())
        return;
    QMutexLocker locker(&registryMutex());
    if (!secrets().contains(secret))
        secrets().append(secret);
}

void Redaction::registerSecret(const BotToken &token)
{
    registerSecret(token.reveal());
}

void Redaction::clearSecrets()
{
    QMutexLocker locker(&registryMutex());
    secrets().clear();
}

QString Redaction::redact(const QString &text)
{
    QMutexLocker locker(&registryMutex());
    QString result = text;
    for (const QString &secret : std::as_const(secrets()))
        result.replace(secret, Placeholder);
    return result;
}

QByteArray Redaction::redact(const QByteArray &text)
{
    QMutexLocker locker(&registryMutex());
    QByteArray result = text;
    const QByteArray placeholder = Placeholder.toUtf8();
    for (const QString &secret : std::as_const(secrets()))
        result.replace(secret.toUtf8(), placeholder);
    return result;
}

QJsonValue Redaction::redactPayloadData(int op, const QJsonValue &d)
{
    QJsonValue result = redactValue(d);
    const bool carriesToken = op == int(Opcode::Identify) || op == int(Opcode::Resume);
    if (carriesToken && result.isObject()) {
        QJsonObject object = result.toObject();
        if (object.contains("token"_L1))
            object.insert("token"_L1, Placeholder);
        result = object;
    }
    return result;
}

QByteArray Redaction::redactedJson(const Payload &payload)
{
    Payload copy = payload;
    copy.d = redactPayloadData(payload.op, payload.d);
    return copy.serialize();
}

} // namespace Gatescope
