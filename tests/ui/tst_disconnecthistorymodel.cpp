#include "ui/disconnecthistorymodel.h"
#include "ui/disconnecthistorypanel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;
using Model = DisconnectHistoryModel;

class tst_DisconnectHistoryModel : public QObject
{
    Q_OBJECT

private slots:
    void resumeCompletesTheRow();
    void identifyAfterFailedResume();
    void fatalShowsExplanation();

private:
    static QString cell(const Model &m, int row, int column)
    {
        return m.index(row, column).data().toString();
    }
};

void tst_DisconnectHistoryModel::resumeCompletesTheRow()
{
    Model model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addDisconnect(4000, u"unknown error"_s, GatewayClient::Initiator::Server,
                        CloseCodes::Action::Resume, 1'000'000);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, Model::Code), u"4000"_s);
    QCOMPARE(cell(model, 0, Model::Initiator), u"Server"_s);
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"resuming…"_s);
    QCOMPARE(cell(model, 0, Model::Downtime), u"…"_s);

    model.sessionEstablished(true, 14, 1'000'800);
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"resumed"_s);
    QCOMPARE(cell(model, 0, Model::Replayed), u"14"_s);
    QCOMPARE(cell(model, 0, Model::Downtime), u"0.8 s"_s);
    QCOMPARE(model.index(0, 0).data(Model::FatalRole).toBool(), false);

    // A later session does not touch a completed row.
    model.sessionEstablished(false, 0, 1'005'000);
    QCOMPARE(cell(model, 0, Model::Replayed), u"14"_s);
}

void tst_DisconnectHistoryModel::identifyAfterFailedResume()
{
    Model model;
    model.addDisconnect(1006, QString(), GatewayClient::Initiator::Network,
                        CloseCodes::Action::Resume, 2'000'000);
    model.addDisconnect(4009, u"session timed out"_s, GatewayClient::Initiator::Server,
                        CloseCodes::Action::Identify, 2'003'000);
    model.sessionEstablished(false, 0, 2'005'000);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 0, Model::Initiator), u"Network"_s);
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"new session (identify)"_s);
    QCOMPARE(cell(model, 0, Model::Downtime), u"5.0 s"_s);
    QCOMPARE(cell(model, 1, Model::Downtime), u"2.0 s"_s);
    QCOMPARE(cell(model, 1, Model::Replayed), u"—"_s);
}

void tst_DisconnectHistoryModel::fatalShowsExplanation()
{
    Model model;
    DisconnectHistoryPanel panel(&model);
    const QString explanation = CloseCodes::explanation(CloseCodes::DisallowedIntents, 1u << 15);
    model.addDisconnect(4014, u"Disallowed intent(s)."_s, GatewayClient::Initiator::Server,
                        CloseCodes::Action::Fatal);
    model.fatal(4014, explanation);
    panel.setFatal(4014, explanation);
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(model.index(0, 0).data(Model::FatalRole).toBool());
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"stopped (fatal)"_s);
    QCOMPARE(model.index(0, Model::Meaning).data(Qt::ToolTipRole).toString(), explanation);
    QVERIFY2(panel.fatalText().contains(u"Message Content"_s, Qt::CaseInsensitive)
                     || panel.fatalText().contains(u"MESSAGE_CONTENT"_s),
             qPrintable(panel.fatalText()));
    QVERIFY(panel.fatalText().contains(u"4014"_s));
    panel.setFatal(0, QString());
    QVERIFY(panel.fatalText().isEmpty());
}

QTEST_MAIN(tst_DisconnectHistoryModel)
#include "tst_disconnecthistorymodel.moc"
