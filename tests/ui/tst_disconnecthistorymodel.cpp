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
    void closeBeforeReadyFailsThePendingRow();
    void userCloseIsFollowedByNothing();
    void closingTheConnectionSettlesPendingRows();
    void sessionsCompleteOnlyTheirShard();

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
    // The resume after the drop ended in the 4009; the identify after that worked.
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"failed: closed with 4009 (session timed out)"_s);
    QCOMPARE(cell(model, 0, Model::Downtime), u"—"_s);
    QCOMPARE(cell(model, 1, Model::FollowedBy), u"new session (identify)"_s);
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

void tst_DisconnectHistoryModel::closeBeforeReadyFailsThePendingRow()
{
    // Issue 16, fault 5: a server that closes right after Identify. Each row must say how its
    // reconnect ended instead of staying at "identifying…".
    Model model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int attempt = 0; attempt < 3; ++attempt)
        model.addDisconnect(4000, u"unknown error"_s, GatewayClient::Initiator::Server,
                            CloseCodes::Action::Identify, 3'000'000 + attempt * 1000);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"failed: closed with 4000 (unknown error)"_s);
    QCOMPARE(cell(model, 1, Model::FollowedBy), u"failed: closed with 4000 (unknown error)"_s);
    QCOMPARE(cell(model, 2, Model::FollowedBy), u"identifying…"_s);
    // A fatal close ends the last one too.
    model.addDisconnect(4004, u"Authentication failed."_s, GatewayClient::Initiator::Server,
                        CloseCodes::Action::Fatal, 3'004'000);
    QCOMPARE(cell(model, 2, Model::FollowedBy),
             u"failed: closed with 4004 (Authentication failed.)"_s);
    QCOMPARE(cell(model, 3, Model::FollowedBy), u"stopped (fatal)"_s);
}

void tst_DisconnectHistoryModel::userCloseIsFollowedByNothing()
{
    Model model;
    model.addDisconnect(1000, u"user disconnected"_s, GatewayClient::Initiator::User,
                        CloseCodes::Action::Identify, 4'000'000);
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"nothing (closed by the user)"_s);
    QCOMPARE(cell(model, 0, Model::Downtime), u"—"_s);
    // A later connection's session does not claim it.
    model.sessionEstablished(false, 0, 4'010'000);
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"nothing (closed by the user)"_s);
}

void tst_DisconnectHistoryModel::closingTheConnectionSettlesPendingRows()
{
    Model model;
    model.addDisconnect(1006, QString(), GatewayClient::Initiator::Network,
                        CloseCodes::Action::Resume, 5'000'000);
    model.addDisconnect(4009, QString(), GatewayClient::Initiator::Server,
                        CloseCodes::Action::Identify, 5'001'000, 1);
    model.endPending();
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"not resumed (connection closed)"_s);
    QCOMPARE(cell(model, 1, Model::FollowedBy), u"not identified (connection closed)"_s);
    QCOMPARE(cell(model, 1, Model::Downtime), u"—"_s);
}

void tst_DisconnectHistoryModel::sessionsCompleteOnlyTheirShard()
{
    Model model;
    model.addDisconnect(4000, QString(), GatewayClient::Initiator::Server,
                        CloseCodes::Action::Resume, 6'000'000, 0);
    model.addDisconnect(4000, QString(), GatewayClient::Initiator::Server,
                        CloseCodes::Action::Resume, 6'000'100, 1);
    // Shard 1's close does not end shard 0's reconnect, nor does its session.
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"resuming…"_s);
    model.sessionEstablished(true, 3, 6'000'500, 1);
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"resuming…"_s);
    QCOMPARE(cell(model, 1, Model::FollowedBy), u"resumed"_s);
    model.sessionEstablished(true, 5, 6'001'000, 0);
    QCOMPARE(cell(model, 0, Model::FollowedBy), u"resumed"_s);
    QCOMPARE(cell(model, 0, Model::Replayed), u"5"_s);
}

QTEST_MAIN(tst_DisconnectHistoryModel)
#include "tst_disconnecthistorymodel.moc"
