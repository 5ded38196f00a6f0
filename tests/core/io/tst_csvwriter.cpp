#include "core/io/csvwriter.h"

#include "readback.h"
#include "samplemessages.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QStringDecoder>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::TestData;
using namespace Qt::StringLiterals;

class tst_CsvWriter : public QObject
{
    Q_OBJECT

private slots:
    void readBackByPython_data();
    void readBackByPython();
    void exactBytes();
    void header();
    void quoting_data();
    void quoting();
    void formulaLike_data();
    void formulaLike();
    void loneSurrogatesGiveValidUtf8_data();
    void loneSurrogatesGiveValidUtf8();
    void unknownDelimiterFallsBackToComma();
    void nulBecomesReplacementCharacter_data();
    void nulBecomesReplacementCharacter();

private:
    static QStringList expectedCells(const Sample &sample);
};

QStringList tst_CsvWriter::expectedCells(const Sample &s)
{
    const Message &m = s.message;
    return {isoText(m.timestampMs),
            idText(m.guildId),
            s.csvGuild,
            idText(m.channelId),
            s.csvChannel,
            idText(m.id),
            idText(m.authorId),
            s.csvAuthor,
            (m.flags & Message::AuthorIsBot) ? u"true"_s : u"false"_s,
            s.csvContent,
            s.csvAttachments,
            idText(m.replyToId),
            isoText(m.editedAtMs),
            (m.flags & Message::Deleted) ? u"true"_s : u"false"_s};
}

void tst_CsvWriter::readBackByPython_data()
{
    QTest::addColumn<bool>("bom");
    QTest::addColumn<char>("delimiter");

    QTest::newRow("comma, BOM") << true << ',';
    QTest::newRow("comma, no BOM") << false << ',';
    QTest::newRow("semicolon, BOM") << true << ';';
    QTest::newRow("semicolon, no BOM") << false << ';';
}

