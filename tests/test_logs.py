"""support.logs: chosen loggers' records for a block, nothing on stderr, everything restored."""

from __future__ import annotations

import logging

from support import monitoring
from support.logs import capture_logs


def test_records_are_captured_and_the_loggers_restored(capsys) -> None:
    logger = logging.getLogger("fcc-test-logs")
    handlers, propagate, level = logger.handlers[:], logger.propagate, logger.level
    with capture_logs("fcc-test-logs") as logs:
        logger.info("kept %s", 1)
        try:
            raise KeyError("x")
        except KeyError:
            logger.exception("failed")
        logger.debug("below the level")
    assert len(logs) == 2
    assert logs.lines() == ["fcc-test-logs INFO: kept 1", "fcc-test-logs ERROR: failed (KeyError)"]
    assert (logger.handlers, logger.propagate, logger.level) == (handlers, propagate, level)
    assert capsys.readouterr().err == ""


def test_lesson_06_still_imports_it_from_monitoring() -> None:
    assert monitoring.capture_logs is capture_logs
