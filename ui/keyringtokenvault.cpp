#include "ui/keyringtokenvault.h"

#include "core/gateway/redaction.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
QString service()
{
    return QString::fromLatin1(KeyringTokenVault::Service);
}

template<typename JobType>
JobType *makeJob(QObject *parent)
{
    auto *job = new JobType(service(), parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text copy in QSettings
    job->setKey(QString::fromLatin1(KeyringTokenVault::Key));
    return job;
}
} // namespace

QString KeyringTokenVault::noticeFor(const QKeychain::Job *job)
{
    const QString detail = Redaction::redact(job->errorString());
    QString reason;
    switch (job->error()) {
    case QKeychain::NoBackendAvailable:
        reason = tr("No system keyring (Secret Service or KWallet) can be reached (%1)");
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        reason = tr("The system keyring refused access (%1)");
        break;
    default:
        reason = tr("The system keyring could not be used (%1)");
        break;
    }
    reason = reason.arg(detail);
    return fallbackNotice(reason);
}

void KeyringTokenVault::read()
{
    auto *job = makeJob<QKeychain::ReadPasswordJob>(this);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() == QKeychain::NoError)
            emit readFinished(BotToken(job->textData()), QString());
        else if (job->error() == QKeychain::EntryNotFound)
            emit readFinished(BotToken(), QString());
        else
            emit readFinished(BotToken(), noticeFor(job));
    });
    job->start();
}

void KeyringTokenVault::write(const BotToken &token)
{
    auto *job = makeJob<QKeychain::WritePasswordJob>(this);
    job->setTextData(token.reveal()); // into the keyring, the one place it is kept
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        const bool stored = job->error() == QKeychain::NoError;
        emit writeFinished(stored, stored ? QString() : noticeFor(job));
    });
    job->start();
}

void KeyringTokenVault::erase()
{
    auto *job = makeJob<QKeychain::DeletePasswordJob>(this);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        const bool erased
                = job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound;
        emit eraseFinished(erased, erased ? QString() : noticeFor(job));
    });
    job->start();
}

} // namespace Gatescope::Ui
