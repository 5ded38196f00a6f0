#pragma once

#include <QIcon>

namespace Gatescope::Ui {

/// The window's icons: the desktop theme's icon where the theme has one, else one drawn here
/// with QPainter, so nothing depends on a font having a glyph (characters such as ⏸ ▶ ⚠ show
/// as boxes in fonts that lack them) or on Qt's SVG plugin, which Debian ships separately.
///
/// Drawn icons use the application palette's text colour (the warning and recording ones their
/// own colour) and come in 16, 22, 32 and 48 px at device pixel ratios 1 and 2. GUI thread only.
class Icons
{
public:
    enum class Kind {
        Pause,
        Play,
        JumpToNewest,
        Close,
        Warning,
        SplitRight,
        SplitDown,
        NewTab,
        Recording,
        Privileged,
        Keyboard,
        NextMention,
        Incoming, ///< a frame received (the raw frames dock)
        Outgoing, ///< a frame sent
    };

    /// The theme's icon for @p kind, or the drawn one.
    static QIcon icon(Kind kind);
    /// Always the drawn icon (tests, screenshots that must not depend on the desktop theme).
    static QIcon drawn(Kind kind);
    /// The freedesktop icon name tried first for @p kind (empty when there is none).
    static QString themeName(Kind kind);
};

} // namespace Gatescope::Ui
