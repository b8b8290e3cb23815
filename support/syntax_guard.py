"""A syntax error in one cell must not stop Run All.

Imported in IPython (``support.grading`` installs it), this module adds an input transformer: a
cell that does not compile is replaced by a call that shows its syntax error (line, caret,
message, as text and as a red box) without raising, so Run All goes on to the checks and the
progress table. The names the broken cell would have defined are remembered until a cell that
compiles defines them again, so the exercise's check says "syntax error" instead of "not
attempted" (or passing an older version): :func:`syntax_error_defining`.
"""

from __future__ import annotations

import ast
import hashlib
import html
import re
from dataclasses import asdict, dataclass

_COMPILE_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
SYNTAX_METADATA_KEY = "fcc_syntax_error"
_BINDS = re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)"
                    r"|^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)", re.MULTILINE)


@dataclass(frozen=True)
class SyntaxSlip:
    """A cell's syntax error: where, what, and the names the cell would have defined."""

    line: int
    message: str
    code: str
    caret: str
    names: tuple[str, ...]

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"

    def plain(self) -> str:
        """The error as text: message, the offending line and a caret under the spot."""
        return (f"SyntaxError in this cell, line {self.line}: {self.message}\n"
                f"    {self.code}\n    {self.caret}\n"
                "This cell did not run, so nothing in it is defined. The cells below still run; "
                "fix this cell and run it again.")

    def html(self) -> str:
        """The same in a red box that screen readers announce."""
        esc = html.escape
        return (f'<div role="alert" aria-label="syntax error" style="background:#fdecea;'
                f'border-left:6px solid #b71c1c;padding:6px 10px;border-radius:4px">'
                f'<b style="color:#b71c1c">SyntaxError</b> in this cell, line {self.line}: '
                f"{esc(self.message)}<pre style=\"margin:4px 0\">{esc(self.code)}\n"
                f"{esc(self.caret)}</pre>This cell did not run, so nothing in it is defined. "
                "The cells below still run; fix this cell and run it again.</div>")


_pending: dict[str, SyntaxSlip] = {}
_broken: dict[str, SyntaxSlip] = {}


def _slip(source: str, exc: SyntaxError) -> SyntaxSlip:
    line = exc.lineno or 1
    text = (exc.text or (source.splitlines() or [""])[min(line, len(source.splitlines())) - 1])
    code = text.rstrip("\n")
    stripped = code.lstrip()
    start = max((exc.offset or 1) - 1 - (len(code) - len(stripped)), 0)
    width = 1
    if exc.end_offset and exc.end_lineno in (None, exc.lineno) and exc.end_offset > (exc.offset or 1):
        width = exc.end_offset - (exc.offset or 1)
    names = tuple(dict.fromkeys(a or b for a, b in _BINDS.findall(source)))
    return SyntaxSlip(line, exc.msg or type(exc).__name__, stripped,
                      " " * min(start, len(stripped)) + "^" * width, names)


def _bound_names(body: list[ast.stmt]) -> set[str]:
    """Names that top-level statements bind (definitions, assignments, imports)."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.With)):
            targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
            targets += [item.optional_vars for item in getattr(node, "items", [])]
            names |= {n.id for t in targets if t is not None for n in ast.walk(t)
                      if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(node, field, None)
            if isinstance(inner, list) and not isinstance(
                    node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names |= _bound_names(inner)
        for handler in getattr(node, "handlers", []):
            names |= _bound_names(handler.body)
    return names


def _syntax_guard(lines: list[str]) -> list[str]:
    """IPython input transformer: a cell that does not compile shows its error instead."""
    source = "".join(lines)
    try:
        tree = compile(source, "<cell>", "exec", flags=ast.PyCF_ONLY_AST | _COMPILE_FLAGS,
                       dont_inherit=True)
        compile(tree, "<cell>", "exec", flags=_COMPILE_FLAGS, dont_inherit=True)
    except SyntaxError as exc:  # IndentationError and TabError too
        key = hashlib.sha256(source.encode()).hexdigest()[:16]
        _pending[key] = _slip(source, exc)
        return [f"__import__('support.syntax_guard').syntax_guard._show_syntax_error({key!r})\n"]
    except (ValueError, OverflowError):  # e.g. a null byte: IPython reports it as usual
        return lines
    for name in _bound_names(tree.body):  # type: ignore[attr-defined]
        _broken.pop(name, None)
    return lines


def _show_syntax_error(key: str) -> None:
    """Run in place of a cell that does not compile: remember and show its error."""
    slip = _pending.get(key)
    if slip is None:
        return
    for name in slip.names:
        _broken[name] = slip
    from IPython.display import display

    display({"text/plain": slip.plain(), "text/html": slip.html()}, raw=True,
            metadata={SYNTAX_METADATA_KEY: asdict(slip)})


def syntax_error_defining(name: str) -> SyntaxSlip | None:
    """The syntax error of the last cell that tried to define ``name``, if not fixed since."""
    return _broken.get(name)


def install_syntax_guard() -> bool:
    """Add the transformer to the running IPython (once); False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the course
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "input_transformers_post"):
        return False
    transformers = shell.input_transformers_post
    transformers[:] = [t for t in transformers
                       if getattr(t, "__qualname__", "") != "_syntax_guard"
                       or getattr(t, "__module__", "") != __name__]
    transformers.append(_syntax_guard)
    return True
