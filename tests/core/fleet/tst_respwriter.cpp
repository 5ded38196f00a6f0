#include "core/fleet/redisconnection.h"
#include "core/fleet/respwriter.h"

#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

/// RespWriter must write exactly what hiredis' redisFormatCommandArgv writes.
class tst_RespWriter : public QObject
{
    Q_OBJECT

private slots:
    void sameBytesAsHiredis_data();
    void sameBytesAsHiredis();
    void numbersAndTextAsRedisReadsThem();
};

void tst_RespWriter::sameBytesAsHiredis_data()
{
    QTest::addColumn<QByteArrayList>("arguments");
    QTest::newRow("one argument") << QByteArrayList{"PING"_ba};
    QTest::newRow("empty argument") << QByteArrayList{"SET"_ba, "k"_ba, QByteArray()};
    QTest::newRow("binary") << QByteArrayList{"SET"_ba, "k"_ba, QByteArray("a\0\r\nb", 5)};
    QTest::newRow("utf-8") << QByteArrayList{"XADD"_ba, "s"_ba, "*"_ba, "d"_ba,
                                             QStringLiteral("h\u00e9 \u2603").toUtf8()};
    QTest::newRow("ten and more arguments") << QByteArrayList{
            "XADD"_ba,      "p:events"_ba, "MAXLEN"_ba, "~"_ba,  "1000000"_ba, "*"_ba,
            "collector"_ba, "c1"_ba,       "shard"_ba,  "12"_ba, "seq"_ba,     "99"_ba};
    QTest::newRow("long argument") << QByteArrayList{"SET"_ba, "k"_ba, QByteArray(70000, 'x')};
}

void tst_RespWriter::sameBytesAsHiredis()
{
    QFETCH(QByteArrayList, arguments);
    QCOMPARE(RespWriter::encode(arguments), RedisConnection::format(arguments));
}

void tst_RespWriter::numbersAndTextAsRedisReadsThem()
{
    QByteArray out;
    RespWriter(&out)
            .command(5)
            .argument("X")
            .argument(qint64(-1))
            .argument(qint64(9007199254740993))
            .argument(u"READY"_s)
            .argument(u"\u00e9"_s);
    QCOMPARE(out, RedisConnection::format({"X"_ba, "-1"_ba, "9007199254740993"_ba, "READY"_ba,
                                           QStringLiteral("\u00e9").toUtf8()}));
}

QTEST_GUILESS_MAIN(tst_RespWriter)
#include "tst_respwriter.moc"
