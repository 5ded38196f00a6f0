#pragma once

// Tricky messages shared by the CSV, JSON Lines, exporter and sink tests, each with the cells a
// spreadsheet user must see. The expected text cells are written out by hand, not computed by
// the code under test.

#include "core/io/exporttypes.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace Gatescope::TestData {

using namespace Qt::StringLiterals;

struct Sample
{
    QString name;
    Message message;
    QString guild;
    QString channel;
    // Expected CSV text cells, after formula neutralisation.
    QString csvGuild;
    QString csvChannel;
    QString csvAuthor;
    QString csvContent;
    QString csvAttachments;
};

/// What a reader expects for an id: decimal, empty when absent. Computed with Qt, not our code.
inline QString idText(quint64 id)
{
    return id ? QString::number(id) : QString();
}

/// What a reader expects for a time: ISO 8601 UTC with ms, empty when absent.
inline QString isoText(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs) : QString();
}

inline Message baseMessage(quint64 n)
{
    Message m;
    m.id = 1180000000000000000ULL + n;
    m.channelId = 1100000000000000001ULL;
    m.guildId = 1000000000000000001ULL;
    m.authorId = 900000000000000000ULL + n;
    m.timestampMs = 1704164645678LL + qint64(n) * 1001; // 2024-01-02T03:04:05.678Z onwards
    m.authorName = u"alice"_s;
    return m;
}

inline Sample contentSample(quint64 n, const QString &name, const QString &content,
                            const QString &expected)
{
    Sample s{name,         baseMessage(n), u"Test Guild"_s, u"general"_s, u"Test Guild"_s,
             u"general"_s, u"alice"_s,     expected,        QString()};
    s.message.content = content;
    return s;
}

inline QList<Sample> samples()
{
    QList<Sample> list;
    quint64 n = 0;
    const auto same = [&](const char *name, const QString &content) {
        list << contentSample(++n, QString::fromUtf8(name), content, content);
    };
    const auto neutralised = [&](const char *name, const QString &content) {
        list << contentSample(++n, QString::fromUtf8(name), content, u"'"_s + content);
    };
    same("plain", u"hello world"_s);
    same("quotes", u"she said \"hi\" and \"\"bye\"\""_s);
    same("commas", u"a, b, c,"_s);
    same("semicolons", u"a; b; c;"_s);
    same("lf inside", u"line one\nline two\n"_s);
    same("crlf inside", u"line one\r\nline two\r\n"_s);
    same("mixed specials", u"\"x\",y;z\r\n\"w\""_s);
    same("emoji", u"wave 👋 👋🏽 family 👨‍👩‍👧 flag 🇩🇪"_s);
    same("arabic rtl", u"مرحبا بالعالم, hello"_s);
    same("hebrew rtl", u"שלום עולם; \u200Fmark"_s);
    same("combining marks", u"e\u0301 n\u0303 Z\u0351\u0352\u0353 a\u0308"_s);
    same("cjk", u"你好世界 こんにちは 안녕하세요"_s);
    same("equals inside", u"a=b+c-d@e"_s);
    same("apostrophe start", u"'quoted already"_s);
    same("empty content", QString());
    same("only spaces", u"   "_s);
    neutralised("hyperlink formula", u"=HYPERLINK(\"http://evil.example\",\"click\")"_s);
    neutralised("plus", u"+1"_s);
    neutralised("minus", u"-2"_s);
    neutralised("at sum", u"@SUM(A1:A2)"_s);
    neutralised("tab start", u"\tTAB start"_s);
    neutralised("cr start", u"\rCR start"_s);
    neutralised("spaces then equals", u"   =1+1"_s);
    neutralised("lf then plus", u"\n+cmd"_s);
    neutralised("full-width equals", u"\uFF1D1+1"_s);
    neutralised("dde", u"=cmd|' /C calc'!A0"_s);
    list << contentSample(++n, u"lone surrogates"_s,
                          u"bad "_s + QChar(0xD800) + u" and "_s + QChar(0xDC00) + u" end"_s
                                  + QChar(0xD83D),
                          u"bad \uFFFD and \uFFFD end\uFFFD"_s);

    Sample dm = contentSample(++n, u"dm without guild"_s, u"a direct message"_s,
                              u"a direct message"_s);
    dm.message.guildId = 0;
    dm.guild.clear();
    dm.csvGuild.clear();
    dm.channel = dm.csvChannel = u"bob"_s;
    list << dm;

    Sample names = contentSample(++n, u"hostile names"_s, u"names"_s, u"names"_s);
    names.message.authorName = u"=cmd|' /C calc'!A0"_s;
    names.csvAuthor = u"'=cmd|' /C calc'!A0"_s;
    names.guild = u"Guild, \"Quoted\""_s;
    names.csvGuild = names.guild;
    names.channel = u"-minus-channel"_s;
    names.csvChannel = u"'-minus-channel"_s;
    list << names;

    Sample full = contentSample(++n, u"every flag"_s, u"edited, deleted reply"_s,
                                u"edited, deleted reply"_s);
    full.message.flags = Message::AuthorIsBot | Message::Deleted | Message::Edited;
    full.message.editedAtMs = 1704164700001LL; // 2024-01-02T03:05:00.001Z
    full.message.deletedAtMs = 1704164800002LL;
    full.message.replyToId = 1180000000000000001ULL;
    full.message.authorGlobalName = u"Alice 👋"_s;
    full.message.attachments = {
            {u"cat.png"_s, 12345, u"https://cdn.example/a/cat.png"_s},
            {u"notes, v2.txt"_s, 7, u"https://cdn.example/a/notes%2C%20v2.txt"_s},
    };
    full.message.revisions = {{1704164690000LL, u"first"_s}, {1704164700001LL, u"=second"_s}};
    full.csvAttachments
            = u"https://cdn.example/a/cat.png https://cdn.example/a/notes%2C%20v2.txt"_s;
    list << full;
    return list;
}

inline ExportRow rowOf(const Sample &sample)
{
    return ExportRow{&sample.message, sample.guild, sample.channel};
}

inline ExportRowProvider providerOf(const QList<Sample> &list)
{
    return [list](qsizetype i) {
        return rowOf(list.at(i));
    };
}

} // namespace Gatescope::TestData
