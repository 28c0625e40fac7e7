"""The readers-writer lock that guards the vector index."""

from __future__ import annotations

import threading
import time

from photoorg.store.vectors.rwlock import RWLock

WAIT = 5.0  # generous: only reached when the test is about to fail


def test_readers_share_the_lock() -> None:
    lock = RWLock()
    both_inside = threading.Barrier(2, timeout=WAIT)

    def reader() -> None:
        with lock.read():
            both_inside.wait()  # breaks (raises) unless both readers are inside at once

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    assert not both_inside.broken


def test_writer_excludes_readers_and_writers() -> None:
    lock = RWLock()
    inside = {"r": 0, "w": 0}
    violations: list[dict[str, int]] = []
    guard = threading.Lock()

    def step(side: str, delta: int) -> None:
        with guard:
            inside[side] += delta
            if inside["w"] > 1 or (inside["w"] and inside["r"]):
                violations.append(dict(inside))

    def enter_and_leave(side: str) -> None:
        for _ in range(300):
            with lock.write() if side == "w" else lock.read():
                step(side, 1)
                time.sleep(0)  # let the other threads try to get in
                step(side, -1)

    threads = [threading.Thread(target=enter_and_leave, args=(s,)) for s in "wwrrr"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    assert not any(t.is_alive() for t in threads)
    assert violations == []


class WatchedCondition(threading.Condition):
    """The lock's condition, telling the test when a named thread starts to wait in it:
    the thread is then certainly blocked (it holds no side of the lock)."""

    def __init__(self) -> None:
        super().__init__(threading.Lock())
        self.waiting: dict[str, threading.Event] = {}

    def wait(self, timeout: float | None = None) -> bool:
        event = self.waiting.get(threading.current_thread().name)
        if event is not None:
            event.set()
        return super().wait(timeout)


def test_waiting_writer_goes_before_new_readers() -> None:
    lock = RWLock()
    watched = WatchedCondition()
    lock._cond = watched
    writer_waits = watched.waiting.setdefault("writer", threading.Event())
    late_reader_waits = watched.waiting.setdefault("late reader", threading.Event())
    order: list[str] = []
    first_reader_in = threading.Event()
    release_first_reader = threading.Event()

    def first_reader() -> None:
        with lock.read():
            first_reader_in.set()
            release_first_reader.wait(WAIT)
        order.append("reader 1 out")

    def writer() -> None:
        with lock.write():
            order.append("writer")

    def late_reader() -> None:
        with lock.read():
            order.append("reader 2")

    threads = [threading.Thread(target=first_reader)]
    threads[0].start()
    assert first_reader_in.wait(WAIT)
    threads.append(threading.Thread(target=writer, name="writer"))
    threads[1].start()
    assert writer_waits.wait(WAIT)  # the writer now queues behind reader 1
    threads.append(threading.Thread(target=late_reader, name="late reader"))
    threads[2].start()
    assert late_reader_waits.wait(WAIT)  # blocked: a reader may not pass a waiting writer
    assert order == []  # the late reader waits for the writer, which waits for reader 1
    release_first_reader.set()
    for t in threads:
        t.join(WAIT)
    assert order.index("writer") < order.index("reader 2")
