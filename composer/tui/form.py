"""The guided form: one step per part of a good cold email, in the blog's order."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Input, Label, Select, Static, TextArea

from composer.model import Draft, Recipient, Sender
from composer.safe_text import has_controls, one_line, strip_controls
from composer.templates_store import Template, is_template_path, with_defaults
from composer.tui.contacts import NameInput
from composer.tui.steps import STEPS, Field, Step

FIRST_FRAME_STEPS = 3
"""Steps built for the first frame: more than an 80x24 screen shows."""


class FieldArea(TextArea):
    """A multi-line field that, when entered, puts the cursor after the text
    (a TextArea starts at the top, where typing would prepend)."""

    def on_focus(self, event: events.Focus) -> None:
        if self.cursor_location == (0, 0) and self.text:
            self.move_cursor(self.document.end)

    async def action_delete_to_end_of_line_or_delete_line(self) -> None:
        """ctrl+k: to the end of the paragraph, not of the row it wraps onto
        (Textual's stops there); at a paragraph's end it joins the next one,
        and an empty line goes."""
        row, _ = self.selection.end
        line_end = (row, len(self.document[row]))
        if not self.document[row]:
            await self.run_action("delete_line")
        elif self.selection.start == self.selection.end == line_end:
            await self.run_action("delete_right")
        else:
            self.delete(self.selection.end, line_end, maintain_selection_offset=False)


class GuidedForm(VerticalScroll):
    """Every step of the draft, with the template picker on top."""

    class Edited(Message):
        """Any field changed; the app re-renders after a pause in typing."""

    class Built(Message):
        """Every step is mounted and laid out: Tab reaches every field, in order."""

    def __init__(self, draft: Draft, templates: list[Template], template: str) -> None:
        super().__init__(id="form")
        self._specs = {spec.name: spec for spec in templates}
        self._templates = [(_picker_label(spec), spec.name) for spec in templates]
        self._template = template
        # A draft opens with its template's defaults in the fields it leaves
        # empty: the text is there to see and edit, as the email will say it.
        draft, filled = with_defaults(draft, self._spec(template))
        self._kept = {_field_id(name): text for name, text in filled.items()}
        """Text the template put in a field, taken back by the next switch if left as it is."""
        self._draft, self._cleaned = without_controls(draft)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row", id="template-row"):
            yield Label("Template", classes="field-label")
            select = Select(self._templates, value=self._template, allow_blank=False, id="template")
            select.compact = True
            yield select
        yield Static(id="template-about", markup=False)
        # The first frame builds what a screen shows; the other steps are
        # mounted right after it (every widget costs start-up time).
        for step in STEPS[:FIRST_FRAME_STEPS]:
            yield self._step(step)

    def on_mount(self) -> None:
        self._show_template()
        self.call_after_refresh(self._mount_the_rest)
        self._tell_cleaned(self._cleaned)

    def _tell_cleaned(self, labels: list[str]) -> None:
        if labels:
            self.notify(
                f"Removed control characters from {', '.join(labels)}: "
                "they are terminal commands, not text.",
                severity="warning",
                markup=False,
            )

    async def _mount_the_rest(self) -> None:
        await self.mount_all(self._step(step) for step in STEPS[FIRST_FRAME_STEPS:])
        # Built waits for the layout too: Tab order is screen order, and a
        # step not yet laid out sorts first.
        if not self._tell_if_laid_out():
            self.screen.screen_layout_refresh_signal.subscribe(self, self._tell_if_laid_out)

    def _tell_if_laid_out(self, _: object = None) -> bool:
        steps = self.query_children(".step")
        if not all(step.virtual_region.height or not step.display for step in steps):
            return False
        self.screen.screen_layout_refresh_signal.unsubscribe(self)
        self.post_message(self.Built())
        return True

    @property
    def complete(self) -> bool:
        """Every step is mounted (it is, one frame after the form appears)."""
        return bool(self.query(f"#{STEPS[-1].fields[-1].id}"))

    def _step(self, step: Step) -> Vertical:
        """One step: its heading (one widget, not two) and its fields."""
        children: list = [
            Static(
                Content.from_markup(
                    "[b $accent]$title[/]\n[dim]$prompt[/]", title=step.title, prompt=step.prompt
                ),
                classes="step-head",
            )
        ]
        for field in step.fields:
            value = field_value(self._draft, field.id)
            if field.multiline:
                children.append(
                    FieldArea(
                        value,
                        id=field.id,
                        soft_wrap=True,
                        tab_behavior="focus",
                        placeholder=self._example(field),
                        compact=True,
                        classes="field",
                    )
                )
            else:
                # Tab into a filled field must not arm "type to replace it all".
                widget = (NameInput if field.id == "recipient-name" else Input)(
                    value,
                    placeholder=self._example(field),
                    id=field.id,
                    classes="field",
                    select_on_focus=False,
                )
                widget.compact = True
                children.append(
                    Horizontal(Label(field.label, classes="field-label"), widget, classes="row")
                )
        if step.fields[0].id == "recipient-name":
            children.append(Static("", id="recent-contact", classes="warning"))
        return Vertical(*children, classes="step")

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _edited(self, event: Message) -> None:
        event.stop()
        if isinstance(event, Select.Changed) and isinstance(event.value, str):
            self._use_template(event.value)
        # A paste (or a fix) with control characters: the field keeps its text
        # without them, so the email never holds one. The change this makes
        # comes back here clean and counts as the edit.
        if isinstance(event, Input.Changed) and has_controls(event.value):
            event.input.value = strip_controls(event.value)
            self._tell_cleaned([field_label(event.input.id or "")])
            return
        if isinstance(event, TextArea.Changed) and has_controls(event.text_area.text):
            area = event.text_area
            area.replace(strip_controls(area.text), (0, 0), area.document.end)
            self._tell_cleaned([field_label(area.id or "")])
            return
        self.post_message(self.Edited())

    def read_draft(self, base: Draft) -> Draft:
        """A copy of `base` with every form field's current value."""
        recipient = Recipient(
            name=self._value("recipient-name"),
            email=self._value("recipient-email"),
            company=self._value("recipient-company"),
            role=self._value("recipient-role"),
        )
        chosen = self.query_one("#template", Select).value
        template = str(chosen) if isinstance(chosen, str) else base.template
        if template == self._template and is_template_path(base.template):
            template = base.template  # keep the draft's path to its own template file
        return Draft(
            subject=self._value("subject"),
            context=self._value("context"),
            research=self._value("research"),
            point=self._value("point"),
            wiift=self._value("wiift"),
            offer=self._value("offer"),
            template=template,
            accepted=dict(base.accepted),
            recipient=recipient,
            sender=Sender(
                name=self._value("sender-name"),
                role=self._value("sender-role"),
                company=self._value("sender-company"),
                bio=self._value("sender-bio"),
                signature=base.sender.signature,
            ),
        )

    def _spec(self, name: str) -> Template | None:
        return self._specs.get(name)

    def _example(self, field: Field) -> str:
        """A field's grey example text: the template's own, else the generic one.

        Marked "e.g." so that an empty field never looks filled in: a grey
        "Sam Ortiz" under "Your name" passed for a signature (#14)."""
        spec = self._spec(self._template)
        examples = spec.examples if spec is not None else {}
        # A template's example is a user's text: one line, no control character.
        return f"e.g. {one_line(examples.get(field.id.replace('-', '.', 1), field.placeholder))}"

    def _show_template(self) -> None:
        """The picked template's description under the picker, and its examples in the fields."""
        spec = self._spec(self._template)
        about = self.query_one("#template-about", Static)
        about.update(one_line(spec.description) if spec is not None else "")
        about.tooltip = Text(one_line(spec.description)) if spec is not None else None
        for step in STEPS:
            for field in step.fields:
                for widget in self.query(f"#{field.id}"):
                    widget.placeholder = self._example(field)

    def _use_template(self, name: str) -> None:
        """Switch templates without losing a word the user typed.

        Text the previous template put in a field and the user left alone goes;
        then the new template's defaults fill the fields that are empty.
        """
        if name == self._template:
            return
        self._template = name
        for field_id, text in self._kept.items():
            if self._value(field_id) == text:
                self._put(field_id, "")
        _, filled = with_defaults(self.read_draft(Draft()), self._spec(name))
        self._kept = {_field_id(key): text for key, text in filled.items()}
        for field_id, text in self._kept.items():
            self._put(field_id, text)
        self._show_template()

    def _put(self, field_id: str, value: str) -> None:
        """Set one field, mounted or not yet."""
        found = self.query(f"#{field_id}")
        if not found:
            self._draft = with_field(self._draft, field_id, value)
            return
        widget = found.first()
        if isinstance(widget, TextArea):
            widget.load_text(value)
        else:
            widget.value = value

    def add_template(self, spec: Template) -> None:
        """Offer a template saved just now in the picker."""
        self._specs[spec.name] = spec
        self._templates = [*self._templates, (_picker_label(spec), spec.name)]
        select = self.query_one("#template", Select)
        current = select.value
        select.set_options(self._templates)
        select.value = current

    def remove_template(self, name: str) -> None:
        """A template deleted just now leaves the picker (the current one stays picked if it can)."""
        self._templates = [(label, value) for label, value in self._templates if value != name]
        select = self.query_one("#template", Select)
        current = select.value
        select.set_options(self._templates)
        names = {value for _, value in self._templates}
        select.value = current if current in names else self._templates[0][1]

    def load_draft(self, draft: Draft) -> None:
        """Put another draft in every field (the drafts list, a fresh start),
        its template's defaults in the fields it leaves empty."""
        if draft.template in self._specs:
            self._template = draft.template
        draft, filled = with_defaults(draft, self._spec(self._template))
        self._kept = {_field_id(name): text for name, text in filled.items()}
        draft, cleaned = without_controls(draft)
        self._draft = draft  # what steps not mounted yet will show
        self._tell_cleaned(cleaned)
        for step in STEPS:
            for field in step.fields:
                if self.query(f"#{field.id}"):
                    self._put(field.id, field_value(draft, field.id))
        self.query_one("#template", Select).value = self._template
        self._show_template()

    def _value(self, field_id: str) -> str:
        try:
            widget = self.query_one(f"#{field_id}")
        except NoMatches:  # a step not mounted yet holds the draft's value
            return field_value(self._draft, field_id)
        return widget.text if isinstance(widget, TextArea) else widget.value

    def focus_field(self, field_id: str) -> None:
        """Move focus to a field and scroll it into view."""
        widget = self.query_one(f"#{field_id}")
        widget.focus()
        self.scroll_to_widget(widget, animate=False)


def field_value(draft: Draft, field_id: str) -> str:
    """The draft's value for a form field id."""
    for prefix, part in (("recipient-", draft.recipient), ("sender-", draft.sender)):
        if field_id.startswith(prefix):
            return getattr(part, field_id.removeprefix(prefix))
    return getattr(draft, field_id)


def with_field(draft: Draft, field_id: str, value: str) -> Draft:
    """`draft` with one form field's value changed."""
    for prefix, part in (("recipient-", "recipient"), ("sender-", "sender")):
        if field_id.startswith(prefix):
            changed = replace(getattr(draft, part), **{field_id.removeprefix(prefix): value})
            return replace(draft, **{part: changed})
    return replace(draft, **{field_id: value})


def _field_id(name: str) -> str:
    """The form field for a template's field name (`recipient.name` -> `recipient-name`)."""
    return name.replace(".", "-", 1)


def _picker_label(spec: Template) -> Text:
    """Where a template comes from: yours and your team's are marked, built-ins are not."""
    # Text, not markup: a template's name comes from its file.
    label = spec.name if spec.origin == "built-in" else f"{spec.name} ({spec.origin})"
    return Text(one_line(label))


def field_label(field_id: str) -> str:
    """How a message names a field: "The point", "Recipient: Name"."""
    for step in STEPS:
        for field in step.fields:
            if field.id == field_id:
                part = step.title.split("· ")[-1]
                return part if len(step.fields) == 1 else f"{part}: {field.label}"
    return field_id


def without_controls(draft: Draft) -> tuple[Draft, list[str]]:
    """`draft` with control characters removed from every field the form
    shows, and the labels of the fields that held some."""
    cleaned: list[str] = []
    parts: dict[str, dict[str, str]] = {"": {}, "recipient-": {}, "sender-": {}}
    for step in STEPS:
        for field in step.fields:
            value = field_value(draft, field.id)
            if not has_controls(value):
                continue
            cleaned.append(field_label(field.id))
            prefix = next((p for p in ("recipient-", "sender-") if field.id.startswith(p)), "")
            parts[prefix][field.id.removeprefix(prefix)] = strip_controls(value)
    if not cleaned:
        return draft, cleaned
    return replace(
        draft,
        **parts[""],
        recipient=replace(draft.recipient, **parts["recipient-"]),
        sender=replace(draft.sender, **parts["sender-"]),
    ), cleaned
