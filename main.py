"""T4 Panel's entry point: the window by default, `--smoke`, or a headless command (see `--help`)."""

from __future__ import annotations

import sys

_GUI_FLAGS = {"--smoke"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_local-runner"]:  # the bundled app supervises local runs with its own executable
        from core.backends import local_runner

        return local_runner.main(argv[1:])
    if argv[:1] == ["_python"]:  # ... and runs the job's Python scripts itself
        import runpy

        args = argv[1:]
        while len(args) > 1 and args[0].startswith("-"):  # interpreter options such as -u: the bundle is unbuffered
            args = args[1:]
        sys.argv = args
        runpy.run_path(args[0], run_name="__main__")
        return 0
    from core.app.allocator import limit_malloc_arenas

    limit_malloc_arenas()  # the window and the daemon run for weeks: before any thread starts
    if not argv or set(argv) <= _GUI_FLAGS:
        from gui.app import run_gui

        return run_gui(smoke="--smoke" in argv)
    from core.app import cli

    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
