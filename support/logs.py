"""Log capture: the records of chosen loggers for a ``with`` block, kept off stderr.

Lessons show what Flask-Caching logged (``with capture_logs("flask_caching") as logs:``, then
``logs.lines()``); checkers use it to judge an app's logged errors.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass
class CapturedLogs:
    """The records captured by :func:`capture_logs`."""

    records: list[logging.LogRecord] = field(default_factory=list)

    def lines(self) -> list[str]:
        """``logger LEVEL: message (ExceptionType)`` for each record."""
        out = []
        for record in self.records:
            line = f"{record.name} {record.levelname}: {record.getMessage()}"
            if record.exc_info and record.exc_info[0] is not None:
                line += f" ({record.exc_info[0].__name__})"
            out.append(line)
        return out

    def __len__(self) -> int:
        return len(self.records)


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(logging.DEBUG)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


@contextlib.contextmanager
def capture_logs(*names: str, level: int = logging.INFO) -> Iterator[CapturedLogs]:
    """Collect the records of the named loggers (only) inside the block; restore them after.

    The loggers' own handlers are set aside and propagation is off for the block, so nothing
    reaches stderr. Use ``"flask_caching"`` for Flask-Caching and ``app.logger.name`` for an
    app's "Exception on /path" records.
    """
    captured = CapturedLogs()
    with only_handler(names or ("flask_caching",), _ListHandler(captured.records), level):
        yield captured


@contextlib.contextmanager
def only_handler(names: Iterable[str], handler: logging.Handler,
                 level: int | None = None) -> Iterator[None]:
    """For the block, ``handler`` is the named loggers' only handler and they do not propagate
    (nothing reaches stderr); with ``level``, their level too. Everything is restored after."""
    saved: list[tuple[logging.Logger, list[logging.Handler], bool, int]] = []
    for name in names:
        logger = logging.getLogger(name)
        saved.append((logger, logger.handlers[:], logger.propagate, logger.level))
        logger.handlers = [handler]
        logger.propagate = False
        if level is not None and logger.level != level:
            logger.setLevel(level)  # it clears every logger's cache: only when it changes
    try:
        yield
    finally:
        for logger, handlers, propagate, old_level in saved:
            logger.handlers = handlers
            logger.propagate = propagate
            if level is not None and logger.level != old_level:
                logger.setLevel(old_level)
