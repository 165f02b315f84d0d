"""`outreach config`: where config.toml is, what it says, or open it in the
user's editor and check what was saved."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from composer.cli.common import EXIT_OK, EXIT_USAGE, say
from composer.model import InputError
from composer.safe_text import visible


def run_config(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """Print config.toml's path or contents, or edit it."""
    from composer.config import describe_config, load_config
    from composer.storage import resolve_paths

    paths = resolve_paths(args.home)
    path = paths.config_file
    if args.action == "path":
        out.write(visible(f"{path}\n"))
        return EXIT_OK
    if args.action == "show":
        config, problems = load_config(paths)
        for problem in problems:
            say(f"warning: {problem}")
        out.write(visible(describe_config(config)))
        return EXIT_OK
    return _edit_config(paths, out)


def _edit_config(paths, out: TextIO) -> int:
    """Open $EDITOR on config.toml, then check what was saved."""
    import shlex
    import subprocess

    from composer.config import load_config, start_config

    path = paths.config_file
    variable = next((name for name in ("VISUAL", "EDITOR") if os.environ.get(name)), None)
    editor = os.environ[variable] if variable else "vi"
    where = f"${variable}" if variable else "the editor"
    try:
        command = shlex.split(editor)
    except ValueError as exc:
        raise InputError(where, f"{editor!r} is not a command ({exc}); set ${variable}") from None
    if not command:
        raise InputError(where, f"is blank; set ${variable} to your editor (e.g. nano)")
    start_config(paths)
    try:
        subprocess.run([*command, str(path)], check=False)
    except OSError as exc:
        raise InputError(
            editor, f"cannot start the editor ({exc.strerror or exc}); set $EDITOR"
        ) from None
    _, problems = load_config(paths)
    if problems:
        for problem in problems:
            say(problem)
        say(f"{path} was kept as you saved it; defaults stand in for what is wrong")
        return EXIT_USAGE
    out.write(visible(f"{path}: OK\n"))
    return EXIT_OK
