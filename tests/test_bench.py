"""`scripts/bench` stopped: its corpus, often in memory (/dev/shm), goes with it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsroom.bench import PROJECT


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads the processes in /proc")
def test_a_stopped_bench_removes_its_corpus_and_its_build(tmp_path):
    bench = subprocess.Popen([sys.executable, "-m", "newsroom.bench", "1000", "--dir", str(tmp_path)], cwd=PROJECT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        # mkdocs.yml is written once the corpus is: the bench is checking or building it from here on.
        while not list(tmp_path.glob("newsroom-bench-*/mkdocs.yml")):
            assert bench.poll() is None, bench.stderr.read()
            assert time.monotonic() < deadline, "the bench never wrote its project"
            time.sleep(0.05)
        started = list(tmp_path.glob("newsroom-bench-*/posts/**/*.md"))
        bench.send_signal(signal.SIGTERM)
        status = bench.wait(timeout=60)
    finally:
        bench.kill()
        bench.wait()
    assert len(started) == 1000
    assert status == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
    # Nothing of the bench runs on: its check or build was stopped with it.
    assert [cmdline for cmdline in _command_lines() if str(tmp_path) in cmdline] == []


def _command_lines() -> list[str]:
    lines = []
    for process in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            lines.append(process.read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:  # ended meanwhile
            pass
    return lines