void tst_CsvWriter::readBackByPython()
{
    QFETCH(bool, bom);
    QFETCH(char, delimiter);

    const QList<Sample> list = samples();
    const CsvWriter writer(CsvOptions{bom, delimiter});
    QByteArray bytes;
    if (bom)
        bytes += CsvWriter::byteOrderMark();
    writer.appendHeader(bytes);
    for (const Sample &sample : list)
        writer.appendRow(bytes, rowOf(sample));

    QCOMPARE(bytes.startsWith("\xEF\xBB\xBF"), bom);
    QVERIFY(bytes.endsWith("\r\n"));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"export.csv"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();

    QString error;
    const QJsonArray rows = readBackCsv(path, delimiter, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(rows.size(), list.size() + 1);

    QStringList header;
    for (const QJsonValue &cell : rows.at(0).toArray())
        header << cell.toString();
    QCOMPARE(header, CsvWriter::columns());
    QCOMPARE(header.first(), u"timestamp_utc"_s); // no BOM glued to the first name

    for (qsizetype i = 0; i < list.size(); ++i) {
        QStringList cells;
        for (const QJsonValue &cell : rows.at(i + 1).toArray())
            cells << cell.toString();
        QCOMPARE_EQ(cells.size(), 14);
        const QStringList expected = expectedCells(list.at(i));
        for (qsizetype c = 0; c < cells.size(); ++c) {
            QVERIFY2(cells.at(c) == expected.at(c),
                     qPrintable(u"sample \"%1\", column %2: got \"%3\", expected \"%4\""_s.arg(
                             list.at(i).name, CsvWriter::columns().at(c), cells.at(c),
                             expected.at(c))));
        }
    }
}

void tst_CsvWriter::exactBytes()
{
    Message m;
    m.id = 1180000000000000001ULL;
    m.channelId = 22;
    m.guildId = 0;
    m.authorId = 33;
    m.timestampMs = 1704164645678LL;
    m.editedAtMs = 1704164645009LL;
    m.replyToId = 44;
    m.flags = Message::AuthorIsBot | Message::Edited;
    m.authorName = u"bot\"name"_s;
    m.content = u"x,y"_s;
    m.attachments = {{u"a"_s, 1, u"https://a"_s}, {u"b"_s, 2, u"https://b"_s}};

    QByteArray out;
    CsvWriter().appendRow(out, ExportRow{&m, QString(), u"dm"_s});
    QCOMPARE(out, "2024-01-02T03:04:05.678Z,,,22,dm,1180000000000000001,33,\"bot\"\"name\",true,"
                  "\"x,y\",https://a https://b,44,2024-01-02T03:04:05.009Z,false\r\n"_ba);
}

void tst_CsvWriter::header()
{
    QByteArray comma;
    CsvWriter().appendHeader(comma);
    QCOMPARE(comma,
             "timestamp_utc,guild_id,guild,channel_id,channel,message_id,author_id,author,bot,"
             "content,attachments,reply_to,edited_at,deleted\r\n"_ba);
    QByteArray semicolon;
    CsvWriter(CsvOptions{false, ';'}).appendHeader(semicolon);
    QCOMPARE(semicolon, QByteArray(comma).replace(',', ';'));
}

void tst_CsvWriter::quoting_data()
{
    QTest::addColumn<char>("delimiter");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("cell");

    QTest::newRow("plain") << ',' << u"abc"_s << "abc"_ba;
    QTest::newRow("empty") << ',' << QString() << QByteArray();
    QTest::newRow("comma") << ',' << u"a,b"_s << "\"a,b\""_ba;
    QTest::newRow("comma with ;") << ';' << u"a,b"_s << "a,b"_ba;
    QTest::newRow("semicolon with ;") << ';' << u"a;b"_s << "\"a;b\""_ba;
    QTest::newRow("semicolon with ,") << ',' << u"a;b"_s << "a;b"_ba;
    QTest::newRow("quotes") << ',' << u"say \"hi\""_s << "\"say \"\"hi\"\"\""_ba;
    QTest::newRow("lf") << ',' << u"x\ny"_s << "\"x\ny\""_ba;
    QTest::newRow("cr") << ',' << u"x\ry"_s << "\"x\ry\""_ba;
    QTest::newRow("formula and comma") << ',' << u"=1,2"_s << "\"'=1,2\""_ba;
    QTest::newRow("non-ascii") << ',' << u"é👋"_s << "\xC3\xA9\xF0\x9F\x91\x8B"_ba;
}

void tst_CsvWriter::quoting()
{
    QFETCH(char, delimiter);
    QFETCH(QString, text);
    QFETCH(QByteArray, cell);

    QByteArray out;
    CsvWriter(CsvOptions{false, delimiter}).appendCell(out, text);
    QCOMPARE(out, cell);
}

void tst_CsvWriter::formulaLike_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("formula");

    QTest::newRow("equals") << u"=1+1"_s << true;
    QTest::newRow("plus") << u"+1"_s << true;
    QTest::newRow("minus") << u"-1"_s << true;
    QTest::newRow("at") << u"@SUM(1)"_s << true;
    QTest::newRow("tab") << u"\tx"_s << true;
    QTest::newRow("cr") << u"\rx"_s << true;
    QTest::newRow("space equals") << u" =1"_s << true;
    QTest::newRow("lf equals") << u"\n=1"_s << true;
    QTest::newRow("nbsp minus") << u"\u00A0-1"_s << true;
    QTest::newRow("full-width equals") << u"\uFF1D1"_s << true;
    QTest::newRow("full-width plus") << u"\uFF0B1"_s << true;
    QTest::newRow("full-width minus") << u"\uFF0D1"_s << true;
    QTest::newRow("full-width at") << u"\uFF20x"_s << true;
    QTest::newRow("space tab") << u" \tx"_s << true;
    QTest::newRow("bom full-width plus") << u"\uFEFF\uFF0B1"_s << true;
    QTest::newRow("zero-width space equals") << u"\u200B=1"_s << true;
    QTest::newRow("bom word") << u"\uFEFFhello"_s << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("spaces only") << u"  "_s << false;
    QTest::newRow("word") << u"hello"_s << false;
    QTest::newRow("equals later") << u"a=1"_s << false;
    QTest::newRow("apostrophe") << u"'=1"_s << false;
    QTest::newRow("digit") << u"1-2"_s << false;
    QTest::newRow("lf only") << u"\nx"_s << false;
}

