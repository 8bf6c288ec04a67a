"""Render resources/icons/t4panel.svg into the platform icons the spec and the .desktop file use.

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py

Writes packaging/icons/t4panel.ico (Windows), t4panel.icns (macOS) and packaging/linux/t4panel.png.
ICO and ICNS both accept PNG payloads, so Qt's PNG writer is all we need (no Pillow).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "t4panel.svg"


def render_png(size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(sizes: list[int]) -> bytes:
    pngs = [render_png(s) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, payload = b"", b""
    for size, png in zip(sizes, pngs, strict=True):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(payload))
        payload += png
    return header + entries + payload


def icns() -> bytes:
    chunks = b""
    for kind, size in ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
                       (b"ic09", 512), (b"ic10", 1024)):
        png = render_png(size)
        chunks += kind + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841 (QPainter needs it)
    (ROOT / "packaging" / "icons").mkdir(parents=True, exist_ok=True)
    (ROOT / "packaging" / "icons" / "t4panel.ico").write_bytes(ico([16, 24, 32, 48, 64, 128, 256]))
    (ROOT / "packaging" / "icons" / "t4panel.icns").write_bytes(icns())
    (ROOT / "packaging" / "linux" / "t4panel.png").write_bytes(render_png(256))
    print("icons written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
