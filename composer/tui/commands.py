"""The command palette's entries: every action of the composer, by name.

A generator of SystemCommands that ComposerApp.get_system_commands yields,
rather than a separate `Provider`: Textual's system-commands provider already
searches them, keeps them in one list with Textual's own (theme, quit, keys),
and shows the entries without `discover=False` when the palette opens; a
second provider would change that order and what opens by default.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand

from composer.drafts import describe, list_drafts
from composer.safe_text import one_line
from composer.tui.literal import literal


def _shown(text: str) -> str:
    """Text from a file for the command palette, which reads its entries as markup."""
    return literal(one_line(text))


def composer_commands(app: App) -> Iterable[SystemCommand]:
    """Sending, templates, grammar and drafts, as the composer (`app`) stands now."""
    if app.report is not None and not app.report.sendable:
        unmet = ", ".join(f.rule for f in app.report.blockers)
        yield SystemCommand(
            "Send (blocked)", f"Copy the email — blocked until: {unmet}", app.action_send
        )
    else:
        yield SystemCommand("Send", "Copy the email to the clipboard", app.action_send)
    yield from _overrule_commands(app)
    yield SystemCommand(
        "Copy body only",
        "Copy the email's body, without the subject",
        lambda: app.copy_part("body"),
    )
    yield SystemCommand(
        "Copy subject only", "Copy the subject line's text", lambda: app.copy_part("subject")
    )
    yield SystemCommand(
        "Save as .eml", "Write the email to a .eml file for your mail app", app.save_eml
    )
    yield SystemCommand(
        "Open in mail app",
        "Open a mailto: link with the email filled in",
        app.open_mail_client,
    )
    for template in app.store.listed():
        yield SystemCommand(
            _shown(f"Template: {template.name}"),
            _shown(template.description),
            lambda name=template.name: app.switch_template(name),
            discover=False,
        )
    yield from _template_commands(app)
    yield SystemCommand(
        "Phone view",
        "The email as a phone's inbox shows it: cut subject, first line, reading time",
        app.action_phone_view,
    )
    yield SystemCommand(
        "Spelling and grammar",
        "Every slip with its suggestions; pick one to apply it",
        app.action_list_slips,
    )
    if app._grammar is not None and app._grammar.checker.can_download:
        yield SystemCommand(
            "Download LanguageTool",
            "Full grammar checks on this machine (about 250 MB; asks first)",
            app._ask_download,
        )
    yield SystemCommand(
        "Save as template", "Save this email as a reusable template", app.action_save_template
    )
    yield SystemCommand(
        "New draft", "Start a fresh draft (the current one is kept)", app.action_new_draft
    )
    for saved in list_drafts(app.paths)[:20]:
        if saved.path == app.draft_path:
            continue
        yield SystemCommand(
            _shown(f"Open draft: {describe(saved)}"),
            _shown(str(saved.path)),
            lambda path=saved.path: app.open_draft(path),
            discover=False,
        )
    yield SystemCommand(
        "History",
        "The emails you sent: mark replied, copy again, what you gave and asked",
        app.action_history,
    )
    yield SystemCommand("Help", "Keys and the tips behind the checklist", app.action_help)


def _overrule_commands(app: App) -> Iterable[SystemCommand]:
    """Overrule each block, or withdraw each mark, by the rule's name."""
    yield SystemCommand(
        "Overrule the highlighted check…",
        "Mark the checklist's highlighted block as met, with a one-line reason",
        app.action_overrule,
    )
    for finding in app.report.findings if app.report is not None else ():
        if finding.accepted:
            yield SystemCommand(
                f"Withdraw overrule: {finding.title}",
                _shown(f"Met by you: {finding.accepted}. Let the rule judge it again"),
                lambda rule=finding.rule: app.overrule(rule),
            )
        elif finding.blocks:
            yield SystemCommand(
                f"Overrule: {finding.title}",
                "Mark it as met, with a one-line reason kept in your history",
                lambda rule=finding.rule: app.overrule(rule),
                discover=False,
            )


def _template_commands(app: App) -> Iterable[SystemCommand]:
    """Your templates: rename, duplicate, delete; anyone else's: copy to yours."""
    for template in app.store.listed():
        if template.origin == "yours":
            for verb, help_text in (
                ("Rename", "Give your template another name"),
                ("Duplicate", "Make a copy of your template to change"),
                ("Delete", "Delete your template file"),
            ):
                yield SystemCommand(
                    _shown(f"{verb} template: {template.name}"),
                    help_text,
                    lambda verb=verb, name=template.name: app.manage_template(verb, name),
                    discover=False,
                )
        else:
            yield SystemCommand(
                _shown(f"Copy template to yours: {template.name}"),
                _shown(
                    f"Customise a copy of this {template.origin} template (the original never changes)"
                ),
                lambda name=template.name: app.manage_template("Copy", name),
                discover=False,
            )
