"""py-spy on a loaded server: collapsed stacks -> the top functions by own time (and inclusive time).

py-spy is a local tool, not a dependency: ``.venv/bin/pip install py-spy``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from servers import BIN, ROOT, pinned


def py_spy() -> str | None:
    local = BIN / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


def record(pid: int, seconds: int, rate: int, cpus: str | None, gil_only: bool = False) -> str:
    """Collapsed stacks ("thread;frame;...;leaf count" lines), idle time excluded, one frame per function.

    Without ``gil_only`` a sample counts while a thread runs or waits for the GIL or runs C code that
    released it (sqlite's step); with it, only while it holds the GIL (pure Python CPU)."""
    exe = py_spy()
    if exe is None:
        raise RuntimeError("py-spy not found: .venv/bin/pip install py-spy")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "stacks.txt")
        # --nonblocking: do not pause the server per sample, so the profile barely perturbs the load.
        cmd = [exe, "record", "-p", str(pid), "-d", str(seconds), "-r", str(rate), "-f", "raw", "--function"]
        cmd += ["--threads", "--nonblocking", "-o", str(out)] + (["--gil"] if gil_only else [])
        done = subprocess.run(pinned(cmd, cpus), capture_output=True, text=True)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"py-spy failed: {done.stderr or done.stdout}")
        return out.read_text()


def _short(frame: str) -> str:
    """``func (/abs/src/ztn/gateway/rest.py:12)`` -> ``func (ztn/gateway/rest.py:12)``."""
    for prefix in (str(ROOT / "src") + "/", str(ROOT) + "/", "site-packages/"):
        if prefix in frame:
            name, _, path = frame.partition(" (")
            return f"{name} ({path.split(prefix, 1)[1]}"
    return frame


def top_functions(collapsed: str, limit: int = 25) -> tuple[int, Counter[str], list[tuple[str, int, int]]]:
    """(total samples, samples per thread, [(function, own samples, inclusive samples)]) by own samples."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    by_thread: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        root = frames.pop(0) if frames[0].startswith("thread ") else ""
        frames = [_short(f) for f in frames]
        if not frames:  # a thread seen without any Python frame
            continue
        if root:
            by_thread[_thread_name(root)] += count
        total += count
        own[frames[-1]] += count
        for frame in set(frames):  # recursion counts once per sample
            inclusive[frame] += count
    return total, by_thread, [(f, n, inclusive[f]) for f, n in own.most_common(limit)]


def _thread_name(root: str) -> str:
    """``thread (123): MainThread`` -> the event loop; aiosqlite runs one thread per pooled connection."""
    name = root.split(": ", 1)[-1]
    if name == "MainThread":
        return "MainThread (event loop)"
    if "_connection_worker_thread" in name:
        return "aiosqlite connection threads"
    return "other threads"


def report(total: int, threads: Counter[str], rows: list[tuple[str, int, int]]) -> str:
    split = ", ".join(f"{name} {n / total:.0%}" for name, n in threads.most_common(5))
    out = [f"Samples by thread: {split}.", ""] if threads else []
    out += ["| # | function | own % | incl % |", "|---:|---|---:|---:|"]
    for i, (frame, own_n, incl_n) in enumerate(rows, 1):
        frame = frame.replace("|", "\\|")
        out.append(f"| {i} | `{frame}` | {own_n / total:.1%} | {incl_n / total:.1%} |")
    return "\n".join(out)
