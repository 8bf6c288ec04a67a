"""The daily schedule: occurrence math, APScheduler wiring, and the firing path with its outcomes."""
