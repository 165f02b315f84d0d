"""Templates in the composer: saving the email as a template, switching the
template in use, and copying, renaming, duplicating or deleting your own.

A mixin on ComposerApp rather than a screen: the flows start from key
bindings and palette commands (the palette's entries are in commands.py)
and end by changing the form's template list, which the app composes.
"""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Select

from composer.model import Draft
from composer.templates_store import RECIPIENT_KEYS, TemplateError, with_defaults
from composer.tui.form import GuidedForm
from composer.tui.literal import literal
from composer.tui.screens import AskScreen, SaveTemplateScreen


class TemplateFlows:
    """Save, switch and manage templates from the composer."""

    def action_save_template(self) -> None:
        """Save the email as a template: its parts become {{ fields }} again."""
        if not self._email_is_current(self.action_save_template):
            return
        if self.email is None:
            self.notify("Fix the template error first (see the preview).", severity="error")
            return
        fields = [
            ("How you know them (context)", "context"),
            ("Your gift (offer)", "offer"),
            ("What's in it for them (wiift)", "wiift"),
            ("Subject", "subject"),
            ("The recipient (name, email, company, role)", "recipient"),
            ("Your research", "research"),
            ("The point", "point"),
        ]
        self.push_screen(SaveTemplateScreen(fields), self._save_template)

    def _save_template(self, answer: tuple[str, str, set[str]] | None) -> None:
        from composer.checklist import run_checklist
        from composer.model import InputError
        from composer.render import Renderer
        from composer.template_saving import store_user_template
        from composer.templates_store import template_from_email

        if answer is None or self.email is None:
            return
        name, description, keep = answer
        if "recipient" in keep:
            keep |= {f"recipient.{key}" for key in RECIPIENT_KEYS}
        draft = self.draft
        values = {
            field: getattr(draft, field)
            for field in ("subject", "context", "research", "point", "wiift", "offer")
        }
        values |= {f"recipient.{key}": getattr(draft.recipient, key) for key in RECIPIENT_KEYS}
        values["recipient.first_name"] = draft.recipient.first_name
        values |= {
            f"sender.{key}": getattr(draft.sender, key)
            for key in ("name", "role", "company", "bio")
        }
        template = template_from_email(
            name, description, self.email.subject, self.email.body, values, keep
        )
        try:
            target, stored = store_user_template(self.store, self.paths.templates, template)
        except (InputError, TemplateError) as exc:
            self.notify(literal(f"Not saved: {exc}"), severity="error")
            return
        except OSError as exc:
            self.notify(literal(f"Not saved: {exc.strerror or exc}"), severity="error")
            return
        # What every email from it says: its fixed text and the defaults it starts with.
        fixed = Renderer(self.store).render(with_defaults(Draft(), stored)[0], name)
        self.query_one(GuidedForm).add_template(self.store.get(name))
        # What the template's own words trip, whoever it is sent to.
        report = run_checklist(fixed.text, overrides=self.config.rules)
        tripped = [f for f in report.findings if f.family == "anti-patterns" and f.status == "fail"]
        if tripped:
            details = "; ".join(f"{f.rule}: {f.message}" for f in tripped)
            self.notify(
                literal(f"Saved to {target}, but its fixed text trips {details}"),
                severity="warning",
                timeout=12,
            )
        else:
            self.notify(
                literal(f"Saved to {target}. Pick it in the template list next time."),
                title="Template saved",
            )

    def manage_template(self, verb: str, name: str) -> None:
        """Copy, duplicate, rename or delete a template; only your own files change."""
        from composer.model import InputError
        from composer.template_saving import store_user_template
        from composer.templates_store import delete_user_template

        form = self.query_one(GuidedForm)
        if verb == "Delete":
            try:
                path = delete_user_template(self.store, name)
            except (InputError, OSError) as exc:
                self.notify(literal(f"Not deleted: {exc}"), severity="error")
                return
            form.remove_template(name)
            self.notify(literal(f"Deleted {path}"))
            return

        def answered(new_name: str | None) -> None:
            if not new_name:
                return
            try:
                store_user_template(
                    self.store, self.paths.templates, replace(self.store.get(name), name=new_name)
                )
                if verb == "Rename":
                    delete_user_template(self.store, name)
            except (InputError, TemplateError, OSError) as exc:
                self.notify(literal(f"Not saved: {exc}"), severity="error")
                return
            form.add_template(self.store.get(new_name))
            if verb == "Rename":
                form.remove_template(name)
            self.notify(
                literal(f"{verb}: {new_name} is in your templates ({self.paths.templates}).")
            )

        default = f"{name}-copy" if verb != "Rename" else name
        self.push_screen(AskScreen(f"{verb} template '{name}' as:", default, action=verb), answered)

    def switch_template(self, name: str) -> None:
        self.query_one("#template", Select).value = name
