"""`outreach` alone: open the composer on a draft, the last unsent one, or a
new one. The only module of the CLI that imports the UI (and so Textual)."""

from __future__ import annotations

import argparse
from typing import TextIO

from composer.cli.common import EXIT_OK
from composer.model import InputError, TemplateError
from composer.safe_text import visible


def run_compose(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """`outreach` alone: the composer (the only command that imports Textual).

    With --draft it opens that file (which is never written to); otherwise the
    last composition that was never sent comes back.
    """
    from dataclasses import replace
    from pathlib import Path

    from composer.config import load_config
    from composer.drafts import clean_drafts_folder, latest_unsent, load_draft, lock_draft
    from composer.model import Draft
    from composer.storage import resolve_paths
    from composer.templates_store import Template, template_for, user_store

    paths = resolve_paths(args.home)
    config, notices = load_config(paths)
    draft, draft_lock, restored = Draft(), None, False
    clean_drafts_folder(paths)
    if args.draft:
        if not args.draft.endswith(".toml"):
            raise InputError(
                args.draft,
                "a draft is a .toml file (see docs/drafts.md); to judge an email, use `outreach check`",
            )
        draft = load_draft(Path(args.draft))
    elif (latest := latest_unsent(paths)) is not None:
        # A broken file is reported and left alone; the composer opens empty.
        try:
            draft, restored = load_draft(latest.path), True
        except InputError as exc:
            notices.append(f"Could not reopen your last draft: {exc}")
        if restored and (draft_lock := lock_draft(latest.path)) is None:
            draft, restored = Draft(), False
            notices.append(
                f"Your last draft ({latest.path.name}) is open in another composer; "
                "this is a new draft."
            )
    base = Path(args.draft).parent if args.draft else None
    if args.template:
        chosen = template_for(args.template)
    else:
        # The draft's own template may be gone (deleted, a team folder dropped):
        # the draft still opens, with the default template and a notice.
        try:
            chosen = template_for(draft.template, base)
        except (InputError, TemplateError) as exc:
            notices.append(f"{exc}; the draft opens with the default template.")
            chosen = None
            draft = replace(draft, template="")
    store = user_store(
        paths, config.template_dirs, extra=[chosen] if isinstance(chosen, Template) else []
    )
    notices += store.problems
    name = chosen.name if isinstance(chosen, Template) else chosen
    if name and args.template:
        store.get(name)  # an unknown --template exits 2 before the screen opens
    from composer.tui.app import ComposerApp

    app = ComposerApp(
        draft,
        paths,
        template=name,
        store=store,
        draft_lock=draft_lock,
        restored=restored,
        notices=notices,
        config=config,
        first_run=not args.draft and not restored and not paths.config_file.exists(),
    )
    farewell = app.run()
    if farewell:
        out.write(visible(f"{farewell}\n"))
    return EXIT_OK
