# Replaces PyInstaller's hook for PySide6.QtGui: the same collection, minus the
# Qt plugins a desktop editor never loads. Dropping them here (not after the
# analysis) also keeps their own libraries out, e.g. the GTK3 theme plugin
# would pull cairo, pango and gdk-pixbuf into the bundle.
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# Plugin files not shipped, by plugin folder. Kept: platforms xcb, wayland,
# offscreen, minimal (and windows/cocoa), the xdg portal theme, input methods,
# svg/ico/jpeg/gif images, the svg icon engine and the xcb/wayland GL glue.
UNUSED_PLUGINS = {
    "platforms": ("eglfs", "linuxfb", "vnc", "vkkhrdisplay", "minimalegl"),
    "platformthemes": ("gtk3",),
    "imageformats": ("tiff", "webp", "tga", "wbmp", "pdf"),
    "egldeviceintegrations": ("",),  # only for eglfs
    "generic": ("",),  # evdev/tuio input, only for linuxfb/eglfs
}


def _wanted(source: str, destination: str) -> bool:
    folder = destination.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return not any(part in name for part in UNUSED_PLUGINS.get(folder, ()))


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, destination) for source, destination in binaries if _wanted(source, destination)]
