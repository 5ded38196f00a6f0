#include "core/io/jsonlineswriter.h"

#include "readback.h"
#include "samplemessages.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringDecoder>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::TestData;
using namespace Qt::StringLiterals;

class tst_JsonLinesWriter : public QObject
{
    Q_OBJECT

private slots:
    void readBackByPython();
    void keyOrderAndNulls();
    void escapes_data();
    void escapes();

private:
    static QJsonObject expectedObject(const Sample &sample);
};

QJsonObject tst_JsonLinesWriter::expectedObject(const Sample &s)
{
    const Message &m = s.message;
    const auto id = [](quint64 v) {
        return v ? QJsonValue(idText(v)) : QJsonValue();
    };
    const auto time = [](qint64 ms) {
        return ms ? QJsonValue(isoText(ms)) : QJsonValue();
    };
    // JSON keeps the exact text: no formula neutralisation; lone surrogates become U+FFFD.
    const auto text = [](const QString &t) {
        QString fixed = t;
        for (qsizetype i = 0; i < fixed.size(); ++i) {
            const QChar c = fixed.at(i);
            if (c.isHighSurrogate() && i + 1 < fixed.size() && fixed.at(i + 1).isLowSurrogate())
                ++i;
            else if (c.isSurrogate())
                fixed[i] = QChar(0xFFFD);
        }
        return fixed;
    };
    QJsonArray attachments;
    for (const Attachment &a : m.attachments) {
        attachments.append(QJsonObject{
                {u"filename"_s, a.filename}, {u"size"_s, double(a.size)}, {u"url"_s, a.url}});
    }
    QJsonArray edits;
    for (const MessageRevision &r : m.revisions)
        edits.append(
                QJsonObject{{u"replaced_at"_s, time(r.replacedAtMs)}, {u"content"_s, r.content}});
    return QJsonObject{
            {u"timestamp_utc"_s, time(m.timestampMs)},
            {u"guild_id"_s, id(m.guildId)},
            {u"guild"_s, s.guild},
            {u"channel_id"_s, id(m.channelId)},
            {u"channel"_s, s.channel},
            {u"message_id"_s, id(m.id)},
            {u"author_id"_s, id(m.authorId)},
            {u"author"_s, m.authorName},
            {u"bot"_s, bool(m.flags & Message::AuthorIsBot)},
            {u"content"_s, text(m.content)},
            {u"attachments"_s, attachments},
            {u"reply_to"_s, id(m.replyToId)},
            {u"edited_at"_s, time(m.editedAtMs)},
            {u"deleted"_s, bool(m.flags & Message::Deleted)},
            {u"author_global_name"_s, m.authorGlobalName},
            {u"deleted_at"_s, time(m.deletedAtMs)},
            {u"edits"_s, edits},
    };
}

void tst_JsonLinesWriter::readBackByPython()
{
    const QList<Sample> list = samples();
    QByteArray bytes;
    for (const Sample &sample : list)
        JsonLinesWriter::appendRow(bytes, rowOf(sample));
    QCOMPARE(bytes.count('\n'), list.size()); // newlines inside text are escaped

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"export.jsonl"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();

    QString error;
    const QJsonArray objects = readBackJsonLines(path, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(objects.size(), list.size());
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject got = objects.at(i).toObject();
        const QJsonObject expected = expectedObject(list.at(i));
        QCOMPARE(got.keys(), expected.keys());
        for (const QString &key : expected.keys()) {
            QVERIFY2(got.value(key) == expected.value(key),
                     qPrintable(u"sample \"%1\", key %2: got %3, expected %4"_s.arg(
                             list.at(i).name, key,
                             QString::fromUtf8(QJsonDocument(QJsonArray{got.value(key)})
                                                       .toJson(QJsonDocument::Compact)),
                             QString::fromUtf8(QJsonDocument(QJsonArray{expected.value(key)})
                                                       .toJson(QJsonDocument::Compact)))));
        }
    }
}

void tst_JsonLinesWriter::keyOrderAndNulls()
{
    Message m;
    m.id = 18446744073709551615ULL; // larger than any double can hold exactly
    m.channelId = 2;
    m.authorId = 3;
    m.timestampMs = 1704164645678LL;
    m.authorName = u"a"_s;
    QByteArray out;
    JsonLinesWriter::appendRow(out, ExportRow{&m, QString(), u"c"_s});
    QCOMPARE(out, R"({"timestamp_utc":"2024-01-02T03:04:05.678Z","guild_id":null,"guild":"",)"
                  R"("channel_id":"2","channel":"c","message_id":"18446744073709551615",)"
                  R"("author_id":"3","author":"a","bot":false,"content":"","attachments":[],)"
                  R"("reply_to":null,"edited_at":null,"deleted":false,"author_global_name":"",)"
                  R"("deleted_at":null,"edits":[]})"
                  "\n"_ba);
}

void tst_JsonLinesWriter::escapes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("plain") << u"abc"_s << "\"abc\""_ba;
    QTest::newRow("quote and backslash") << u"a\"b\\c"_s << R"("a\"b\\c")"_ba;
    QTest::newRow("newlines and tab") << u"a\nb\r\tc"_s << R"("a\nb\r\tc")"_ba;
    QTest::newRow("control") << QString(QChar(0x01)) + QChar(0x1F) << R"("\u0001\u001f")"_ba;
    QTest::newRow("formula kept") << u"=1+1"_s << "\"=1+1\""_ba;
    QTest::newRow("slash kept") << u"a/b"_s << "\"a/b\""_ba;
    QTest::newRow("emoji") << u"👋"_s << "\"\xF0\x9F\x91\x8B\""_ba;
    QTest::newRow("lone surrogate") << QString(QChar(0xD800)) << "\"\xEF\xBF\xBD\""_ba;
}

void tst_JsonLinesWriter::escapes()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, json);
    QByteArray out;
    JsonLinesWriter::appendString(out, text);
    QCOMPARE(out, json);
}

QTEST_GUILESS_MAIN(tst_JsonLinesWriter)
#include "tst_jsonlineswriter.moc"
