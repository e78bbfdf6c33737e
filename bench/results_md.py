"""The markdown table and bench/RESULTS.md: replace (or append) our dated sections, keep the rest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from loadgen import Measurement

P99_TARGET_MS = 20.0
REST_RATIO_TARGET = 0.5


@dataclass
class Row:
    workers: int
    door: str
    pinning: str
    m: Measurement | None  # None: the door failed its check or the load run
    check: str  # "ok", why the bytes per response do not match the checked call, or the failure


def _ratio(rows: list[Row], workers: int, door: str) -> float | None:
    by_door = {r.door: r.m.rps for r in rows if r.workers == workers and r.m}
    hello = by_door.get("hello")
    return by_door[door] / hello if hello and door in by_door else None


def table(rows: list[Row]) -> str:
    out = [
        "| workers | door | req/s | p50 ms | p99 ms | errors | % of hello | server CPU | loadgen CPU "
        "| other CPU | pinning | check |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        if r.m is None:
            out.append(f"| {r.workers} | {r.door} |" + " - |" * 8 + f" {r.pinning} | {_cell(r.check)} |")
            continue
        ratio = _ratio(rows, r.workers, r.door)
        shown = f"{ratio:.0%}" if ratio is not None else "-"
        out.append(
            f"| {r.workers} | {r.door} | {r.m.rps:,.0f} | {r.m.p50_ms:.1f} | {r.m.p99_ms:.1f} | {r.m.errors} "
            f"| {shown} | {r.m.server_cpu:.2f} | {r.m.loadgen_cpu:.2f} | {r.m.other_cpu:.2f} | {r.pinning} "
            f"| {r.check} |"
        )
    return "\n".join(out)


def verdicts(rows: list[Row]) -> list[str]:
    lines = []
    for workers in sorted({r.workers for r in rows}):
        ratio = _ratio(rows, workers, "rest")
        if ratio is not None:
            ok = "PASS" if ratio >= REST_RATIO_TARGET else "FAIL"
            lines.append(
                f"- {ok}: workers={workers} REST/hello-world = {ratio:.1%} "
                f"(target >= {REST_RATIO_TARGET:.0%})"
            )
        for r in rows:
            if r.workers == workers and r.door != "hello" and r.m is None:
                lines.append(f"- FAIL: workers={workers} {r.door}: {r.check}")
            elif r.workers == workers and r.door != "hello":
                ok = "PASS" if r.m.p99_ms < P99_TARGET_MS and not r.m.errors else "FAIL"
                lines.append(
                    f"- {ok}: workers={workers} {r.door} p99 = {r.m.p99_ms:.1f} ms "
                    f"(target < {P99_TARGET_MS:.0f} ms)" + (f", {r.m.errors} errors" if r.m.errors else "")
                )
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:200]


def replace_section(path: Path, title: str, body: str) -> None:
    """Set the ``## title`` section to ``body``; other sections (e.g. "## JSON codec") stay untouched."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    lines = text.splitlines()
    heading = f"## {title}"
    new = [heading, "", *body.strip("\n").splitlines(), ""]
    try:
        start = lines.index(heading)
    except ValueError:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", *new]
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines[start:end] = new
    path.write_text("\n".join(lines).rstrip("\n") + "\n")
