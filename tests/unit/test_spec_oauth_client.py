"""packaging/t4panel.spec builds the organisation's OAuth client in when OAUTH_CLIENT names one, and only then.

The spec is executed as PyInstaller executes it (a script with SPECPATH and the build classes as globals);
the build classes here only record what the spec hands them, so no bundle is built (tests/packaging does that).
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "t4panel.spec"
DEST = "resources/oauth_client.json"


class _Analysis:
    """Records the spec's inputs and turns its (source, folder) datas into PyInstaller's (dest, source, kind)."""

    def __init__(self, scripts, datas=(), **kw) -> None:
        self.scripts, self.pure, self.binaries = scripts, [], []
        self.datas = []
        for src, folder in datas:  # a folder brings every file under it, as PyInstaller does
            files = [Path(src)] if Path(src).is_file() else [f for f in Path(src).rglob("*") if f.is_file()]
            base = Path(src) if Path(src).is_dir() else Path(src).parent
            self.datas += [(f"{folder}/{f.relative_to(base).as_posix()}", str(f), "DATA") for f in files]


def _build_globals() -> dict:
    def record(*args, **kw):
        return (args, kw)

    return {"SPECPATH": str(SPEC.parent), "Analysis": _Analysis, "PYZ": record, "EXE": record, "COLLECT": record,
            "BUNDLE": record}


def _run_spec(monkeypatch, client: str | None) -> list[tuple[str, str, str]]:
    if client is None:
        monkeypatch.delenv("OAUTH_CLIENT", raising=False)
    else:
        monkeypatch.setenv("OAUTH_CLIENT", client)
    result = runpy.run_path(str(SPEC), init_globals=_build_globals())
    return result["a"].datas


def _desktop_client(path: Path) -> Path:
    path.write_text(json.dumps({"installed": {
        "client_id": "123-test.apps.googleusercontent.com", "client_secret": "GOCSPX-test-only-not-real",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": "https://oauth2.googleapis.com/token",
    }}))
    return path


@pytest.mark.slow
def test_the_spec_bundles_the_client_named_by_oauth_client(monkeypatch, tmp_path) -> None:
    client = _desktop_client(tmp_path / "org-client.json")
    datas = _run_spec(monkeypatch, str(client))
    assert [(d[1], d[2]) for d in datas if d[0] == DEST] == [(str(client.resolve()), "DATA")]


@pytest.mark.slow
def test_without_oauth_client_no_client_is_bundled(monkeypatch) -> None:
    datas = _run_spec(monkeypatch, None)
    assert [d for d in datas if d[0].replace("\\", "/") == DEST] == []
    assert ("resources/pricing.toml", str(ROOT / "resources" / "pricing.toml"), "DATA") in datas  # the rest goes in


@pytest.mark.slow
def test_a_file_that_is_not_a_desktop_client_stops_the_build(monkeypatch, tmp_path) -> None:
    web = tmp_path / "web-client.json"
    web.write_text(json.dumps({"web": {"client_id": "x", "client_secret": "y"}}))
    with pytest.raises(SystemExit, match="Desktop app"):
        _run_spec(monkeypatch, str(web))
