"""The course's Python package. Where things live, in one rule:

Notebooks import from the top of ``support/``. Everything that judges answers lives in
``support/checks/`` (``support.grading`` at the top is the learner's door to it: check, hint,
reveal). Every command lives in ``support/tools/`` and runs as ``python -m support <command>``.
Course facts (root, folders, lessons, cell tags, which notebooks exist) live once, in
``support/course.py``.

* Top (what notebooks import): ``backends``, ``data``, ``timing`` (with ``charts``), ``servers``,
  ``outage``, ``simulator``, ``quiz``, ``monitoring``, ``logs``, ``progress``, ``grading`` (with
  ``syntax_guard``, which it installs in a kernel), ``course``, and ``recorded/`` (the lines
  real servers printed, for machines without them).
* ``checks/``: ``core`` (registering and running checkers, results), one checker module per
  lesson, and the shared judging helpers (``transparency``, ``plumbing``, ``processes``,
  ``concurrency``).
* ``tools/``: ``python -m support`` lists the commands. Two thin shims at the top keep old
  command lines working, ``python -m support.grade`` (instructors) and
  ``python -m support.doctor`` (learners); ``python -m support.progress`` still works too.
"""
