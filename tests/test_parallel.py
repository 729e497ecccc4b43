"""Work shared among forked processes: order, identity of shared objects, failures."""

from __future__ import annotations

import os
import time

import pytest

from newsroom import parallel


class Token:
    def __init__(self, name):
        self.name = name


def test_results_come_back_in_item_order_whoever_did_them():
    items = list(range(400))

    def square(n):
        time.sleep(0.001)  # slow enough that every process gets some
        return n * n, os.getpid()

    work = parallel.Shared(square, items, workers=3)
    results = work.results()
    assert [square for square, _ in results] == [n * n for n in items]
    assert len({pid for _, pid in results}) >= 2  # the children took their share


def test_one_worker_runs_everything_in_the_parent():
    work = parallel.Shared(lambda n: os.getpid(), list(range(50)), workers=1)
    assert set(work.results()) == {os.getpid()}


def test_shared_objects_come_back_as_the_parents_own_not_copies():
    tokens = [Token("a"), Token("b")]
    work = parallel.Shared(lambda n: {"token": tokens[n % 2], "copy": Token("c")}, list(range(40)), workers=2, shared=tokens)
    results = work.results()
    assert all(result["token"] is tokens[n % 2] for n, result in enumerate(results))
    assert results[0]["copy"].name == "c"


def test_a_failing_child_fails_the_whole_work(capfd):
    parent = os.getpid()

    def explode_in_child(n):
        if os.getpid() != parent:
            raise ValueError(f"bad item {n}")
        time.sleep(0.001)  # slow enough that the child gets items before the parent has done them all
        return n

    work = parallel.Shared(explode_in_child, list(range(400)), workers=3)
    with pytest.raises(RuntimeError, match="worker process failed"):
        work.results()
    assert "ValueError: bad item" in capfd.readouterr().err
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # both children reaped, though the first failed


def test_a_failure_in_the_parent_stops_and_reaps_the_children():
    parent = os.getpid()

    def explode_in_parent(n):
        if os.getpid() == parent:
            raise ValueError(f"bad item {n}")
        time.sleep(0.01)

    work = parallel.Shared(explode_in_parent, list(range(400)), workers=3)
    with pytest.raises(ValueError, match="bad item"):
        work.results()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_result_that_cannot_be_read_stops_and_reaps_the_other_children(monkeypatch):
    work = parallel.Shared(lambda n: time.sleep(0.002), list(range(400)), workers=3)
    monkeypatch.setattr(work, "_loads", lambda data: (_ for _ in ()).throw(EOFError("truncated")))
    with pytest.raises(EOFError):
        work.results()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    work.cancel()  # nothing left to cancel, and no error


def test_a_worker_killed_holding_the_counter_is_an_error_not_a_hang(monkeypatch):
    monkeypatch.setattr(parallel, "LOCK_TIMEOUT", 0.5)
    work = parallel.Shared(lambda n: n, list(range(40)), workers=1)
    pid = os.fork()
    if pid == 0:  # a process that dies holding the lock
        work._next.get_lock().acquire()
        os.kill(os.getpid(), 9)
    os.waitpid(pid, 0)
    with pytest.raises(RuntimeError, match="a worker died holding it"):
        work.results()


def test_cancel_stops_and_reaps_the_children():
    work = parallel.Shared(lambda n: time.sleep(0.05), list(range(400)), workers=3)
    pids = [pid for pid, _ in work._children]
    work.cancel()
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind


def test_worker_count(monkeypatch):
    monkeypatch.delenv("NEWSROOM_WORKERS", raising=False)
    assert parallel.worker_count(10) == 1  # a handful: not worth a fork
    assert 1 <= parallel.worker_count(10_000) <= (os.cpu_count() or 1)
    monkeypatch.setenv("NEWSROOM_WORKERS", "3")
    assert parallel.worker_count(10) == 3


def test_without_fork_everything_runs_in_one_process(monkeypatch):
    monkeypatch.delattr(os, "fork")
    assert parallel.worker_count(10_000) == 1
    work = parallel.Shared(lambda n: n + 1, list(range(30)), workers=parallel.worker_count(30))
    assert work.results() == list(range(1, 31))
