"""What the front ends share: services assembly, CLI, daemon, app log, single instance, autostart, notices."""
