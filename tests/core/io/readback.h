#pragma once

// Runs readback.py (Python's csv / json modules) on an exported file.

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStringList>

namespace Gatescope::TestData {

/// Returns the parsed rows (CSV: arrays of strings; JSONL: objects), or sets @p error.
inline QJsonArray readBack(const QStringList &arguments, QString *error)
{
    QProcess python;
    python.start(QStringLiteral("python3"),
                 QStringList{QStringLiteral(GATESCOPE_READBACK_SCRIPT)} + arguments);
    if (!python.waitForFinished(60000) || python.exitStatus() != QProcess::NormalExit
        || python.exitCode() != 0) {
        *error = QStringLiteral("python3 failed: %1 %2")
                         .arg(python.errorString(),
                              QString::fromUtf8(python.readAllStandardError()));
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(python.readAllStandardOutput(), &parseError);
    if (!doc.isArray()) {
        *error = QStringLiteral("python3 printed no JSON array: ") + parseError.errorString();
        return {};
    }
    return doc.array();
}

inline QJsonArray readBackCsv(const QString &path, char delimiter, QString *error)
{
    return readBack({QStringLiteral("csv"), path, QString(QLatin1Char(delimiter))}, error);
}

inline QJsonArray readBackJsonLines(const QString &path, QString *error)
{
    return readBack({QStringLiteral("jsonl"), path}, error);
}

} // namespace Gatescope::TestData
