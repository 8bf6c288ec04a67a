"""T4 Panel's core: the domain and its services. No Qt here, ever (the CLI and daemon use it too)."""

__version__ = "0.1.0"
