"""services.background: work on a worker thread, its outcome on the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from caregiver_app.services.background import Cancelled, Operation, Progress


def _run(qtbot, work) -> tuple[Operation, list]:
    operation = Operation(work, name="test")
    seen: list = []
    operation.progressed.connect(lambda *args: seen.append(args))
    with qtbot.waitSignal(operation.finished, timeout=10_000):
        operation.start()
    return operation, seen


def test_the_value_arrives_on_the_gui_thread(qapp, qtbot):
    threads = {}

    def work(progress: Progress) -> int:
        threads["work"] = threading.get_ident()
        return 42

    operation = Operation(work)
    arrived = []
    operation.finished.connect(lambda outcome: arrived.append(
        (outcome, QThread.currentThread() is qapp.thread())))
    with qtbot.waitSignal(operation.finished, timeout=10_000):
        operation.start()
        assert operation.running
    (outcome, on_gui), = arrived
    assert outcome.ok and outcome.value == 42 and on_gui
    assert threads["work"] != threading.get_ident()
    assert not operation.running and operation.outcome is outcome


def test_an_error_is_handed_over_not_lost(qtbot):
    def work(progress: Progress) -> None:
        raise OSError(28, "No space left on device")

    operation, _ = _run(qtbot, work)
    outcome = operation.outcome
    assert not outcome.ok and not outcome.cancelled and outcome.value is None
    assert isinstance(outcome.error, OSError) and outcome.error.errno == 28


def test_cancel_stops_the_work_at_its_next_check(qtbot):
    started, go_on = threading.Event(), threading.Event()
    steps = []

    def work(progress: Progress) -> str:
        started.set()
        go_on.wait(10)
        progress.check()
        steps.append("after the check")
        return "done"

    operation = Operation(work)
    with qtbot.waitSignal(operation.finished, timeout=10_000):
        operation.start()
        assert started.wait(10)
        operation.cancel()
        go_on.set()
    outcome = operation.outcome
    assert outcome.cancelled and not outcome.ok and outcome.value is None
    assert steps == []


def test_work_that_finished_before_the_cancel_is_a_success(qtbot):
    """A cancel too late to stop anything does not make written work look undone."""
    operation = Operation(lambda progress: "written")
    operation.cancel()  # (asked before it ran: the work never checked)
    with qtbot.waitSignal(operation.finished, timeout=10_000):
        operation.start()
    assert operation.outcome.ok and operation.outcome.value == "written"


def test_progress_is_reported_without_flooding_the_gui_thread(qtbot):
    def work(progress: Progress) -> None:
        for done in range(1, 20_001):
            progress.report(done, 20_000)
        progress.report(0, 0, "Checking…")
        progress.report(0, 0, "Checking…")  # the same line again: not sent again

    _, seen = _run(qtbot, work)
    assert seen[-1] == (0, 0, "Checking…")
    assert (20_000, 20_000, "") in seen  # the last step always
    assert len(seen) < 200  # not one per step
    assert [s for s in seen if s[2]] == [(0, 0, "Checking…")]


def test_cancelled_raised_by_the_work_itself_means_cancelled(qtbot):
    def work(progress: Progress) -> None:
        raise Cancelled

    operation, _ = _run(qtbot, work)
    assert operation.outcome.cancelled


def test_past_its_commit_the_work_ends_with_its_value_whatever_cancel_says(qtbot):
    """Pages going to a printer cannot be called back: a Cancel after the commit does not
    make them look unsent; a Cancel before it stops the work there."""
    committed, go_on = threading.Event(), threading.Event()

    def work(progress: Progress) -> str:
        progress.commit("Sending the pages to the printer…")
        committed.set()
        go_on.wait(10)
        return "sent"

    operation = Operation(work)
    said: list[str] = []
    operation.committed.connect(said.append)
    with qtbot.waitSignal(operation.finished, timeout=10_000):
        operation.start()
        assert committed.wait(10)
        operation.cancel()
        go_on.set()
    assert operation.outcome.ok and operation.outcome.value == "sent"
    assert said == ["Sending the pages to the printer…"]

    early = Operation(lambda progress: progress.commit("never said") or "sent")
    early.committed.connect(said.append)
    early.cancel()
    with qtbot.waitSignal(early.finished, timeout=10_000):
        early.start()
    assert early.outcome.cancelled and said == ["Sending the pages to the printer…"]


def test_commit_and_cancel_are_one_decision_and_checks_after_the_commit_pass(qtbot):
    """Once committed, Cancel says it did not take effect and the work's later checks
    (between pages) do not stop it: nothing says "cancelled" for pages that went."""
    committed, go_on = threading.Event(), threading.Event()

    def work(progress: Progress) -> str:
        progress.commit("Sending the pages to the printer…")
        committed.set()
        go_on.wait(10)
        progress.check()  # (a check between pages, after the commit)
        return "sent" if not progress.cancelled else "said cancelled"

    operation = Operation(work)
    with qtbot.waitSignal(operation.finished, timeout=10_000):
        operation.start()
        assert committed.wait(10)
        assert operation.commit_text == "Sending the pages to the printer…"
        assert operation.cancel() is False and not operation.cancel_requested
        go_on.set()
    assert operation.outcome.ok and operation.outcome.value == "sent"

    early = Operation(lambda progress: progress.commit("never said") or "sent")
    assert early.cancel() is True and early.commit_text is None
    with qtbot.waitSignal(early.finished, timeout=10_000):
        early.start()
    assert early.outcome.cancelled and early.commit_text is None


def test_once_ended_the_work_and_what_it_captured_are_let_go(qtbot):
    """The thread pool keeps every runnable it was given: the work (and a printer, a
    file's cards, ... it captured) must not stay with it."""
    import gc
    import weakref

    class Captured:
        pass

    captured = Captured()
    gone = weakref.ref(captured)
    operation, _ = _run(qtbot, lambda progress, held=captured: type(held).__name__)
    assert operation.outcome.value == "Captured"
    del captured, operation
    gc.collect()
    assert gone() is None
