"""Reading config.toml's bytes: every way the file itself can be damaged, as a sentence with its line and setting.

Kept apart from config.py (which knows what the settings mean) because this part knows only text: bytes that
are not UTF-8, binary data, an empty or half-saved file, TOML syntax, and names that are not settings.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")
_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"']+)\s*=")


@dataclass(frozen=True)
class FileDamage:
    """One problem of the file itself. `setting` is "table.key" when it is on one setting's line, else ""."""

    message: str
    setting: str = ""


def parse(raw: bytes, known: Mapping[str, Collection[str]]) -> tuple[dict[str, Any], list[FileDamage]]:
    """The TOML data of `raw` (empty when it cannot be parsed) and every problem of the file itself.

    Args:
        raw: the file's bytes.
        known: each table's setting names, to name unknown ones (with the likeliest meant name).
    """
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return {}, [FileDamage(f"it contains binary data (a zero byte on line {line}), so it is not a settings "
                               "file; it may have been overwritten by another program.")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return {}, [FileDamage(f"line {line} is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file "
                               "as UTF-8 in a text editor.")]
    if not text.strip():
        return {}, [FileDamage("it is empty; it may have been saved half-way.")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, [_syntax(str(exc), text)]
    return data, unknown_names(data, known)


def _syntax(message: str, text: str) -> FileDamage:
    match = _AT_LINE.search(message)
    if match is None:
        what = _AT_END.sub("", message)
        return FileDamage(f"it ends in the middle of a setting ({what}); it may have been saved half-way.")
    what = message[: match.start()]
    number = int(match.group(1))
    setting = _setting_on_line(text, number)
    where = f"line {number}" + (f" ([{setting.replace('.', '] ', 1)})" if setting else "")
    return FileDamage(f"{where} is not valid TOML: {what} (column {match.group(2)}).", setting)


def _setting_on_line(text: str, number: int) -> str:
    """ "table.key" of the setting written on line `number` (1-based), or "" when the line holds none."""
    table = ""
    lines = text.splitlines()
    for line in lines[: number - 1]:
        header = _TABLE.match(line)
        if header:
            table = header.group(1).strip("\"'")
    key = _KEY.match(lines[number - 1]) if 0 < number <= len(lines) else None
    if key is None:
        return ""
    name = key.group(1).strip("\"'")
    return f"{table}.{name}" if table else name


def unknown_names(data: Mapping[str, Any], known: Mapping[str, Collection[str]]) -> list[FileDamage]:
    """Tables and settings T4 Panel does not have (a typo, usually), each with the name most likely meant."""
    out: list[FileDamage] = []
    for table, value in data.items():
        if table not in known:
            out.append(FileDamage(f"unknown table [{table}]{_did_you_mean(table, known, '[', ']')}"))
            continue
        if not isinstance(value, dict):
            out.append(FileDamage(f"[{table}] must be a table of settings, not a single value.", table))
            continue
        for key in value:
            if key not in known[table]:
                out.append(FileDamage(
                    f"unknown setting '{key}' in [{table}]{_did_you_mean(key, known[table], chr(39), chr(39))}",
                    f"{table}.{key}"))
    return out


def _did_you_mean(name: str, choices: Collection[str], left: str, right: str) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {left}{close[0]}{right}?" if close else "."
