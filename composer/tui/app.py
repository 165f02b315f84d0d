"""The composer: a guided form, a live preview and a live checklist that gates
sending to the clipboard.

ComposerApp composes the screen, binds the keys and wires messages to the
rooms it is built from, one module per concern, each a mixin named for it:
live.py (render and checklist), grammar.py, send.py, templates.py, drafts.py,
profile.py, themes.py, overrule.py; commands.py lists the palette's entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, OptionList

from composer.config import Config
from composer.drafts import DraftLock, claim_new_draft
from composer.model import Draft, Recipient
from composer.safe_text import strip_controls, visible
from composer.senders import read_history
from composer.storage import Paths
from composer.templates_store import DEFAULT_TEMPLATE, TemplateStore
from composer.tui.commands import composer_commands
from composer.tui.contacts import ContactSuggestions, NameInput
from composer.tui.drafts import DraftKeeping
from composer.tui.form import GuidedForm
from composer.tui.grammar import GrammarChecks
from composer.tui.literal import literal
from composer.tui.live import LiveUpdate
from composer.tui.overrule import Overrules
from composer.tui.panels import PHONE_KEY, ChecklistPanel, EmailPreview
from composer.tui.phone import PhonePreview
from composer.tui.profile import FirstRun
from composer.tui.screens import HelpScreen
from composer.tui.send import SendGate
from composer.tui.steps import FIELD_IDS, RULE_FIELDS
from composer.tui.templates import TemplateFlows
from composer.tui.themes import ThemeChoice

if TYPE_CHECKING:
    from composer.render import Renderer

DEBOUNCE_SECONDS = 0.075
"""The debounce timer's period: panels update 75–150 ms after the last key."""

GRAMMAR_PAUSE = 0.7
"""Seconds without typing before grammar is checked: LanguageTool is slow, so
it waits for a real pause, and never holds up the checklist."""

WIDE_COLUMNS = 120
"""From this width the form, preview and checklist stand side by side."""


def _start_template_worker() -> None:
    from composer.render_worker import start_worker

    start_worker()


