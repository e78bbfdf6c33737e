"""Process metrics: counters, gauges and histograms with labels, rendered in the Prometheus text
exposition format 0.0.4 (served at ``/metrics``).

A tiny in-house implementation (no client library): a metric holds one child per tuple of label
values; a child is a few floats. Updates take a per-metric lock, so threads (e.g. ``asyncio.to_thread``
work) and the event loop may both update; on the loop thread the cost is a dict lookup and a lock.

Numbers are per process: when ``ztn serve`` runs several worker processes, each one counts only what
it served and exposes its own numbers (a scrape reaches one of them); sum them on the Prometheus side.
Gauges computed from the store at scrape time (``CHECKS`` by status) are the same in every process.

Usage::

    metrics.PINGS_RECEIVED.labels("success").inc()
    metrics.FLIPS.labels(new_status="down").inc()
    metrics.NOTIFY_LATENCY.observe(0.25)
    text = metrics.REGISTRY.render()
"""

from __future__ import annotations

import math
import re
import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence

__all__ = [
    "CHECKS",
    "CONTENT_TYPE",
    "Counter",
    "DEFAULT_BUCKETS",
    "FLIPS",
    "Gauge",
    "Histogram",
    "LATENCY_BUCKETS",
    "NOTIFICATIONS_FAILED",
    "NOTIFICATIONS_SENT",
    "NOTIFY_LATENCY",
    "PINGS_RECEIVED",
    "REGISTRY",
    "REQUESTS",
    "REQUEST_LATENCY",
    "Registry",
]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Request latencies: most RPCs answer in a millisecond or two, so the low end is finer."""

_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


def format_value(value: float) -> str:
    """Integral values without a fraction (counters read naturally), the rest as Python's shortest repr."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _le(bound: float) -> str:
    return "+Inf" if math.isinf(bound) else repr(bound)  # "1.0", as the reference clients write it


def escape_label_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _labels_text(names: Sequence[str], values: Sequence[str], extra: str = "") -> str:
    parts = [f'{n}="{escape_label_value(v)}"' for n, v in zip(names, values, strict=True)]
    if extra:
        parts.append(extra)
    return "{" + ",".join(parts) + "}" if parts else ""


class _Metric:
    kind = ""

    def __init__(
        self, name: str, help: str, labelnames: Sequence[str] = (), registry: Registry | None = None
    ):
        if not _NAME.match(name):
            raise ValueError(f"invalid metric name {name!r}")
        for label in labelnames:
            if not _LABEL.match(label) or label.startswith("__") or label == "le":
                raise ValueError(f"invalid label name {label!r}")
        self.name = name
        self.help = help
        self.labelnames = tuple(labelnames)
        self._children: dict[tuple[str, ...], _Child] = {}
        self._lock = threading.Lock()
        if registry is not None:
            registry.register(self)

    def labels(self, *values: str, **by_name: str) -> _Child:
        """The child for these label values (positional in declaration order, or by name)."""
        if by_name:
            if values:
                raise ValueError("label values either positional or by name, not both")
            try:
                values = tuple(by_name[n] for n in self.labelnames)
            except KeyError as e:
                raise ValueError(f"missing label {e.args[0]!r} for {self.name}") from None
            if len(by_name) != len(self.labelnames):
                raise ValueError(f"unexpected labels for {self.name}: {sorted(by_name)}")
        child = self._children.get(values)
        if child is None:
            if len(values) != len(self.labelnames):
                raise ValueError(f"{self.name} takes labels {self.labelnames}, got {values!r}")
            key = tuple(str(v) for v in values)
            with self._lock:
                child = self._children.get(key)
                if child is None:
                    child = self._children[key] = self._new_child()
        return child

    def clear(self) -> None:
        with self._lock:
            self._children.clear()

    def _new_child(self) -> _Child:
        raise NotImplementedError

    def _unlabelled(self) -> _Child:
        if self.labelnames:
            raise ValueError(f"{self.name} has labels {self.labelnames}: use .labels(...)")
        return self.labels()

    def samples(self) -> Iterator[tuple[str, str, float]]:
        """(name suffix, rendered labels, value) for every sample, children in label order."""
        with self._lock:
            items = sorted(self._children.items())
        for values, child in items:
            yield from child.samples(self.labelnames, values)

    def render(self) -> str:
        lines = [f"# HELP {self.name} {escape_help(self.help)}", f"# TYPE {self.name} {self.kind}"]
        lines.extend(f"{self.name}{suffix}{labels} {format_value(v)}" for suffix, labels, v in self.samples())
        return "\n".join(lines) + "\n"


class _Child:
    __slots__ = ("_lock",)

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock

    def samples(self, names: Sequence[str], values: Sequence[str]) -> Iterable[tuple[str, str, float]]:
        raise NotImplementedError


class _ValueChild(_Child):
    __slots__ = ("value",)

    def __init__(self, lock: threading.Lock) -> None:
        super().__init__(lock)
        self.value = 0.0

    def inc(self, amount: float = 1.0) -> None:
        with self._lock:
            self.value += amount

    def samples(self, names: Sequence[str], values: Sequence[str]) -> Iterable[tuple[str, str, float]]:
        return (("", _labels_text(names, values), self.value),)


class _CounterChild(_ValueChild):
    __slots__ = ()

    def inc(self, amount: float = 1.0) -> None:
        if amount < 0:
            raise ValueError("a counter only goes up")
        with self._lock:
            self.value += amount


class _GaugeChild(_ValueChild):
    __slots__ = ()

    def dec(self, amount: float = 1.0) -> None:
        with self._lock:
            self.value -= amount

    def set(self, value: float) -> None:
        self.value = float(value)


