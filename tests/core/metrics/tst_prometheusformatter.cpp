#include "core/metrics/prometheusformatter.h"

#include <QTest>

#include <limits>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_PrometheusFormatter : public QObject
{
    Q_OBJECT

private slots:
    void labelValuesAreEscaped_data();
    void labelValuesAreEscaped();
    void helpIsEscaped_data();
    void helpIsEscaped();
    void values_data();
    void values();
    void familiesHaveHelpAndTypeOnce();
    void histogramBucketsAreCumulativeWithInf();
    void labelsKeepTheirOrderAndLeComesLast();
    void emptyFamilyIsLeftOut();
    void invalidSamplesAreRefused_data();
    void invalidSamplesAreRefused();
    void typeClashIsRefused();
};

void tst_PrometheusFormatter::labelValuesAreEscaped_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("written");
    QTest::newRow("plain") << u"MESSAGE_CREATE"_s << QByteArray("MESSAGE_CREATE");
    QTest::newRow("quote") << u"say \"hi\""_s << QByteArray(R"(say \"hi\")");
    QTest::newRow("backslash") << u"C:\\path"_s << QByteArray(R"(C:\\path)");
    QTest::newRow("newline") << u"two\nlines"_s << QByteArray(R"(two\nlines)");
    QTest::newRow("backslash before n") << u"\\n"_s << QByteArray(R"(\\n)");
    QTest::newRow("all") << u"\\\"\n"_s << QByteArray(R"(\\\"\n)");
    QTest::newRow("tab and CR kept") << u"a\tb\rc"_s << QByteArray("a\tb\rc");
    QTest::newRow("utf-8") << u"é✓"_s << QByteArray("\xc3\xa9\xe2\x9c\x93");
    QTest::newRow("empty") << QString() << QByteArray();
}

void tst_PrometheusFormatter::labelValuesAreEscaped()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, written);
    QCOMPARE(PrometheusFormatter::escapeLabelValue(value), written);
    MetricsSnapshot snapshot;
    QVERIFY(snapshot.addGauge(u"g"_s, u"h"_s, 1, {{u"l"_s, value}}));
    QCOMPARE(PrometheusFormatter::format(snapshot),
             "# HELP g h\n# TYPE g gauge\ng{l=\"" + written + "\"} 1\n");
}

void tst_PrometheusFormatter::helpIsEscaped_data()
{
    QTest::addColumn<QString>("help");
    QTest::addColumn<QByteArray>("written");
    QTest::newRow("plain") << u"Bytes received"_s << QByteArray("Bytes received");
    // Quotes are not escaped in HELP (only in label values).
    QTest::newRow("quote") << u"a \"b\""_s << QByteArray("a \"b\"");
    QTest::newRow("backslash") << u"a\\b"_s << QByteArray(R"(a\\b)");
    QTest::newRow("newline") << u"a\nb"_s << QByteArray(R"(a\nb)");
}

void tst_PrometheusFormatter::helpIsEscaped()
{
    QFETCH(QString, help);
    QFETCH(QByteArray, written);
    QCOMPARE(PrometheusFormatter::escapeHelp(help), written);
    MetricsSnapshot snapshot;
    QVERIFY(snapshot.addCounter(u"c_total"_s, help, 3));
    QCOMPARE(PrometheusFormatter::format(snapshot),
             "# HELP c_total " + written + "\n# TYPE c_total counter\nc_total 3\n");
}

void tst_PrometheusFormatter::values_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("written");
    QTest::newRow("zero") << 0.0 << QByteArray("0");
    QTest::newRow("integer") << 123456789.0 << QByteArray("123456789");
    QTest::newRow("negative") << -1.0 << QByteArray("-1");
    QTest::newRow("2^53-1") << 9007199254740991.0 << QByteArray("9007199254740991");
    QTest::newRow("fraction") << 0.005 << QByteArray("0.005");
    QTest::newRow("seconds") << 0.042 << QByteArray("0.042");
    QTest::newRow("shortest") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
    QTest::newRow("large") << 1e21 << QByteArray("1e+21");
    QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << QByteArray("NaN");
    QTest::newRow("+inf") << std::numeric_limits<double>::infinity() << QByteArray("+Inf");
    QTest::newRow("-inf") << -std::numeric_limits<double>::infinity() << QByteArray("-Inf");
}

void tst_PrometheusFormatter::values()
{
    QFETCH(double, value);
    QFETCH(QByteArray, written);
    QCOMPARE(PrometheusFormatter::formatValue(value), written);
    // Whatever is written reads back to the same value (NaN aside).
    if (!std::isnan(value) && !std::isinf(value))
        QCOMPARE(written.toDouble(), value);
}

