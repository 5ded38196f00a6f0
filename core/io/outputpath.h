#pragma once

#include <QString>

namespace Gatescope {

/// Checks shared by the exporters before they open an output file, so that the user reads
/// "the folder /x does not exist" instead of the operating system's terse message.
namespace OutputPath {

/// Why @p filePath cannot be written, as a sentence naming the path; empty when no problem is
/// visible up front (opening may still fail, see describeOpenFailure()).
QString problem(const QString &filePath);

/// The message for a failed open of @p filePath, given the system's @p reason.
QString describeOpenFailure(const QString &filePath, const QString &reason);

} // namespace OutputPath
} // namespace Gatescope
