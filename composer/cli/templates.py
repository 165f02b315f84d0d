"""`outreach templates`: list, show, import, export and delete the user's
templates; the built-ins are shown and exported, never changed."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from composer.cli.common import EXIT_OK, User
from composer.model import InputError
from composer.safe_text import one_line, visible


def run_templates(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """List the templates, or run the chosen action on one."""
    from composer.templates_store import DEFAULT_TEMPLATE

    user = User(args.home)
    action = getattr(args, "action", None) or "list"
    if action == "list":
        store = user.store()
        templates = store.listed()
        width = max(len(t.name) for t in templates)
        origin_width = max(len(t.origin) for t in templates)
        for template in templates:
            default = " (default)" if template.name == DEFAULT_TEMPLATE else ""
            row = f"{template.name:<{width}}  {template.origin:<{origin_width}}  {template.description}{default}"
            out.write(f"{one_line(row)}\n")
        return EXIT_OK
    return _TEMPLATE_ACTIONS[action](user, args, out)


def _template_source(template) -> str:
    """A template's TOML as stored, or re-written from its fields if it has no file."""
    from pathlib import Path

    from composer.templates_store import _builtin_dir, template_toml

    if template.origin == "built-in":
        return (
            _builtin_dir()
            .joinpath(template.path.removeprefix("built-in:"))
            .read_text(encoding="utf-8")
        )
    if template.path and Path(template.path).is_file():
        from composer.model import read_text

        return read_text(template.path)
    return template_toml(template)


def _templates_show(user: User, args: argparse.Namespace, out: TextIO) -> int:
    out.write(visible(_template_source(user.store().get(args.name))))
    return EXIT_OK


def _templates_import(user: User, args: argparse.Namespace, out: TextIO) -> int:
    from dataclasses import replace
    from pathlib import Path

    from composer.template_saving import store_user_template
    from composer.templates_store import load_template_file

    template = load_template_file(Path(args.file))
    if args.name is not None:
        template = replace(template, name=args.name)
    target, _ = store_user_template(
        user.store(),
        user.paths.templates,
        template,
        args.force,
        force_hint=" — add --force to replace it",
        rename_hint=" with --name",
    )
    out.write(visible(f"Imported '{template.name}' to {target}\n"))
    return EXIT_OK


def _templates_export(user: User, args: argparse.Namespace, out: TextIO) -> int:
    import stat
    from pathlib import Path

    from composer.storage import atomic_write

    source = _template_source(user.store().get(args.name))
    if not args.file:
        out.write(source)
        return EXIT_OK
    target = Path(args.file)
    if os.path.lexists(target):
        if not stat.S_ISREG(os.lstat(target).st_mode):
            # --force replaces a file, never a link, a device (as root, /dev/null), a FIFO or a folder.
            raise InputError(
                str(target), "not a regular file; export writes a new file or replaces one"
            )
        if not args.force:
            raise InputError(str(target), "exists; add --force to overwrite it")
    atomic_write(target, source, private=False)
    out.write(f"Exported '{args.name}' to {target}\n")
    return EXIT_OK


def _templates_delete(user: User, args: argparse.Namespace, out: TextIO) -> int:
    from composer.templates_store import delete_user_template

    target = delete_user_template(user.store(), args.name)
    out.write(visible(f"Deleted '{args.name}' ({target})\n"))
    return EXIT_OK


_TEMPLATE_ACTIONS = {
    "show": _templates_show,
    "import": _templates_import,
    "export": _templates_export,
    "delete": _templates_delete,
}
