"""What T4 Panel keeps: settings (TOML), run history and occurrences (SQLite), secrets (keyring)."""
