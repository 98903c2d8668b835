from __future__ import annotations

import logging

import pytest

from caregiver_app.services.logs import PrivateRotatingFileHandler


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