class ComposerApp(
    LiveUpdate,
    GrammarChecks,
    SendGate,
    Overrules,
    ContactSuggestions,
    TemplateFlows,
    DraftKeeping,
    FirstRun,
    ThemeChoice,
    PhonePreview,
    App[str | None],
):
    """Write the email step by step; send it only when every tip is met.

    The app's return value is a message for the terminal after it closes
    (e.g. where an unsent draft was saved), or None.
    """

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "Outreach Composer"
    BINDINGS = [
        Binding(
            "ctrl+j",
            "send",
            "Send",
            id="send",
            priority=True,
            tooltip="Copy the email to the clipboard — only when every tip is met",
        ),
        Binding("f1", "help", "Help", id="help", tooltip="Keys and the tips behind the checklist"),
        # Priority, so focus moves as the Tab arrives. Screen's own Tab acts
        # once the key has been to the focused field and back, and by then the
        # keys behind it in a fast burst (a paste tool, a text expander) have
        # been handed to the field it leaves.
        Binding(
            "tab",
            "focus_next",
            "Next",
            id="focus-next",
            show=False,
            priority=True,
            tooltip="Next field",
        ),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous",
            id="focus-previous",
            show=False,
            priority=True,
            tooltip="Previous field",
        ),
        Binding(
            "f2",
            "focus_checklist",
            "Checks",
            id="focus-checklist",
            tooltip="Go to the checklist",
        ),
        # Kept out of the footer so the main keys fit 80 columns; F1 and the palette list it.
        Binding(
            "f3",
            "focus_form",
            "Form",
            id="focus-form",
            tooltip="Back to the field you left",
            show=False,
        ),
        Binding(
            "f4",
            "fix_slip",
            "Fix",
            id="fix-slip",
            tooltip="Fix the spelling or grammar slip nearest the cursor with its first suggestion",
        ),
        # Out of the footer for room, like f3; the subject and length items name it.
        Binding(
            PHONE_KEY,
            "phone_view",
            "Phone",
            id="phone-view",
            tooltip="The email as a phone's inbox shows it, with its reading time; "
            f"{PHONE_KEY} or esc goes back",
            show=False,
        ),
        Binding(
            "f6",
            "history",
            "History",
            id="history",
            tooltip="The emails you sent: replies, overrules, what you gave and asked",
            show=False,
            # A multi-line field's own f6 selects the line: history must win there too.
            priority=True,
        ),
        Binding(
            "ctrl+t",
            "save_template",
            "Template",
            id="save-template",
            tooltip="Save this email as a reusable template",
        ),
        Binding(
            "ctrl+n",
            "new_draft",
            "New",
            id="new-draft",
            tooltip="Start a fresh draft; the current one stays in the drafts list",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="quit",
            priority=True,
            tooltip="Quit; your draft is saved and comes back next time",
        ),
    ]

    def __init__(
        self,
        draft: Draft,
        paths: Paths,
        template: str | None = None,
        store: TemplateStore | None = None,
        draft_lock: DraftLock | None = None,
        restored: bool = False,
        notices: list[str] | None = None,
        config: Config | None = None,
        first_run: bool = False,
    ) -> None:
        super().__init__()
        self.paths = paths
        self._restored = restored
        self._notices = notices or []
        self.config = config or Config()
        self._first_run = first_run
        if not any((draft.sender.name, draft.sender.role, draft.sender.company)):
            # Your profile signs every draft that does not say who it is from.
            draft.sender = replace(self.config.profile)
        self.store = store or TemplateStore()
        self.draft = draft
        names = [t.name for t in self.store.listed()]
        chosen = template or draft.template or DEFAULT_TEMPLATE
        self.template = chosen if chosen in names else DEFAULT_TEMPLATE
        self._unknown_template = None if chosen in names else chosen
        self.init_drafts(draft_lock or claim_new_draft(paths))
        self.init_live_update()
        self.init_grammar()
        self.init_send_gate()
        self.init_contact_suggestions()
        self.init_overrules()
        self._last_field = "recipient-name"
        """The form field that had the focus last: where f3 goes back to."""
        self._early_keys: list[events.Key] | None = []
        """Keys typed before the whole form is built, held for its fields."""

    async def on_event(self, event: events.Event) -> None:
        # Keys typed as the app starts arrive before any widget has the focus,
        # and Textual drops them; and a Tab among them must find the field it
        # goes to, which the form builds after the first frame. So they wait.
        early = self._early_keys is not None and isinstance(event, events.Key)
        if early and not event.is_forwarded:
            self._early_keys.append(event)
            return
        await super().on_event(event)

    @on(GuidedForm.Built)
    def _replay_early_keys(self) -> None:
        keys, self._early_keys = self._early_keys or [], None
        for key in keys:
            self.post_message(events.Key(key.key, key.character))

    def notify(self, message: str, *, title: str = "", **options) -> None:
        """A message is markup, as Textual's own ("Press [b]ctrl+q[/b]") are:
        the composer's callers pass a user's or a file's text through `literal`.
        A control character is shown, not obeyed, whoever forgot."""
        super().notify(visible(message), title=visible(title), **options)

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52 carries plain text only: whatever asks, no control character
        reaches the clipboard (a pasted ESC could drive the next terminal)."""
        super().copy_to_clipboard(strip_controls(text))

    # ----- layout -----

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield GuidedForm(self.draft, self.store.listed(), self.template)
            with Vertical(id="side"):
                with Horizontal(id="panels"):
                    yield EmailPreview()
                    yield ChecklistPanel()
                yield Button("Send  ctrl+j", id="send", variant="success", disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        # One repeating timer for the app's life, paused while idle: each edit
        # restarts its period, so the work runs once typing pauses.
        self._load_themes()
        self._refresh_timer = self.set_interval(
            DEBOUNCE_SECONDS, lambda: self.refresh_panels(background=True), pause=True
        )
        self._grammar_timer = self.set_interval(GRAMMAR_PAUSE, self.check_grammar, pause=True)
        self.query_one("#recipient-name").focus()
        # The draft as loaded, before any key is handled: keys typed before the
        # first check (which runs a frame later) are edits, to be autosaved.
        self._persisted = self.query_one(GuidedForm).read_draft(self.draft).to_toml()
        self._apply_width(self.size.width)
        self.history, problems = read_history(self.paths)
        for problem in problems:
            self.notify(literal(problem), severity="warning")
        for notice in self._notices:
            self.notify(literal(notice), severity="warning", timeout=10)
        if self._first_run:
            self.ask_profile()
        if self._restored:
            self.notify(
                f"Your unsent draft is back ({literal(self.draft_path.name)}). ctrl+n starts "
                "a fresh one; this one stays in the drafts list.",
                title="Restored",
            )
        self.save_on_signals()
        if self._unknown_template:
            self.notify(
                literal(f"No template named '{self._unknown_template}'; using {self.template}."),
                severity="warning",
            )
        # The form is usable at the first paint; the preview and checklist fill
        # in one frame later, so the rules load after the screen shows, and
        # the template worker starts meanwhile.
        self.refresh_pending = True
        self.run_worker(_start_template_worker, thread=True, group="render-start")
        self.call_after_refresh(self.refresh_panels)
        self.load_contact_suggestions()

    def on_unmount(self) -> None:
        self._draft_lock.release()
        if self._compiled_cues is not None:
            self._compiled_cues.save()
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        if self._grammar is not None:
            self._grammar.stop()
        from composer.render_worker import abandon_render

        # A render thread waiting out a slow template would hold up Python's exit.
        abandon_render()

    @cached_property
    def renderer(self) -> Renderer:
        from composer.render import Renderer

        return Renderer(self.store)

    def on_resize(self, event: events.Resize) -> None:
        # The event carries the new size; self.size may still be the old one.
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.screen.set_class(width >= WIDE_COLUMNS, "-wide")

    # ----- wiring: messages and actions to the rooms -----

    @on(GuidedForm.Edited)
    def _form_edited(self) -> None:
        self.schedule_refresh()

    @on(NameInput.SuggestionTaken)
    @on(Input.Blurred, "#recipient-name")
    def _name_given(self) -> None:
        self.fill_from_contact()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # F4 shows in the footer only when there is a slip to fix: at 80
        # columns the footer has no room for a key that does nothing.
        if action == "fix_slip":
            return bool(self.grammar and self.grammar.slips)
        return True

    @on(Button.Pressed, "#send")
    def _send_pressed(self) -> None:
        self.action_send()

    @on(OptionList.OptionSelected, "#rules")
    def focus_fix(self, event: OptionList.OptionSelected) -> None:
        """Enter on a checklist item moves focus to the field that fixes it
        (on the grammar item: the list of slips to fix)."""
        if event.option.id == "grammar" and self.grammar is not None and self.grammar.slips:
            self.action_list_slips()
            return
        field = RULE_FIELDS.get(event.option.id or "", "point")
        self.query_one(GuidedForm).focus_field(field)

    @on(OptionList.OptionHighlighted, "#rules")
    def highlight_rule(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(EmailPreview).focus_rule(event.option.id)

    def action_focus_checklist(self) -> None:
        self.query_one("#rules", OptionList).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id in FIELD_IDS:
            self._last_field = event.widget.id

    def action_focus_form(self) -> None:
        """Back to the field you left, not the first one: typing on after f2
        and f3 must go where it went before."""
        self.query_one(f"#{self._last_field}").focus()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from composer_commands(self)

    def action_history(self) -> None:
        from composer.tui.history import HistoryScreen

        def follow_up(send) -> None:
            if send is not None:
                entry = send.entry
                self.follow_up(Recipient(name=entry.recipient, email=entry.email), entry.subject)

        self.push_screen(HistoryScreen(self.paths), follow_up)

    def action_help(self) -> None:
        keys = [
            (b.key, b.tooltip or b.description) for b in self.BINDINGS if isinstance(b, Binding)
        ]
        keys += [(f"{b.key} (on a checklist item)", b.tooltip) for b in ChecklistPanel.BINDINGS]
        keys += [
            ("f7 (in a multi-line field)", "Select the whole field: what you type replaces it"),
            ("ctrl+p", "Command palette: every action"),
        ]
        self.push_screen(HelpScreen(keys))
