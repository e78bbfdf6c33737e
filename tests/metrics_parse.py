"""A strict reader of the Prometheus text exposition format 0.0.4, for asserting on what we render.

Independent of ``ztn.metrics``: it parses by the format's grammar (HELP/TYPE lines, samples with
escaped label values) and checks the rules a scraper relies on (a family's TYPE before its samples,
sample names belonging to the family, histogram buckets cumulative and ending in +Inf == _count).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_SAMPLE = re.compile(rf"^({_NAME})(\{{.*\}})? (\S+)$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')
_SUFFIXES = {"counter": ("",), "gauge": ("",), "histogram": ("_bucket", "_sum", "_count")}


@dataclass
class Family:
    name: str
    help: str = ""
    type: str = ""
    samples: list[tuple[str, dict[str, str], float]] = field(default_factory=list)

    def value(self, suffix: str = "", **labels: str) -> float:
        """The sample with exactly these labels (0 when absent, as a scraper would assume)."""
        for name, got, value in self.samples:
            if name == self.name + suffix and got == labels:
                return value
        return 0.0


def _unescape(value: str, help_text: bool = False) -> str:
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            if nxt == "n":
                out.append("\n")
            elif nxt == "\\":
                out.append("\\")
            elif nxt == '"' and not help_text:
                out.append('"')
            else:
                raise ValueError(f"bad escape \\{nxt} in {value!r}")
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _labels(text: str) -> dict[str, str]:
    inner = text[1:-1]
    labels: dict[str, str] = {}
    pos = 0
    while pos < len(inner):
        m = _LABEL.match(inner, pos)
        if m is None:
            raise ValueError(f"bad labels {text!r}")
        if m.group(1) in labels:
            raise ValueError(f"duplicate label {m.group(1)!r}")
        labels[m.group(1)] = _unescape(m.group(2))
        pos = m.end()
    return labels


def _float(text: str) -> float:
    return {"+Inf": math.inf, "-Inf": -math.inf, "NaN": math.nan}.get(text) or float(text)


def parse(text: str) -> dict[str, Family]:
    assert text.endswith("\n"), "the exposition ends with a line feed"
    families: dict[str, Family] = {}
    current: Family | None = None
    for line in text[:-1].split("\n"):
        if line.startswith("# HELP "):
            name, _, help_text = line[7:].partition(" ")
            assert name not in families, f"family {name} appears twice"
            current = families[name] = Family(name, _unescape(help_text, help_text=True))
        elif line.startswith("# TYPE "):
            name, _, kind = line[7:].partition(" ")
            assert current is not None and current.name == name, f"TYPE {name} without its HELP"
            assert kind in _SUFFIXES, kind
            assert not current.samples, "TYPE comes before the samples"
            current.type = kind
        else:
            assert not line.startswith("#") and line, f"unexpected line {line!r}"
            m = _SAMPLE.match(line)
            assert m, f"bad sample line {line!r}"
            name, labels, value = m.group(1), _labels(m.group(2)) if m.group(2) else {}, _float(m.group(3))
            assert current is not None and current.type
            allowed = {current.name + s for s in _SUFFIXES[current.type]}
            assert name in allowed, f"{name} outside {current.name}"
            current.samples.append((name, labels, value))
    for family in families.values():
        if family.type == "histogram":
            _check_histogram(family)
    return families


def _check_histogram(family: Family) -> None:
    series: dict[tuple, list[tuple[float, float]]] = {}
    for name, labels, value in family.samples:
        if name.endswith("_bucket"):
            key = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
            series.setdefault(key, []).append((_float(labels["le"]), value))
    for key, buckets in series.items():
        bounds = [b for b, _ in buckets]
        assert bounds == sorted(bounds) and bounds[-1] == math.inf, f"buckets of {key} end with +Inf"
        counts = [c for _, c in buckets]
        assert counts == sorted(counts), f"buckets of {key} are cumulative"
        assert family.value("_count", **dict(key)) == counts[-1], "+Inf bucket == _count"