void tst_PrometheusFormatter::familiesHaveHelpAndTypeOnce()
{
    MetricsSnapshot snapshot;
    // Two providers adding to the same families, interleaved: each family is written together.
    QVERIFY(snapshot.addCounter(u"gatescope_resumes_total"_s, u"Resumes"_s, 2,
                                {{u"shard"_s, u"0"_s}}));
    QVERIFY(snapshot.addGauge(u"gatescope_sequence"_s, u"Seq"_s, 10, {{u"shard"_s, u"0"_s}}));
    QVERIFY(snapshot.addCounter(u"gatescope_resumes_total"_s, u"ignored"_s, 5,
                                {{u"shard"_s, u"1"_s}}));
    QVERIFY(snapshot.addGauge(u"gatescope_sequence"_s, u"ignored"_s, -1, {{u"shard"_s, u"1"_s}}));
    QCOMPARE(PrometheusFormatter::format(snapshot),
             QByteArray("# HELP gatescope_resumes_total Resumes\n"
                        "# TYPE gatescope_resumes_total counter\n"
                        "gatescope_resumes_total{shard=\"0\"} 2\n"
                        "gatescope_resumes_total{shard=\"1\"} 5\n"
                        "# HELP gatescope_sequence Seq\n"
                        "# TYPE gatescope_sequence gauge\n"
                        "gatescope_sequence{shard=\"0\"} 10\n"
                        "gatescope_sequence{shard=\"1\"} -1\n"));
    QCOMPARE(snapshot.value(u"gatescope_resumes_total"_s, {{u"shard"_s, u"1"_s}}), 5.0);
    QCOMPARE(snapshot.value(u"gatescope_resumes_total"_s, {{u"shard"_s, u"7"_s}}), -1.0);
}

void tst_PrometheusFormatter::histogramBucketsAreCumulativeWithInf()
{
    HistogramValue latency;
    latency.buckets = {{0.005, 1}, {0.05, 3}, {0.5, 3}};
    latency.sum = 0.9;
    latency.count = 4; // one above the largest bound: only in +Inf
    MetricsSnapshot snapshot;
    QVERIFY(snapshot.addHistogram(u"gatescope_heartbeat_latency_seconds"_s, u"RTT"_s, latency,
                                  {{u"shard"_s, u"0"_s}}));
    QCOMPARE(PrometheusFormatter::format(snapshot),
             QByteArray("# HELP gatescope_heartbeat_latency_seconds RTT\n"
                        "# TYPE gatescope_heartbeat_latency_seconds histogram\n"
                        "gatescope_heartbeat_latency_seconds_bucket{shard=\"0\",le=\"0.005\"} 1\n"
                        "gatescope_heartbeat_latency_seconds_bucket{shard=\"0\",le=\"0.05\"} 3\n"
                        "gatescope_heartbeat_latency_seconds_bucket{shard=\"0\",le=\"0.5\"} 3\n"
                        "gatescope_heartbeat_latency_seconds_bucket{shard=\"0\",le=\"+Inf\"} 4\n"
                        "gatescope_heartbeat_latency_seconds_sum{shard=\"0\"} 0.9\n"
                        "gatescope_heartbeat_latency_seconds_count{shard=\"0\"} 4\n"));
}

void tst_PrometheusFormatter::labelsKeepTheirOrderAndLeComesLast()
{
    MetricsSnapshot snapshot;
    HistogramValue empty;
    QVERIFY(snapshot.addHistogram(u"h"_s, u"x"_s, empty, {{u"z"_s, u"1"_s}, {u"a"_s, u"2"_s}}));
    QVERIFY(snapshot.addHistogram(u"u"_s, u"no labels"_s, empty));
    const QByteArray text = PrometheusFormatter::format(snapshot);
    QVERIFY2(text.contains("h_bucket{z=\"1\",a=\"2\",le=\"+Inf\"} 0\n"), text.constData());
    QVERIFY2(text.contains("h_count{z=\"1\",a=\"2\"} 0\n"), text.constData());
    QVERIFY2(text.contains("u_bucket{le=\"+Inf\"} 0\nu_sum 0\nu_count 0\n"), text.constData());
}

void tst_PrometheusFormatter::emptyFamilyIsLeftOut()
{
    QCOMPARE(PrometheusFormatter::format(MetricsSnapshot()), QByteArray());
}

void tst_PrometheusFormatter::invalidSamplesAreRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("label");
    QTest::newRow("counter without _total") << u"counter"_s << u"gatescope_resumes"_s << u"shard"_s;
    QTest::newRow("name with a dash") << u"gauge"_s << u"gatescope-seq"_s << u"shard"_s;
    QTest::newRow("name starting with a digit") << u"gauge"_s << u"9lives"_s << u"shard"_s;
    QTest::newRow("empty name") << u"gauge"_s << QString() << u"shard"_s;
    QTest::newRow("label with a colon") << u"gauge"_s << u"g"_s << u"a:b"_s;
    QTest::newRow("reserved label") << u"gauge"_s << u"g"_s << u"__name__"_s;
    QTest::newRow("le on a histogram") << u"histogram"_s << u"h"_s << u"le"_s;
}

void tst_PrometheusFormatter::invalidSamplesAreRefused()
{
    QFETCH(QString, kind);
    QFETCH(QString, name);
    QFETCH(QString, label);
    MetricsSnapshot snapshot;
    const MetricLabels labels{{label, u"0"_s}};
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"refused"_s));
    const bool added = kind == "counter"_L1 ? snapshot.addCounter(name, u"h"_s, 1, labels)
                       : kind == "gauge"_L1 ? snapshot.addGauge(name, u"h"_s, 1, labels)
                                            : snapshot.addHistogram(name, u"h"_s, {}, labels);
    QVERIFY(!added);
    QVERIFY(snapshot.families().isEmpty());
}

void tst_PrometheusFormatter::typeClashIsRefused()
{
    MetricsSnapshot snapshot;
    QVERIFY(snapshot.addGauge(u"x_total"_s, u"h"_s, 1));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"another type"_s));
    QVERIFY(!snapshot.addCounter(u"x_total"_s, u"h"_s, 2));
    QCOMPARE(snapshot.family(u"x_total"_s)->samples.size(), 1);
}

QTEST_GUILESS_MAIN(tst_PrometheusFormatter)
#include "tst_prometheusformatter.moc"
