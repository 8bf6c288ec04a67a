"""Job backends: where a run actually happens (this computer, or Vertex AI)."""

from __future__ import annotations

from core.backends.base import BackendStatus, JobBackend, LaunchRequest, LiveLogReader, LogLine, LogReader

__all__ = ["BackendStatus", "JobBackend", "LaunchRequest", "LiveLogReader", "LogLine", "LogReader", "make_backend"]


def make_backend(name: str) -> JobBackend:
    """The backend called `name` ("local" or "vertex"); Vertex is imported only when asked for."""
    if name == "local":
        from core.backends.local import LocalBackend

        return LocalBackend()
    if name == "vertex":
        from core.backends.vertex.backend import VertexBackend

        return VertexBackend()
    from core.errors import ConfigError, msg

    raise ConfigError(msg("backend.unknown", 'Unknown backend "{name}": choose "local" or "vertex" on the Job page.',
                          name=name))
