"""ztn.metrics: counters, gauges and histograms rendered in the Prometheus text format, parsed back."""

from __future__ import annotations

import math
import threading

import pytest

from metrics_parse import parse
from ztn import metrics
from ztn.metrics import Counter, Gauge, Histogram, Registry


def test_counter_with_labels_renders_help_type_and_samples():
    reg = Registry()
    c = Counter("jobs_total", "Jobs done.", ("kind", "result"), reg)
    c.labels("a", "ok").inc()
    c.labels(kind="a", result="ok").inc(2)
    c.labels("b", "failed").inc()
    text = reg.render()
    assert text.startswith("# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\n")
    family = parse(text)["jobs_total"]
    assert family.type == "counter"
    assert family.value(kind="a", result="ok") == 3
    assert family.value(kind="b", result="failed") == 1
    assert 'jobs_total{kind="a",result="ok"} 3\n' in text


def test_label_values_and_help_are_escaped():
    reg = Registry()
    c = Counter("odd_total", 'Help with a \\ backslash\nand a newline, "quotes" kept.', ("v",), reg)
    nasty = 'quote " backslash \\ newline \n end'
    c.labels(nasty).inc()
    text = reg.render()
    assert r'odd_total{v="quote \" backslash \\ newline \n end"} 1' in text
    family = parse(text)["odd_total"]
    assert family.help == 'Help with a \\ backslash\nand a newline, "quotes" kept.'
    assert family.value(v=nasty) == 1


def test_histogram_buckets_sum_count_and_inf():
    reg = Registry()
    h = Histogram("wait_seconds", "Waits.", ("door",), reg, buckets=(0.1, 1, 5))
    for v in (0.05, 0.1, 0.5, 3, 7):
        h.labels("rest").observe(v)
    text = reg.render()
    family = parse(text)["wait_seconds"]  # the parser checks cumulative buckets and +Inf == _count
    assert family.type == "histogram"
    assert family.value("_bucket", door="rest", le="0.1") == 2  # le is inclusive
    assert family.value("_bucket", door="rest", le="1.0") == 3
    assert family.value("_bucket", door="rest", le="5.0") == 4
    assert family.value("_bucket", door="rest", le="+Inf") == 5
    assert family.value("_count", door="rest") == 5
    assert math.isclose(family.value("_sum", door="rest"), 10.65)


def test_unlabelled_metrics_and_gauges():
    reg = Registry()
    h = Histogram("latency_seconds", "L.", registry=reg)
    h.observe(0.2)
    g = Gauge("things", "T.", ("status",), reg)
    g.replace({("up",): 3, ("down",): 0})
    g.labels("new").set(2.5)
    g.labels("new").dec(0.5)
    families = parse(reg.render())
    assert families["latency_seconds"].value("_count") == 1
    assert families["latency_seconds"].value("_bucket", le="0.25") == 1
    assert families["things"].value(status="up") == 3
    assert families["things"].value(status="down") == 0
    assert families["things"].value(status="new") == 2
    g.replace({("paused",): 1})  # labels not given disappear
    assert [labels for _, labels, _ in parse(reg.render())["things"].samples] == [{"status": "paused"}]


def test_a_family_without_samples_still_declares_itself():
    reg = Registry()
    Counter("nothing_total", "Nothing yet.", ("kind",), reg)
    assert reg.render() == "# HELP nothing_total Nothing yet.\n# TYPE nothing_total counter\n"
    assert parse(reg.render())["nothing_total"].samples == []


def test_misuse_is_refused():
    reg = Registry()
    c = Counter("x_total", "X.", ("a",), reg)
    with pytest.raises(ValueError):
        c.inc()  # labelled metric without labels
    with pytest.raises(ValueError):
        c.labels("1", "2")
    with pytest.raises(ValueError):
        c.labels(b="1")
    with pytest.raises(ValueError):
        c.labels("1").inc(-1)
    with pytest.raises(ValueError):
        Counter("x_total", "again", (), reg)
    with pytest.raises(ValueError):
        Counter("bad-name", "B.")
    with pytest.raises(ValueError):
        Histogram("h", "H.", ("le",))
    with pytest.raises(ValueError):
        Histogram("h", "H.", buckets=(1, 0.5))


def test_updates_from_threads_add_up():
    reg = Registry()
    c = Counter("t_total", "T.", ("k",), reg)
    h = Histogram("t_seconds", "T.", registry=reg)

    def work():
        for _ in range(10_000):
            c.labels("k").inc()
            h.observe(0.001)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    families = parse(reg.render())
    assert families["t_total"].value(k="k") == 40_000
    assert families["t_seconds"].value("_count") == 40_000


def test_the_process_registry_exports_the_shared_names():
    families = parse(metrics.REGISTRY.render())
    expected = {
        "ztn_pings_received_total": "counter",
        "ztn_flips_total": "counter",
        "ztn_notifications_sent_total": "counter",
        "ztn_notifications_failed_total": "counter",
        "ztn_notify_latency_seconds": "histogram",
        "ztn_requests_total": "counter",
        "ztn_request_latency_seconds": "histogram",
        "ztn_checks": "gauge",
    }
    assert {name: families[name].type for name in expected} == expected
    assert metrics.PINGS_RECEIVED.labelnames == ("kind",)
    assert metrics.FLIPS.labelnames == ("new_status",)
    assert metrics.NOTIFICATIONS_SENT.labelnames == metrics.NOTIFICATIONS_FAILED.labelnames == ("kind",)
    assert metrics.NOTIFY_LATENCY.labelnames == ()
    assert metrics.REQUESTS.labelnames == ("method", "door", "code")
    assert metrics.REQUEST_LATENCY.labelnames == ("method", "door")
