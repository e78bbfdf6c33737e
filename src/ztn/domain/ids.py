"""ZITADEL-like ids: ~18-digit numeric strings, time-ordered, unique across processes (sonyflake layout).

Layout (63 bits): 39 bits of 10 ms ticks since 2019-01-01 | 8 bits counter | 16 bits node.
The node is random per process (re-drawn after fork); the counter makes ids unique within a tick.
"""

from __future__ import annotations

import os
import secrets
import threading
import time

_EPOCH_S = 1546300800  # 2019-01-01T00:00:00Z
_COUNTER_BITS = 8
_NODE_BITS = 16


class _Generator:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = -1
        self._node = 0
        self._tick = 0
        self._counter = 0

    def next(self) -> int:
        with self._lock:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._node = secrets.randbits(_NODE_BITS)
            tick = int((time.time() - _EPOCH_S) * 100)
            if tick > self._tick:
                self._tick, self._counter = tick, 0
            else:
                # Same (or, after a clock step back, earlier) tick: keep counting; borrow the next tick
                # when the counter runs out, so ids never repeat and stay ordered within this process.
                self._counter += 1
                if self._counter >> _COUNTER_BITS:
                    self._tick, self._counter = self._tick + 1, 0
            return (self._tick << (_COUNTER_BITS + _NODE_BITS)) | (self._counter << _NODE_BITS) | self._node


_generator = _Generator()


def new_id() -> str:
    return str(_generator.next())
