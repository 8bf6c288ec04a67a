"""T4 Panel's PySide6 views: thin; they show core state and send the operator's intents."""
