"""Build a model folder once, atomically: in a temporary folder beside the target, renamed into
place when complete, so a crashed or concurrent build never passes for a model."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

STALE_BUILD_SECONDS = 3600  # a half-built folder this old belongs to a build that died


def build_once(target: Path, build: Callable[[Path], Path], message: str) -> Path:
    """``target`` if it exists, else ``build(out_dir)`` renamed to ``target``; ``message`` tells
    the waiting user what happens."""
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(target)
    print(message, file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix=_build_prefix(target), dir=target.parent) as build_dir:
        built = build(Path(build_dir) / target.name)
        try:
            os.rename(built, target)
        except OSError:
            if not target.is_dir():  # not merely another process finishing first
                raise
    return target


def _build_prefix(target: Path) -> str:
    return f".{target.name}.building-"


def _remove_stale_builds(target: Path) -> None:
    for leftover in target.parent.glob(_build_prefix(target) + "*"):
        if time.time() - leftover.stat().st_mtime > STALE_BUILD_SECONDS:
            shutil.rmtree(leftover, ignore_errors=True)