class _HistogramChild(_Child):
    __slots__ = ("bounds", "counts", "sum", "count")

    def __init__(self, lock: threading.Lock, bounds: tuple[float, ...]) -> None:
        super().__init__(lock)
        self.bounds = bounds
        self.counts = [0] * (len(bounds) + 1)  # per bucket, not cumulative; the last one is +Inf
        self.sum = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        i = bisect_left(self.bounds, value)  # le is inclusive: value == bound falls in that bucket
        with self._lock:
            self.counts[i] += 1
            self.sum += value
            self.count += 1

    def samples(self, names: Sequence[str], values: Sequence[str]) -> Iterable[tuple[str, str, float]]:
        with self._lock:
            counts, total, count = list(self.counts), self.sum, self.count
        out = []
        cumulative = 0
        for bound, n in zip((*self.bounds, math.inf), counts, strict=True):
            cumulative += n
            out.append(("_bucket", _labels_text(names, values, f'le="{_le(bound)}"'), cumulative))
        out.append(("_sum", _labels_text(names, values), total))
        out.append(("_count", _labels_text(names, values), count))
        return out


class Counter(_Metric):
    kind = "counter"

    def _new_child(self) -> _CounterChild:
        return _CounterChild(self._lock)

    def labels(self, *values: str, **by_name: str) -> _CounterChild:
        return super().labels(*values, **by_name)  # type: ignore[return-value]

    def inc(self, amount: float = 1.0) -> None:
        self._unlabelled().inc(amount)  # type: ignore[attr-defined]


class Gauge(_Metric):
    kind = "gauge"

    def _new_child(self) -> _GaugeChild:
        return _GaugeChild(self._lock)

    def labels(self, *values: str, **by_name: str) -> _GaugeChild:
        return super().labels(*values, **by_name)  # type: ignore[return-value]

    def inc(self, amount: float = 1.0) -> None:
        self._unlabelled().inc(amount)  # type: ignore[attr-defined]

    def dec(self, amount: float = 1.0) -> None:
        self._unlabelled().dec(amount)  # type: ignore[attr-defined]

    def set(self, value: float) -> None:
        self._unlabelled().set(value)  # type: ignore[attr-defined]

    def replace(self, values: dict[tuple[str, ...], float]) -> None:
        """Set the whole family at once (label values -> value); labels not given disappear.
        For gauges computed at scrape time."""
        children: dict[tuple[str, ...], _Child] = {}
        for key, value in values.items():
            if len(key) != len(self.labelnames):
                raise ValueError(f"{self.name} takes labels {self.labelnames}, got {key!r}")
            child = _GaugeChild(self._lock)
            child.value = float(value)
            children[tuple(str(v) for v in key)] = child
        with self._lock:
            self._children = children


class Histogram(_Metric):
    kind = "histogram"

    def __init__(
        self,
        name: str,
        help: str,
        labelnames: Sequence[str] = (),
        registry: Registry | None = None,
        buckets: Sequence[float] = DEFAULT_BUCKETS,
    ):
        bounds = tuple(float(b) for b in buckets if not math.isinf(b))
        if not bounds or list(bounds) != sorted(set(bounds)):
            raise ValueError("buckets must be increasing")
        self.bounds = bounds
        super().__init__(name, help, labelnames, registry)

    def _new_child(self) -> _HistogramChild:
        return _HistogramChild(self._lock, self.bounds)

    def labels(self, *values: str, **by_name: str) -> _HistogramChild:
        return super().labels(*values, **by_name)  # type: ignore[return-value]

    def observe(self, value: float) -> None:
        self._unlabelled().observe(value)  # type: ignore[attr-defined]


class Registry:
    def __init__(self) -> None:
        self._metrics: dict[str, _Metric] = {}

    def register(self, metric: _Metric) -> None:
        if metric.name in self._metrics:
            raise ValueError(f"metric {metric.name} already registered")
        self._metrics[metric.name] = metric

    def get(self, name: str) -> _Metric:
        return self._metrics[name]

    def render(self) -> str:
        return "".join(m.render() for m in self._metrics.values())


REGISTRY = Registry()

PINGS_RECEIVED = Counter(
    "ztn_pings_received_total",
    "Pings stored, by kind of the stored ping (success, start, fail, log, ign).",
    ("kind",),
    REGISTRY,
)
FLIPS = Counter("ztn_flips_total", "Status flips created, by new status.", ("new_status",), REGISTRY)
NOTIFICATIONS_SENT = Counter(
    "ztn_notifications_sent_total", "Notifications delivered, by channel kind.", ("kind",), REGISTRY
)
NOTIFICATIONS_FAILED = Counter(
    "ztn_notifications_failed_total",
    "Notification attempts that failed, by channel kind.",
    ("kind",),
    REGISTRY,
)
NOTIFY_LATENCY = Histogram(
    "ztn_notify_latency_seconds", "Time to deliver one notification (one attempt).", (), REGISTRY
)
REQUESTS = Counter(
    "ztn_requests_total",
    "RPCs served, by method path, door (grpc, grpc-web, connect, rest) and gRPC status code.",
    ("method", "door", "code"),
    REGISTRY,
)
REQUEST_LATENCY = Histogram(
    "ztn_request_latency_seconds",
    "Time spent in the RPC behaviour (middleware chain and servicer), by method path and door.",
    ("method", "door"),
    REGISTRY,
    buckets=LATENCY_BUCKETS,
)
CHECKS = Gauge(
    "ztn_checks", "Checks by stored status (computed from the store at scrape time).", ("status",), REGISTRY
)
