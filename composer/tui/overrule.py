"""Overruling a wrong block in the composer: `o` on a checklist item (or the
palette) marks a blocking tip or anti-pattern as met with a one-line reason,
asks before withdrawing such a mark, and drops a mark the text no longer needs.

A mixin on ComposerApp rather than a widget: the marks live in the draft
(`draft.accepted`, saved with it), they take effect through the app's
checklist run, and the palette and the checklist's key both call `overrule`.
The rules for what may be overruled are the core's (composer.checklist).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import OptionList

from composer.tui.literal import literal
from composer.tui.screens import AskScreen, ConfirmScreen

if TYPE_CHECKING:
    from composer.checklist import Finding, Report


def flagged_words(finding: Finding, text: str) -> str:
    """The words the rule objected to: what a mark vouches for."""
    return "\n".join(text[span.start : span.end] for span in finding.spans)


class Overrules:
    """The user's word over a rule's, on the record."""

    def init_overrules(self) -> None:
        self._vouched: dict[tuple[str, str], str] = {}
        """(draft file, rule) -> the words a mark was given for: a mark vouches
        for those words, not for whatever replaces them."""

    def action_overrule(self) -> None:
        """`o` on a checklist item: overrule its block, or withdraw the mark on it."""
        option = self.query_one("#rules", OptionList).highlighted_option
        if option is None or option.id is None:
            self.notify("Highlight a checklist item first (f2 goes to the checklist).")
            return
        self.overrule(option.id)

    def overrule(self, rule: str) -> None:
        """Ask for the reason `rule` is met after all, or say why it cannot be overruled."""
        from composer.checklist import check_overrulable, overrule_reason

        if not self._email_is_current(lambda: self.overrule(rule)):
            return
        if self.report is None:
            self.notify("Nothing to overrule: the template has an error (see the preview).")
            return
        finding = self.report.finding(rule)
        if finding.accepted:
            self._ask_withdraw(finding)
            return
        if finding.status == "pass":
            self.notify(
                f"“{literal(finding.title)}” is met already: there is no block to overrule."
            )
            return
        try:
            check_overrulable(rule)
        except ValueError as exc:
            self.notify(literal(f"Not overruled: {exc}."), severity="warning")
            return
        if not finding.blocks:
            self.notify(f"“{literal(finding.title)}” only advises here: it does not block sending.")
            return
        self.push_screen(
            # One line at 80 columns: the dialog's label does not wrap.
            AskScreen(
                f"Why is “{finding.title}” met after all? (one line)",
                "",
                action="Overrule",
                check=lambda reason: overrule_reason(rule, reason),
            ),
            lambda reason: self._mark(finding, reason),
        )

    def _mark(self, finding: Finding, reason: str | None) -> None:
        if reason is None:
            return
        self.draft.accepted = {**self.draft.accepted, finding.rule: reason}
        self._vouched[(str(self.draft_path), finding.rule)] = flagged_words(
            finding, self.report.text
        )
        self.refresh_panels()  # judged with the mark at once, and autosaved with the draft
        self.notify(
            f"“{literal(finding.title)}” is met by you; your reason goes with the email into your history.",
            title="Overruled",
        )

    def _ask_withdraw(self, finding: Finding) -> None:
        def answered(withdraw: bool | None) -> None:
            if withdraw:
                self.draft.accepted = {
                    rule: reason
                    for rule, reason in self.draft.accepted.items()
                    if rule != finding.rule
                }
                self.refresh_panels()

        self.push_screen(
            ConfirmScreen(
                f"Withdraw your mark on “{finding.title}” ({finding.accepted})? "
                "The rule judges the email again.",
                yes="Withdraw",
                no="Keep it",
            ),
            answered,
        )

    def drop_lapsed_marks(self, report: Report) -> None:
        """A mark on a rule that now passes by itself is dropped from the draft,
        so a later failure of that rule asks again instead of passing unseen;
        so is a mark whose flagged words were rewritten: the user vouched for
        the old ones. (A draft's marks vouch for the words it opens with.)"""
        lapsed = [
            f
            for f in report.findings
            if f.rule in self.draft.accepted and f.status == "pass" and not f.accepted
        ]
        changed = [f for f in report.findings if f.accepted and self._rewritten(f, report.text)]
        if lapsed:
            titles = ", ".join(f"“{f.title}”" for f in lapsed)
            verb = "is" if len(lapsed) == 1 else "are"
            self.notify(literal(f"{titles} {verb} met by the email now: your mark is dropped."))
        if changed:
            titles = ", ".join(f"“{f.title}”" for f in changed)
            self.notify(
                literal(
                    f"You changed the words your mark on {titles} vouched for: "
                    "the rule judges them again (o to overrule again)."
                ),
                title="Mark dropped",
            )
        gone = {f.rule for f in (*lapsed, *changed)}
        if not gone:
            return
        self.draft.accepted = {r: why for r, why in self.draft.accepted.items() if r not in gone}
        if changed:
            self.refresh_panels()  # the rule's own verdict is back: the gate may close
        if self.unsent:
            self._autosave()

    def _rewritten(self, finding: Finding, text: str) -> bool:
        key = (str(self.draft_path), finding.rule)
        words = flagged_words(finding, text)
        vouched = self._vouched.setdefault(key, words)
        return words != vouched
