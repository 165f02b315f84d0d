"""Modal screens: help, the first-run profile, saving a template, and asking for one line."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from composer.safe_text import strip_controls, visible
from composer.tui.literal import literal


def help_markdown(keys: list[tuple[str, str]]) -> str:
    """The help text: the keys, then each tip with the blog's own words."""
    from composer.checklist.data import load_rules

    lines = ["# Outreach Composer", "", "## Keys", "", "| key | does |", "|---|---|"]
    lines += [f"| `{key}` | {what} |" for key, what in keys]
    lines += [
        "",
        "## The formula",
        "",
        "**(what's in it for me + what's in it for them) × (trust through knowing you) = relationship**",
        "",
        "## The checklist",
        "",
        "Tips and anti-patterns block sending until they pass; writing rules only advise.",
        "",
    ]
    for rule, spec in load_rules().items():
        blocking = "blocks sending" if spec["severity"] == "block" else "advice"
        lines += [f"### {spec['title']} (`{rule}`, {blocking})", "", f"> {spec['tip']}", ""]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """F1: the keys and the tips, with the blog's rationale."""

    BINDINGS = [
        Binding("escape,f1,q", "dismiss", "Close", id="help.close", tooltip="Close the help"),
    ]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        # Markdown (markdown-it) costs ~20 ms to import: only when help is opened.
        from textual.widgets import Markdown

        with VerticalScroll(id="help-body") as body:
            # On the frame, not in the text: it stays in sight while the help scrolls.
            body.border_title = "Help"
            body.border_subtitle = "Escape, F1 or q closes the help"
            yield Markdown(help_markdown(self._keys))

    def action_dismiss(self) -> None:
        self.dismiss()


