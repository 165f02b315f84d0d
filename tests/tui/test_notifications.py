"""Notifications read markup: Textual's own use it ("Press [b]ctrl+q[/b]"),
and a user's or a file's text in one is shown exactly as written."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets._toast import Toast

import composer.tui
from composer.model import Draft
from composer.safe_text import visible
from composer.tui.literal import literal

from .test_composer import settle

MARKUP = "[b]x[/b] [link=https://evil.example]y[/link] [$accent]z [@click=app.quit]w[/]"


def shown_toasts(app) -> list[str]:
    """The text of every notification on screen, as the terminal shows it."""
    return [toast.render().plain for toast in app.screen.query(Toast)]


async def test_ctrl_c_says_how_to_quit_without_raw_markup(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.query_one("#rules", OptionList).focus()  # a field takes ctrl+c as copy
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert any("Press ctrl+q to quit the app" in text for text in shown_toasts(app))
        assert not any("[b]" in text for text in shown_toasts(app))


async def test_a_template_name_with_markup_is_shown_as_written(make_app):
    app = make_app(Draft(), template=MARKUP)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert any(f"No template named '{MARKUP}'" in text for text in shown_toasts(app))


async def test_a_draft_file_named_with_markup_is_shown_as_written(make_app, paths):
    paths.drafts.mkdir(parents=True, exist_ok=True)
    broken = paths.drafts / "[$accent]Bo [on red]x [b]y.toml"  # a file name holds no "/"
    broken.write_text("recipient = [", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        app.open_draft(broken)
        await pilot.pause()
        assert any(broken.name in text for text in shown_toasts(app))


@given(st.text())
def test_literal_markup_shows_any_text_as_written(text):
    assert Content.from_markup(literal(text)).plain == visible(text)


TUI = Path(composer.tui.__file__).parent


def _markup_safe(node: ast.expr) -> bool:
    """Text a notification or tooltip may read as markup: fixed text, text
    passed through literal(), or an f-string of those."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "literal"
    if isinstance(node, ast.JoinedStr):
        return all(
            _markup_safe(part.value if isinstance(part, ast.FormattedValue) else part)
            for part in node.values
        )
    if isinstance(node, ast.IfExp):
        return _markup_safe(node.body) and _markup_safe(node.orelse)
    return False


def _notified(call: ast.Call) -> ast.expr | None:
    """The message of `x.notify(message)`, or of `call_from_thread(x.notify, message)`
    and the like."""
    func = call.func
    plain = any(
        k.arg == "markup" and getattr(k.value, "value", True) is False for k in call.keywords
    )
    if getattr(func, "attr", "") == "notify" and call.args and not plain:
        # The app's own override hands on what its callers passed.
        is_super = (
            isinstance(func.value, ast.Call) and getattr(func.value.func, "id", "") == "super"
        )
        return None if is_super else call.args[0]
    handed_on = call.args[:1] and getattr(call.args[0], "attr", "") == "notify"
    return call.args[1] if handed_on and len(call.args) > 1 else None


def _tooltip_safe(node: ast.expr) -> bool:
    """A tooltip reads a str as markup; rich Text it shows as it is."""
    if isinstance(node, ast.IfExp):
        return _tooltip_safe(node.body) and _tooltip_safe(node.orelse)
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Text":
        return True
    return _markup_safe(node)


def test_every_notification_and_tooltip_shows_variable_text_as_written():
    unsafe = []
    for path in sorted(TUI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                message = _notified(node)
                if message is not None and not _markup_safe(message):
                    unsafe.append(f"{path.name}:{node.lineno} notify")
            elif isinstance(node, ast.Assign):
                tooltips = [t for t in node.targets if getattr(t, "attr", "") == "tooltip"]
                if tooltips and not _tooltip_safe(node.value):
                    unsafe.append(f"{path.name}:{node.lineno} tooltip")
    assert unsafe == [], "text that reaches markup without literal() or rich Text"
