from __future__ import annotations

import logging
import threading

import pytest
from permissions import assert_owner_only

from caregiver_app import __version__
from caregiver_app.services import logs
from caregiver_app.services.rotating_log import PrivateRotatingFileHandler


@pytest.mark.posix_only("exact st_mode bits: Windows has only a read-only flag")
def test_rotated_logs_stay_owner_only(tmp_path):
    log_file = tmp_path / "logs" / "app.log"
    log_file.parent.mkdir()
    handler = PrivateRotatingFileHandler(log_file, maxBytes=200, backupCount=2,
                                         encoding="utf-8")
    logger = logging.getLogger("test_rotated_logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for i in range(20):
            logger.warning("event number %d with some padding text", i)
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(log_file.parent.iterdir())
    assert len(files) == 3
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600, path.name


@pytest.fixture
def root_logger():
    """The root logger, with its handlers and level as they were after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_the_windows_start_logs_at_once_and_rotates_once_the_window_is_up(tmp_path,
                                                                        root_logger):
    """The start writes to the log through a plain handler (logging.handlers is not
    imported before the window is up); ``rotate()`` then swaps in the rotating handler:
    a log already over its size is rotated at the next line, and no line is lost or
    written twice."""
    log_file = tmp_path / "logs" / "caregiver-app.log"
    log_file.parent.mkdir()
    log_file.write_text("x" * (logs.MAX_BYTES + 10) + "\n", encoding="utf-8")
    others = list(root_logger.handlers)  # (pytest's)
    rotate = logs.start_file_logging(log_file)
    logger = logging.getLogger("test_start_logging")
    logger.info("at start")
    assert log_file.read_text(encoding="utf-8").endswith("test_start_logging: at start\n")
    assert not log_file.with_name("caregiver-app.log.1").exists()  # not rotated yet

    rotate()
    rotate()  # (once is enough)
    logger.info("once the window is up")
    older = log_file.with_name("caregiver-app.log.1")
    assert older.read_text(encoding="utf-8").count("at start") == 1
    assert log_file.read_text(encoding="utf-8").count("once the window is up") == 1
    assert "at start" not in log_file.read_text(encoding="utf-8")
    files = [h for h in root_logger.handlers if h not in others]
    assert [type(h) for h in files] == [PrivateRotatingFileHandler]
    assert (files[0].maxBytes, files[0].backupCount) == (logs.MAX_BYTES, logs.BACKUP_COUNT)
    assert files[0].formatter._fmt == logs.FORMAT
    for path in (log_file, older):
        assert_owner_only(path)


def _lines(*files, text):
    return sum(f.read_text(encoding="utf-8").count(text) for f in files if f.exists())


def test_a_line_logged_from_another_thread_during_the_swap_is_written_once(
        tmp_path, root_logger, monkeypatch):
    """Whatever step of the swap another thread logs at, its line is in the logs once:
    here a thread logs whenever the swap adds or removes a handler of the root logger."""
    log_file = tmp_path / "logs" / "caregiver-app.log"
    log_file.parent.mkdir()
    log_file.write_text("x" * (logs.MAX_BYTES + 10) + "\n", encoding="utf-8")
    rotate = logs.start_file_logging(log_file)
    logger = logging.getLogger("test_swap")
    sent = []

    def log_from_another_thread():
        text = f"from another thread {len(sent)}"
        thread = threading.Thread(target=logger.info, args=(text,))
        thread.start()
        thread.join(timeout=5)
        assert not thread.is_alive()
        sent.append(text)

    for name in ("addHandler", "removeHandler"):
        real = getattr(root_logger, name)

        def step(handler, real=real):
            log_from_another_thread()
            real(handler)
            log_from_another_thread()

        monkeypatch.setattr(root_logger, name, step)
    rotate()
    log_from_another_thread()  # (at least one line: after the swap)
    files = (log_file, log_file.with_name("caregiver-app.log.1"))
    assert [_lines(*files, text=text + "\n") for text in sent] == [1] * len(sent)


def test_a_line_that_reached_the_start_handler_before_the_swap_goes_to_the_new_one(
        tmp_path, root_logger):
    """A thread that took the root's handlers just before the swap hands its line to the
    start's plain handler after it: written once, in the rotating log, and the plain
    handler does not open the file again (a file left open for nothing)."""
    log_file = tmp_path / "logs" / "caregiver-app.log"
    log_file.parent.mkdir()
    others = list(root_logger.handlers)
    rotate = logs.start_file_logging(log_file)
    [plain] = [h for h in root_logger.handlers if h not in others]
    rotate()
    record = logging.getLogger("test_late").makeRecord(
        "test_late", logging.INFO, __file__, 1, "a late line", (), None)
    plain.handle(record)
    assert log_file.read_text(encoding="utf-8").count("a late line") == 1
    assert plain.stream is None


def test_a_full_log_starts_again_with_this_sessions_start_line(tmp_path, root_logger):
    """A log over its size moves aside once the window is up: the fresh log's first line
    says this session's version and where its first lines went."""
    log_file = tmp_path / "logs" / "caregiver-app.log"
    log_file.parent.mkdir()
    log_file.write_text("x" * (logs.MAX_BYTES + 10) + "\n", encoding="utf-8")
    rotate = logs.start_file_logging(log_file)
    logging.getLogger("test_start").info("start version=%s example=False", __version__)
    rotate()
    first = log_file.read_text(encoding="utf-8").splitlines()[0]
    assert f"start version={__version__} (again: the log was rotated;" in first
    assert first.endswith("are in caregiver-app.log.1)")
    older = log_file.with_name("caregiver-app.log.1").read_text(encoding="utf-8")
    assert older.count(f"start version={__version__} example=False") == 1


def test_a_small_log_is_not_given_the_start_line_again(tmp_path, root_logger):
    log_file = tmp_path / "logs" / "caregiver-app.log"
    log_file.parent.mkdir()
    rotate = logs.start_file_logging(log_file)
    logging.getLogger("test_start").info("start version=%s example=False", __version__)
    rotate()
    assert log_file.read_text(encoding="utf-8").count("start version=") == 1
    assert not log_file.with_name("caregiver-app.log.1").exists()


def test_logging_set_up_again_replaces_the_first(tmp_path, root_logger):
    """The welcome screen's example starts a window of its own (``run_gui`` again, on
    the example's folder): its lines go to the example's log only, once, and to
    stderr once."""
    household = tmp_path / "data" / "logs" / "caregiver-app.log"
    example = tmp_path / "data-example" / "logs" / "caregiver-app.log"
    others = list(root_logger.handlers)
    rotate_household = logs.start_file_logging(household, also_stderr=True)
    rotate_household()  # (the welcome screen's own event loop)
    rotate_example = logs.start_file_logging(example, also_stderr=True)
    rotate_household()  # (a late timer of the first start: nothing to do)
    logger = logging.getLogger("test_again")
    logger.info("in the example")
    rotate_example()
    logger.info("in the example, later")
    assert "in the example" not in household.read_text(encoding="utf-8")
    assert example.read_text(encoding="utf-8").count("in the example\n") == 1
    assert example.read_text(encoding="utf-8").count("in the example, later\n") == 1
    ours = [h for h in root_logger.handlers if h not in others]
    assert sorted(type(h).__name__ for h in ours) == ["PrivateRotatingFileHandler",
                                                      "StreamHandler"]
    assert ours[0].baseFilename == str(example)
