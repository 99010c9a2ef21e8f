"""TOML read with problems tied to lines: the file's own errors, and the line where a key is set."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from elearn.learning.content.sources import Problem


def read_toml(path: Path, problems: list[Problem], line_offset: int = 0, text: str | None = None) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
        return tomllib.loads(text)
    except UnicodeDecodeError:
        problems.append(Problem(path, 1, "not UTF-8 text"))
    except OSError as error:
        problems.append(Problem(path, 1, f"cannot be read: {error.strerror}"))
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(match.group(1)) if match else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error)) if match else str(error)
        problems.append(Problem(path, line + line_offset, f"invalid TOML: {message}"))
    # tomllib lets these two through: arrays or tables nested hundreds deep, integers of thousands of digits.
    except RecursionError:
        problems.append(Problem(path, 1 + line_offset, "invalid TOML: arrays or tables nested too deeply"))
    except ValueError:
        problems.append(Problem(path, 1 + line_offset, "invalid TOML: a number with too many digits"))
    return None


def line_of_key(path: Path, key: str, table: str | None = None, text: str | None = None) -> int:
    """The line where `key = ...` is set (inside `[table]` if given); 1 if not found."""
    try:
        lines = (path.read_text(encoding="utf-8") if text is None else text).splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    in_table = table is None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            if table is not None:
                in_table = stripped == f"[{table}]"
            else:
                in_table = False
            continue
        if in_table and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    if table is not None:
        for number, line in enumerate(lines, start=1):
            if line.strip() == f"[{table}]":
                return number
    return 1

