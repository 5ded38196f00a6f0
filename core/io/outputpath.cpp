#include "core/io/outputpath.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace Gatescope::OutputPath {

QString problem(const QString &filePath)
{
    if (filePath.isEmpty())
        return u"No output file name was given."_s;
    const QFileInfo file(filePath);
    const QString shown = QDir::toNativeSeparators(file.absoluteFilePath());
    if (file.isDir())
        return u"Cannot write \"%1\": it is a folder, not a file."_s.arg(shown);
    const QFileInfo folder(file.absolutePath());
    const QString folderShown = QDir::toNativeSeparators(folder.absoluteFilePath());
    if (!folder.exists())
        return u"Cannot write \"%1\": the folder \"%2\" does not exist."_s.arg(shown, folderShown);
    if (!folder.isDir())
        return u"Cannot write \"%1\": \"%2\" is not a folder."_s.arg(shown, folderShown);
    return {};
}

QString describeOpenFailure(const QString &filePath, const QString &reason)
{
    const QFileInfo file(filePath);
    const QString shown = QDir::toNativeSeparators(file.absoluteFilePath());
    const QFileInfo folder(file.absolutePath());
    if (!folder.isWritable()) {
        return u"Cannot write \"%1\": the folder \"%2\" is not writable (%3)."_s.arg(
                shown, QDir::toNativeSeparators(folder.absoluteFilePath()), reason);
    }
    if (file.exists() && !file.isWritable())
        return u"Cannot write \"%1\": the file is read-only (%2)."_s.arg(shown, reason);
    return u"Cannot write \"%1\": %2."_s.arg(shown, reason);
}

} // namespace Gatescope::OutputPath
