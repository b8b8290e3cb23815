"""The front door of the course's commands: ``python -m support <command> [args...]``.

``python -m support`` lists the commands; ``python -m support <command> ...`` runs
``support.tools.<command>.main(args)`` and exits with its status.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from support.tools import COMMANDS

USAGE = "usage: python -m support <command> [args...]"


def listing() -> str:
    """The usage line and every command with its one line."""
    width = max(map(len, COMMANDS))
    lines = [USAGE, "", "commands:"]
    lines += [f"  {name:<{width}}  {summary}" for name, summary in COMMANDS.items()]
    lines += ["", "python -m support <command> --help shows a command's options."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command named by ``argv[0]`` with the rest; 2 for an unknown command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(listing())
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"python -m support: unknown command {name!r} (one of: {', '.join(COMMANDS)})",
              file=sys.stderr)
        return 2
    module = importlib.import_module(f"support.tools.{name}")
    try:
        return int(module.main(rest) or 0)
    except KeyboardInterrupt:
        print("\n" + getattr(module, "INTERRUPTED", "interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
