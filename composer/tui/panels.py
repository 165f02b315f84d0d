"""The two live panels: the email as it will be copied, and the checklist."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from composer.checklist import Report

MARKS = {"pass": "✓", "fail": "✗", "warn": "!", "skip": "–"}
_MARK_STYLES = {"pass": "bold green", "fail": "bold red", "warn": "bold yellow", "skip": "dim"}
# Spans of failing rules are underlined in the preview; colour says blocking
# (red) or advisory (yellow), and the underline alone still reads without colour.
_SPAN_STYLES = {"fail": "underline red", "warn": "underline yellow"}


class EmailPreview(VerticalScroll):
    """The email exactly as it will be copied, with the words that trip rules marked."""

    def __init__(self) -> None:
        super().__init__(id="preview")
        self.border_title = "Email"
        self._report: Report | None = None
        self._error = ""
        self._focus_rule: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="preview-text")

    def show(self, report: Report | None, error: str = "") -> None:
        """Show a freshly checked email, or the template error that stopped it."""
        self._report, self._error = report, error
        self._paint()

    def focus_rule(self, rule: str | None) -> None:
        """Emphasise one rule's spans (the checklist's highlighted item)."""
        if rule != self._focus_rule:
            self._focus_rule = rule
            self._paint()

    def _paint(self) -> None:
        target = self.query_one("#preview-text", Static)
        if self._error:
            target.update(Text(self._error, style="bold red"))
            return
        if self._report is None:
            target.update("")
            return
        text = Text(self._report.text)
        for finding in self._report.findings:
            style = _SPAN_STYLES.get(finding.status)
            if not style:
                continue
            if finding.rule == self._focus_rule:
                style += " reverse"
            for span in finding.spans:
                text.stylize(style, span.start, span.end)
        target.update(text)


FORMULA_PARTS = (
    ("for me", ("point",)),
    ("for them", ("wiift", "giver")),
    ("trust", ("research",)),
)
"""The blog's (what's in it for me + what's in it for them) × trust, and the tips behind each part."""


def formula(report: Report) -> Text:
    """The blog's formula, each part ticked as its tips pass."""
    status = {f.rule: f.status for f in report.findings}
    text = Text("(")
    met = 0
    for index, (label, rules) in enumerate(FORMULA_PARTS):
        ok = all(status.get(r) == "pass" for r in rules)
        met += ok
        text.append(f"{'✓' if ok else '✗'} {label}", style="green" if ok else "red")
        text.append(" + " if index == 0 else (") × " if index == 1 else ""))
    text.append(" = relationship", style="bold" if met == len(FORMULA_PARTS) else "dim")
    return text


class ChecklistPanel(Vertical):
    """Every rule with its state, the tip it enforces, and what to do next."""

    def __init__(self) -> None:
        super().__init__(id="checklist")
        self.border_title = "Checklist"

    def compose(self) -> ComposeResult:
        yield Static("", id="formula")
        yield OptionList(id="rules")

    def show(self, report: Report) -> None:
        """Repaint for a new report, keeping the highlighted rule where it was."""
        self.query_one("#formula", Static).update(formula(report))
        rules = self.query_one("#rules", OptionList)
        blockers = len(report.blockers)
        self.border_subtitle = "ready to send" if report.sendable else f"{blockers} to fix"
        if rules.option_count != len(report.findings):
            rules.set_options(Option(self._prompt(f), id=f.rule) for f in report.findings)
            return
        for finding in report.findings:
            rules.replace_option_prompt(finding.rule, self._prompt(finding))

    @staticmethod
    def _prompt(finding) -> Text:
        prompt = Text()
        prompt.append(f"{MARKS[finding.status]} ", style=_MARK_STYLES[finding.status])
        prompt.append(finding.title, style="bold" if finding.status == "fail" else "")
        prompt.append(f"  {finding.rule}", style="dim")
        prompt.append(f"\n  {finding.message}", style="" if finding.status != "pass" else "dim")
        return prompt
