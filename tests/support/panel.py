"""A whole PanelApp on the local backend, for GUI tests that drive the window like an operator.

Use: `from tests.support import panel` and `make_panel = panel.make_panel` in a test module.
"""

from __future__ import annotations

import pytest

from core.backends.local import LocalBackend


@pytest.fixture
def make_panel(qtbot):
    panels = []

    def make(cfg, run_scheduler=False, save=True):
        from core.app import services
        from core.store import config as config_mod
        from gui.app import PanelApp

        if save:
            config_mod.save(cfg)
        backend = LocalBackend(poll_seconds=0.05)

        def factory(source):
            return services.build_controller(source, backend_factory=lambda name: backend)

        panel = PanelApp(controller_factory=factory, run_scheduler=run_scheduler)
        qtbot.addWidget(panel.window)
        panel.window.tray_available = True  # closing hides; never a modal question in tests
        panel.start()
        qtbot.waitUntil(lambda: panel.core.controller is not None, timeout=10_000)
        panels.append(panel)
        return panel

    yield make
    for panel in panels:
        panel.shutdown()
