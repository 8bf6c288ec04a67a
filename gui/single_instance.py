"""One T4 Panel window per user: a second launch asks the first to come forward, then exits."""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from core import paths


def server_name() -> str:
    # per user and per data folder, so separate T4PANEL_HOMEs (tests, profiles) never collide
    digest = hashlib.sha256(str(paths.data_dir().resolve()).encode()).hexdigest()[:12]
    return f"t4panel-{getpass.getuser()}-{digest}"


class SingleInstance(QObject):
    """Signals: raiseRequested(): another launch wants this window in front."""

    raiseRequested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server: QLocalServer | None = None

    def ask_running_instance(self, timeout_ms: int = 500) -> bool:
        """True when another instance answered (it will raise its window)."""
        socket = QLocalSocket()
        socket.connectToServer(server_name())
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(b"raise\n")
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(server_name()):
            QLocalServer.removeServer(server_name())  # a stale socket left by a crash
            if not self.server.listen(server_name()):
                return False
        self.server.newConnection.connect(self._on_connection)
        return True

    def _on_connection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read(c))

    def _read(self, conn: QLocalSocket) -> None:
        if bytes(conn.readAll().data()).strip() == b"raise":
            self.raiseRequested.emit()
        conn.disconnectFromServer()
