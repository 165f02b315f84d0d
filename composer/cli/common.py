"""What every `outreach` command shares: the exit codes, the one-line message
on stderr, reading FILE or stdin, and the user's folders and config.

Only the standard library and the light core modules are imported here, since
every command, `outreach check` first, loads this module at start-up.
"""

from __future__ import annotations

import sys
from typing import TextIO

from composer.model import InputError
from composer.safe_text import visible

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2


def say(line: str) -> None:
    """One line on stderr; file names and messages quoting a file are shown, never obeyed."""
    sys.stderr.write(f"outreach: {visible(line)}\n")


def read_input(path: str, stdin: TextIO) -> tuple[str, bytes]:
    """The bytes of FILE or stdin, under a name for messages; stdin has the
    files' size limit (`</dev/zero` is refused, not read until memory runs out)."""
    from composer.model import MAX_INPUT_BYTES, read_bytes

    if path != "-":
        return path, read_bytes(path)
    if hasattr(stdin, "buffer"):
        data = stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        data = stdin.read(MAX_INPUT_BYTES + 1).encode()
    if len(data) > MAX_INPUT_BYTES:
        raise InputError("<stdin>", f"too large (over {MAX_INPUT_BYTES // (1024 * 1024)} MB)")
    return "<stdin>", data


class User:
    """The user's folders and config, loaded once per command; problems with
    config.toml or template folders are reported on stderr, never fatal."""

    def __init__(self, home: str | None) -> None:
        from composer.config import load_config
        from composer.storage import resolve_paths

        self.paths = resolve_paths(home)
        self.config, problems = load_config(self.paths)
        self._warn(problems)

    @staticmethod
    def _warn(problems: list[str]) -> None:
        for problem in problems:
            say(f"warning: {problem}")

    def store(self, extra=None):
        """The templates (built-in, yours, config.toml's folders, and `extra`); problems go to stderr."""
        from composer.templates_store import user_store

        store = user_store(self.paths, self.config.template_dirs, extra=extra)
        self._warn(store.problems)
        return store

    def render_draft(self, text: str, source: str, template_spec: str | None):
        """Parse a draft and render it with --template, else the draft's own
        template (a path in a draft is relative to the draft's folder)."""
        from pathlib import Path

        from composer.model import parse_draft
        from composer.render import Renderer
        from composer.templates_store import (
            DEFAULT_TEMPLATE,
            Template,
            template_for,
            with_defaults,
        )

        draft = parse_draft(text, source)
        if template_spec:
            template = template_for(template_spec)
        else:
            base = Path(source).parent if source != "<stdin>" else None
            template = template_for(draft.template, base)
        store = self.store(extra=[template] if isinstance(template, Template) else None)
        name = template.name if isinstance(template, Template) else template
        # As the composer does on opening a draft: its template's defaults fill
        # the fields it leaves empty (drafts written before defaults became
        # field values render as they always did).
        draft, _ = with_defaults(draft, store.get(name or draft.template or DEFAULT_TEMPLATE))
        return draft, Renderer(store).render(draft, name)
