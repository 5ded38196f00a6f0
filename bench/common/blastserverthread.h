#pragma once

#include "blastserver.h"

#include <QThread>

/// A BlastServer listening in a thread of its own for as long as this object lives, so that the
/// bench's thread measures only the client.
struct BlastServerThread
{
    QThread thread;
    BlastServer *server = nullptr;
    quint16 port = 0;

    explicit BlastServerThread(const QList<QByteArray> &payloads)
    {
        server = new BlastServer(payloads);
        server->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, server, &QObject::deleteLater);
        thread.start();
        QMetaObject::invokeMethod(
                server, [this] { return server->listen(); }, Qt::BlockingQueuedConnection, &port);
    }
    ~BlastServerThread()
    {
        thread.quit();
        thread.wait();
    }
};
