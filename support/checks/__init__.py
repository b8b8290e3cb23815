"""Checkers: one module per lesson (named after its slug in ``support.course.LESSONS``; each
registers its exercises with ``@exercise``), and the shared core every checker can use:

* :mod:`~support.checks.core`: ``exercise``, ``Namespace``, ``Fail``, ``NotAttempted``, results and
  ``run_check`` (what ``support.grading``'s ``check`` runs);
* :mod:`~support.checks.plumbing`: the guarded Redis, scratch prefixes, log capture, grading apps;
* :mod:`~support.checks.transparency`: judge a cache against the same code without one, on
  generated scenarios, with the shortest failing sequence as the hint;
* :mod:`~support.checks.processes`: the learner's code in real separate processes on one Redis;
* :mod:`~support.checks.concurrency`: two workers' Redis commands interleaved deterministically.

``check(id)`` imports only the lesson module of ``id``; the shared modules load on use.
"""

import os as _os

from support.backends import temporary_folder as _temporary_folder

# Hypothesis keeps a cache on disk (./.hypothesis) even without a database: keep it out of the
# learner's folder, in a private temporary folder removed at exit.
_os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", _temporary_folder("fcc-hypothesis-"))
