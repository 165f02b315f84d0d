"""The two live panels: the email as it will be copied, and the checklist."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from composer.safe_text import one_line, visible

if TYPE_CHECKING:
    from composer.checklist import Report
    from composer.checklist.finding import Finding

MARKS = {"pass": "✓", "fail": "✗", "warn": "!", "skip": "–"}
MET_BY_YOU = "✎"
"""The mark of a block the user overruled: it passes, but on their word, not the rule's."""

SHOWN_REASON = 40
"""Characters of an overrule's reason the item shows (up to 200 are kept):
at 80 columns the item stays at two lines; the full reason is in the draft."""

PREVIEW_LIMIT = 12_000
"""Characters of the email the preview lays out. A pasted 100 KB job ad would
cost half a second of wrapping on every update; no real email is this long,
and the part past the limit is still checked and copied."""


PHONE_KEY = "f5"
"""Opens the phone view (composer/tui/phone.py)."""

PHONE_RULES = frozenset({"subject", "length"})
"""Rules whose misses a phone shows first: their checklist items point at the view."""


def on_a_phone(finding: Finding) -> str:
    """The pointer to the phone view, for a finding that has one."""
    return f" See how it looks on a phone: {PHONE_KEY}." if finding.rule in PHONE_RULES else ""


class Palette:
    """Styles for the panels, in the theme's checklist colours.

    With NO_COLOR, Textual turns colours into greys that can vanish on a dark
    background, so that palette uses only bold, underline and reverse."""

    def __init__(self, no_color: bool, variables: dict[str, str] | None = None) -> None:
        plain = no_color
        variables = variables or {}
        good = variables.get("checklist-pass") or variables.get("success") or "green"
        bad = variables.get("checklist-fail") or variables.get("error") or "red"
        warn = variables.get("checklist-warn") or variables.get("warning") or "yellow"
        self.mark = {
            "pass": "" if plain else f"bold {good}",
            "fail": "bold" if plain else f"bold {bad}",
            "warn": "bold" if plain else f"bold {warn}",
            "skip": "" if plain else "dim",
        }
        # Spans of failing rules are underlined; colour says blocking or advice.
        self.span = {
            "fail": "underline" if plain else f"underline {bad}",
            "warn": "underline" if plain else f"underline {warn}",
        }
        # Grammar slips: underlined in the advice colour even when the check
        # could only run as spelling (its finding is then "skip").
        self.slip = {
            "fail": self.span["fail"],
            "warn": self.span["warn"],
            "skip": self.span["warn"],
        }
        self.ok = "" if plain else good
        self.not_ok = "bold" if plain else bad
        self.quiet = "" if plain else "dim"


def palette_for(widget) -> Palette:
    """The panels' palette in the app's theme and colour setting."""
    app = widget.app
    return Palette(app.no_color, app.get_css_variables())


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

    def on_mount(self) -> None:
        self.restyle()

    def restyle(self) -> None:
        """Take the current theme's colours."""
        self._palette = palette_for(self)
        self._paint()

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
            target.update(Text(visible(self._error), style="bold red"))
            return
        if self._report is None:
            target.update("")
            return
        full = self._report.text
        shown = full[:PREVIEW_LIMIT]
        # One visible character for each control one: the spans still line up.
        text = Text(visible(shown))
        for finding in self._report.findings:
            styles = self._palette.slip if finding.rule == "grammar" else self._palette.span
            style = styles.get(finding.status)
            if not style:
                continue
            if finding.rule == self._focus_rule:
                style += " reverse"
            for span in finding.spans:
                if span.start < len(shown):
                    text.stylize(style, span.start, min(span.end, len(shown)))
        if len(full) > len(shown):
            rest = len(full) - len(shown)
            text.append(
                f"\n\n… and {rest:,} more characters, not shown here: the whole email "
                "is checked, and is what ctrl+j copies.",
                style="bold",
            )
        target.update(text)


FORMULA_PARTS = (
    ("for me", ("point",)),
    ("for them", ("wiift", "giver")),
    ("trust", ("research",)),
)
"""The blog's (what's in it for me + what's in it for them) × trust, and the tips behind each part."""


def formula(report: Report, palette: Palette) -> Text:
    """The blog's formula, each part ticked as its tips pass."""
    status = {f.rule: f.status for f in report.findings}
    text = Text("(")
    met = 0
    for index, (label, rules) in enumerate(FORMULA_PARTS):
        ok = all(status.get(r) == "pass" for r in rules)
        met += ok
        text.append(f"{'✓' if ok else '✗'} {label}", style=palette.ok if ok else palette.not_ok)
        text.append(" + " if index == 0 else (") × " if index == 1 else ""))
    text.append(" = relationship", style="bold" if met == len(FORMULA_PARTS) else palette.quiet)
    return text


class ChecklistPanel(Vertical):
    """Every rule with its state, the tip it enforces, and what to do next."""

    BINDINGS = [
        Binding(
            "o",
            "app.overrule",
            "Overrule",
            id="overrule",
            tooltip="Overrule the highlighted item's block with a one-line reason, or withdraw it",
        )
    ]

    def __init__(self) -> None:
        super().__init__(id="checklist")
        self.border_title = "Checklist"
        self._findings: dict[str, Finding] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="formula")
        yield OptionList(id="rules")

    def on_mount(self) -> None:
        self.restyle()

    def restyle(self) -> None:
        """Take the current theme's colours (the next show() repaints)."""
        self._palette = palette_for(self)

    def show(self, report: Report) -> None:
        """Repaint for a new report, keeping the highlighted rule where it was."""
        self.query_one("#formula", Static).update(formula(report, self._palette))
        rules = self.query_one("#rules", OptionList)
        self._findings = {f.rule: f for f in report.findings}
        blockers = len(report.blockers)
        if not report.sendable:
            self.border_subtitle = f"{blockers} to fix"
        else:
            # ctrl+j asks who it is from first (send.py): "ready to send" would be a promise broken.
            self.border_subtitle = "ready to send" if report.signed else "ready, but unsigned"
        if rules.option_count != len(report.findings):
            rules.set_options(Option(self._prompt(f), id=f.rule) for f in report.findings)
            return
        for finding in report.findings:
            rules.replace_option_prompt(finding.rule, self._prompt(finding))

    @on(OptionList.OptionHighlighted, "#rules")
    def _name_highlighted_rule(self, event: OptionList.OptionHighlighted) -> None:
        # The id (for `check --accept` and the docs) is not worth a line per
        # item: the highlighted item's is in the tooltip, and F1 lists them all.
        finding = self._findings.get(event.option.id or "")
        if finding is not None:
            tip = f"{finding.title} ({finding.rule}): {finding.tip}"
            event.option_list.tooltip = Text(visible(tip))

    def _prompt(self, finding) -> Text:
        """One line per met rule; the ones to act on also say what to do."""
        palette = self._palette
        prompt = Text()
        if finding.accepted:
            prompt.append(f"{MET_BY_YOU} ", style=palette.mark["warn"])
        else:
            prompt.append(f"{MARKS[finding.status]} ", style=palette.mark[finding.status])
        prompt.append(finding.title, style="bold" if finding.status == "fail" else "")
        if finding.accepted:
            reason = finding.accepted
            if len(reason) > SHOWN_REASON:
                reason = reason[: SHOWN_REASON - 1].rstrip() + "…"
            prompt.append(f"\n  met by you: {one_line(reason)}")
        # The grammar item always says what checked the text, or why nothing could.
        elif finding.status in ("fail", "warn") or finding.rule == "grammar":
            prompt.append(f"\n  {visible(finding.message)}{on_a_phone(finding)}")
        return prompt