class AskScreen(ModalScreen[str | None]):
    """Ask for one line (a file path, a new name), prefilled with a sensible default.

    With `check`, an answer it refuses (ValueError) is said in a notification
    and the dialog stays open with the text as typed; it dismisses with what
    `check` returns."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel", tooltip="Leave it as it is")]

    def __init__(
        self,
        title: str,
        default: str,
        action: str = "Save",
        check: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._default = default
        self._action = action
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="path-dialog"):
            yield Label(visible(self._title), markup=False)
            yield Input(strip_controls(self._default), id="path")
            with Horizontal(id="path-buttons"):
                yield Button(self._action, variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _answer(self) -> None:
        value = self.query_one("#path", Input).value
        if self._check is None:
            self.dismiss(value.strip() or None)
            return
        try:
            self.dismiss(self._check(value))
        except ValueError as exc:
            self.app.notify(literal(str(exc)), title="Not yet", severity="error")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SaveTemplateScreen(ModalScreen[tuple[str, str, set[str]] | None]):
    """Name the template, and choose which of this email's parts it keeps as defaults.

    The parts about one person (the recipient, the research, the point) start
    unticked: a template kept with them writes to the next person about the first.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="template.cancel", tooltip="Do not save")]

    TICKED = frozenset({"context", "offer"})
    """The parts kept unless unticked: they are about you, so they fit everyone."""

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        super().__init__()
        self._fields = fields

    def compose(self) -> ComposeResult:
        from composer.tui.ticklist import TickList

        with Vertical(id="template-dialog") as dialog:
            # On the frame, so that at 80x24 every part and both buttons fit below it.
            dialog.border_title = "Save this email as a template"
            yield Input(placeholder="name, e.g. conference-follow-up", id="template-name")
            yield Input(placeholder="what it is for (one line)", id="template-description")
            yield Static("Keep these parts as the template's defaults (space to tick):")
            yield Static(
                "[dim]Research and the point are about one person: tick only if they fit all.[/]",
                id="template-why",
            )
            yield TickList(
                *((label, value, value in self.TICKED) for label, value in self._fields),
                id="template-keep",
            )
            with Horizontal(id="path-buttons"):
                yield Button("Save", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#ok")
    @on(Input.Submitted)
    def _save(self) -> None:
        from composer.tui.ticklist import TickList

        name = self.query_one("#template-name", Input).value.strip()
        description = self.query_one("#template-description", Input).value.strip()
        keep = set(self.query_one("#template-keep", TickList).selected)
        self.dismiss((name, description, keep))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ProfileScreen(ModalScreen[dict[str, str] | None]):
    """Who you are, for the signature and the "trust" part: asked on the first
    run, and by the send gate when an email would go out saying no one's name.

    Enter moves to the next field, so a name is not saved half-typed; the last
    field's Enter (or Save) saves, and escape skips.
    """

    BINDINGS = [
        Binding(
            "escape", "skip", "Skip", id="profile.skip", tooltip="Set it up later in config.toml"
        ),
        # Priority, so focus moves as the Enter arrives: an Input's own Enter
        # acts only after the keys behind it in a fast burst (a text expander)
        # were handed to the field it leaves.
        Binding(
            "enter",
            "next_or_save",
            "Next",
            id="profile.next",
            show=False,
            priority=True,
            tooltip="The next field; in the last one, save",
        ),
    ]

    FIELDS = (
        ("name", "Your name", "e.g. Sam Ortiz"),
        ("role", "Your role", "e.g. Senior Recruiter"),
        ("company", "Company", "e.g. Northwind"),
        ("bio", "About you", "one line, e.g. I run sourcing at Northwind"),
    )
    WELCOME = "Welcome. Who are you? Your name signs every email."

    def __init__(self, reason: str = "", values: dict[str, str] | None = None) -> None:
        """`reason` replaces the welcome (why it is asked now); `values` fill the fields."""
        super().__init__()
        self._reason = reason
        self._values = values or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-dialog"):
            yield Label(
                self._reason or self.WELCOME,
                id="profile-welcome",
                classes="warning" if self._reason else "",
                markup=False,
            )
            yield Label(
                "Change it any time: outreach config edit. Escape skips.",
                id="profile-hint",
                markup=False,
            )
            for key, label, example in self.FIELDS:
                field = Input(
                    strip_controls(self._values.get(key, "")),
                    placeholder=example,
                    id=f"profile-{key}",
                    # Enter into a filled field must not arm "type to replace it all".
                    select_on_focus=False,
                )
                field.compact = True
                yield Horizontal(Label(label, classes="field-label"), field, classes="row")
            with Horizontal(id="path-buttons"):
                yield Button("Save", variant="primary", id="ok")
                yield Button("Skip", id="skip")

    def action_next_or_save(self) -> None:
        """Enter in a field moves to the next one; in the last field it saves."""
        ids = [f"profile-{key}" for key, *_ in self.FIELDS]
        focused = self.focused
        if focused is None or focused.id not in ids:
            raise SkipAction()  # a button's own Enter presses it
        index = ids.index(focused.id)
        if index == len(ids) - 1:
            self._save_once_typed()
        else:
            # set_focus, not focus(): focus() waits its turn behind the keys
            # already queued, which would then land in this field.
            self.set_focus(self.query_one(f"#{ids[index + 1]}", Input))

    def _save_once_typed(self) -> None:
        """Save after every field has taken the keys already sent to it: in a
        fast burst this Enter runs ahead of them, and each field takes its keys
        in its own turn. A callback queued on a field runs after its keys."""
        fields = [self.query_one(f"#profile-{key}", Input) for key, *_ in self.FIELDS]

        def after(index: int) -> None:
            if index == len(fields):
                self._save()
            else:
                fields[index].call_later(after, index + 1)

        after(0)

    @on(Button.Pressed, "#ok")
    def _save(self) -> None:
        self.dismiss(
            {key: self.query_one(f"#profile-{key}", Input).value.strip() for key, *_ in self.FIELDS}
        )

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; escape is no. "No" has the focus: the question may
    open while someone is typing, and an Enter meant for a field must not say yes."""

    AUTO_FOCUS = "#no"
    BINDINGS = [Binding("escape", "no", "No", id="confirm.no", tooltip="No")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self._question, self._yes, self._no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="path-dialog"):
            yield Static(visible(self._question), markup=False)
            with Horizontal(id="path-buttons"):
                yield Button(self._yes, variant="primary", id="yes")
                yield Button(self._no, id="no")

    @on(Button.Pressed, "#yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)


class SlipsScreen(ModalScreen[tuple[int, str] | None]):
    """Every spelling and grammar slip with its suggestions; Enter applies one.

    Dismisses with (slip index, replacement), (slip index, "word:<word>") to
    add a word to the user's list, or None.
    """

    BINDINGS = [Binding("escape", "cancel", "Close", id="slips.close", tooltip="Change nothing")]

    def __init__(self, rows: list[tuple[str, object, str, bool]]) -> None:
        """`rows`: (the slip's words, the Slip, where it is, whether a fix can go there)."""
        super().__init__()
        self._rows = rows

    def compose(self) -> ComposeResult:
        from rich.text import Text

        options = []
        for index, (words, slip, where, fixable) in enumerate(self._rows):
            # Text, not markup: a suggestion may well contain "[" or "[/]".
            # Shown, never obeyed: the words come from the email, the rest from a grammar server.
            head = Text.assemble(
                (f"“{visible(words)}”", "bold"),
                f"  {visible(slip.message)}  ",
                (visible(where), "dim"),
            )
            options.append(Option(head, disabled=True))
            if fixable:
                options += [
                    Option(Text(f"   → {visible(replacement)}"), id=f"{index}\x1f{replacement}")
                    for replacement in slip.replacements[:4]
                ]
            if slip.spelling and " " not in words.strip():
                options.append(
                    Option(
                        Text(f"   add “{visible(words)}” to my words"),
                        id=f"{index}\x1fword:{words}",
                    )
                )
        with Vertical(id="slips-dialog"):
            yield Label("Spelling and grammar: Enter applies, escape closes")
            yield OptionList(*options, id="slips")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        index, action = (event.option.id or "").split("\x1f", 1)
        self.dismiss((int(index), action))

    def action_cancel(self) -> None:
        self.dismiss(None)
