"""The one run controller: the exact signal sequences of a run, a cancelled run,
a superseded run, queued runs and a failed run, always received in the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from gmmviz.core.errors import GmmvizError
from gmmviz.qt.runs import Cancelled, Pacer, RunController


@pytest.fixture
def runner(qtbot):
    from gmmviz.app import make_app

    make_app()
    controller = RunController("The test job", "gmmviz-test-worker")
    events: list[tuple] = []
    gui = QApplication.instance().thread()

    def record(name):
        def slot(*args):
            assert QThread.currentThread() is gui, f"{name} arrived outside the GUI thread"
            events.append((name, *args))
        return slot

    for name in ("started", "yielded", "finished", "cancelled", "failed"):
        getattr(controller, name).connect(record(name))
    controller.events = events
    yield controller
    controller.shutdown()
    assert not controller.is_alive()


def ended(runner, run_id):
    return any(e[0] in ("finished", "cancelled", "failed") and e[1] == run_id for e in runner.events)


def test_a_run_reports_every_item_then_finished(qtbot, runner):
    run_id = runner.submit(lambda token: iter((1, 2, 3)))
    qtbot.waitUntil(lambda: ended(runner, run_id))
    assert runner.events == [("started", 1), ("yielded", 1, 1), ("yielded", 1, 2), ("yielded", 1, 3),
                             ("finished", 1)]
    assert not runner.busy


def test_a_cancelled_run_reports_nothing_after_the_cancel_and_ends_cancelled(qtbot, runner):
    gate = threading.Event()

    def job(token):
        yield "first"
        gate.wait(5)
        yield "never shown"

    run_id = runner.submit(job)
    qtbot.waitUntil(lambda: ("yielded", run_id, "first") in runner.events)
    runner.cancel()
    gate.set()
    qtbot.waitUntil(lambda: ended(runner, run_id))
    assert runner.events == [("started", 1), ("yielded", 1, "first"), ("cancelled", 1)]


def test_a_new_run_supersedes_the_old_one_whose_items_are_dropped(qtbot, runner):
    gate = threading.Event()

    def slow(token):
        gate.wait(5)
        yield "stale"

    first = runner.submit(slow)
    second = runner.submit(lambda token: iter(["fresh"]))
    gate.set()
    qtbot.waitUntil(lambda: ended(runner, first) and ended(runner, second))
    assert ("yielded", first, "stale") not in runner.events
    assert runner.events == [("started", 1), ("started", 2), ("cancelled", 1), ("yielded", 2, "fresh"),
                             ("finished", 2)]


def test_queued_runs_all_complete_in_order(qtbot, runner):
    ids = [runner.submit(lambda token, i=i: iter([i]), queue=True) for i in range(3)]
    qtbot.waitUntil(lambda: all(ended(runner, i) for i in ids))
    assert [e for e in runner.events if e[0] != "started"] == [
        ("yielded", 1, 0), ("finished", 1), ("yielded", 2, 1), ("finished", 2), ("yielded", 3, 2), ("finished", 3)]


@pytest.mark.parametrize("error, message", [
    (GmmvizError("k is larger than n"), "k is larger than n"),
    (ZeroDivisionError("boom"), "The test job failed (ZeroDivisionError: boom). Your data are unchanged"),
])
def test_a_failing_job_ends_with_one_readable_message(qtbot, runner, error, message):
    def job(token):
        yield 1
        raise error

    run_id = runner.submit(job)
    qtbot.waitUntil(lambda: ended(runner, run_id))
    assert runner.events[:2] == [("started", 1), ("yielded", 1, 1)]
    (kind, rid, text), = runner.events[2:]
    assert (kind, rid) == ("failed", 1) and text.startswith(message)


def test_a_job_may_stop_itself_with_cancelled(qtbot, runner):
    def job(token):
        raise Cancelled
        yield

    run_id = runner.submit(job)
    qtbot.waitUntil(lambda: ended(runner, run_id))
    assert runner.events == [("started", 1), ("cancelled", 1)]


def test_report_sends_items_from_a_callback_style_job(qtbot, runner):
    def job(token):
        for fraction in (0.25, 0.5):
            token.report(fraction)
        yield "done"

    run_id = runner.submit(job)
    qtbot.waitUntil(lambda: ended(runner, run_id))
    assert [e[2] for e in runner.events if e[0] == "yielded"] == [0.25, 0.5, "done"]


def test_the_pacer_holds_a_job_at_its_horizon_until_raised(qtbot, runner):
    pacer, reached = Pacer(horizon=1), []

    def job(token):
        for i in range(5):
            reached.append(i)
            if not pacer.wait_for(i, token):
                return
            yield i

    run_id = runner.submit(job)
    qtbot.waitUntil(lambda: 2 in reached and ("yielded", run_id, 1) in runner.events)
    assert pacer.horizon == 1 and ("yielded", run_id, 2) not in runner.events  # held at index 2
    pacer.raise_horizon(10)
    qtbot.waitUntil(lambda: ended(runner, run_id))
    assert [e[2] for e in runner.events if e[0] == "yielded"] == [0, 1, 2, 3, 4]


def test_shutdown_joins_the_thread_and_a_later_submit_starts_a_new_one(qtbot, runner):
    running, gate = threading.Event(), threading.Event()

    def blocked(token):
        running.set()
        while not token.wait(0.01):
            pass
        gate.set()
        yield "after cancel"

    runner.submit(blocked)
    qtbot.waitUntil(running.is_set)
    runner.shutdown()  # cancels, and waits for the job to notice
    assert gate.is_set() and not runner.is_alive()
    run_id = runner.submit(lambda token: iter(["again"]))
    qtbot.waitUntil(lambda: ended(runner, run_id))
    assert ("yielded", run_id, "again") in runner.events