void tst_CsvWriter::formulaLike()
{
    QFETCH(QString, text);
    QFETCH(bool, formula);
    QCOMPARE(CsvWriter::isFormulaLike(text), formula);

    QByteArray out;
    CsvWriter().appendCell(out, text);
    const QByteArray unquoted = out.startsWith('"') ? out.mid(1) : out;
    QVERIFY2(unquoted.startsWith((formula ? "'"_ba : QByteArray()) + text.toUtf8()),
             out.constData());
}

void tst_CsvWriter::loneSurrogatesGiveValidUtf8_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    const QString replacement(QChar(0xFFFD));
    QTest::newRow("high alone") << u"a"_s + QChar(0xD83D) + u"b"_s << u"a"_s + replacement + u"b"_s;
    QTest::newRow("low alone") << u"a"_s + QChar(0xDC4B) + u"b"_s << u"a"_s + replacement + u"b"_s;
    QTest::newRow("high at end") << u"a"_s + QChar(0xD83D) << u"a"_s + replacement;
    QTest::newRow("reversed pair")
            << QString(QChar(0xDC4B)) + QChar(0xD83D) << replacement + replacement;
    QTest::newRow("two highs then low")
            << QString(QChar(0xD83D)) + QChar(0xD83D) + QChar(0xDC4B) << replacement + u"👋"_s;
    QTest::newRow("valid pair") << u"👋"_s << u"👋"_s;
}

void tst_CsvWriter::loneSurrogatesGiveValidUtf8()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);

    QByteArray out;
    CsvWriter().appendCell(out, text);
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder(out);
    QVERIFY(!decoder.hasError());
    QCOMPARE(decoded, expected);
}

void tst_CsvWriter::unknownDelimiterFallsBackToComma()
{
    const CsvWriter writer(CsvOptions{true, '\t'});
    QCOMPARE(writer.delimiter(), ',');
    QByteArray out;
    writer.appendCell(out, u"a,b"_s);
    QCOMPARE(out, "\"a,b\""_ba);
}

QTEST_GUILESS_MAIN(tst_CsvWriter)
void tst_CsvWriter::nulBecomesReplacementCharacter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("cell");

    const QChar nul(0);
    QTest::newRow("inside") << u"a"_s + nul + u"b"_s
                            << "a\xEF\xBF\xBD"
                               "b"_ba;
    QTest::newRow("alone") << QString(nul) << "\xEF\xBF\xBD"_ba;
    QTest::newRow("two, quoted cell") << u"x,"_s + nul + nul << "\"x,\xEF\xBF\xBD\xEF\xBF\xBD\""_ba;
    QTest::newRow("before a quote") << nul + u"\""_s << "\"\xEF\xBF\xBD\"\"\""_ba;
    QTest::newRow("formula after NUL") << nul + u"=1"_s << "\xEF\xBF\xBD=1"_ba;
}

void tst_CsvWriter::nulBecomesReplacementCharacter()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, cell);

    QByteArray out;
    CsvWriter().appendCell(out, text);
    QCOMPARE(out, cell);
    QVERIFY(!out.contains('\0'));

    // Every text cell of a row: names too.
    Message message;
    message.id = 1;
    message.content = text;
    message.authorName = text;
    QByteArray row;
    CsvWriter().appendRow(row, ExportRow{&message, text, text});
    QVERIFY(!row.contains('\0'));
}

#include "tst_csvwriter.moc"
