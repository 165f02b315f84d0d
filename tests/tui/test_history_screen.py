"""F6, the history screen: the sent emails newest first, filtered by name or
address; the one highlighted in full with its overrules and the ledger; marked
replied; copied again."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from textual.widgets import Input, OptionList, Static

from composer.model import Email
from composer.senders import record_send
from composer.store import open_store
from composer.tui.history import HistoryScreen

from .test_composer import settle

ASK = "Hi Dana,\n\nWould you review my draft of the sourcing guide by Friday?\n\nBest,\nSam\n"


def _sent(paths) -> None:
    record_send(
        paths,
        Email("Old one", "Hi Bo,\n", "bo@example.com"),
        "Bo Li",
        now=datetime(2026, 11, 1, tzinfo=UTC),
    )
    record_send(
        paths,
        Email("A review?", ASK, "dana@example.com"),
        "Dana Kim",
        now=datetime(2026, 12, 2, tzinfo=UTC),
        accepted={"giver": "the review is of her own project"},
    )


async def _read(pilot) -> None:
    """Wait for the screen's workers: the list and the ledger are read in threads."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _listed(screen) -> list[str]:
    options = screen.query_one("#history-list", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_f6_lists_newest_first_and_shows_overrules_and_the_ledger(make_app, paths):
    _sent(paths)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await _read(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        listed = _listed(screen)
        assert "Dana Kim  A review?" in listed[0] and "Bo Li  Old one" in listed[1]
        detail = str(screen.query_one("#history-text", Static).render())
        assert "Overruled giver: the review is of her own project" in detail
        assert "gave: nothing" in detail and "asked: Would you review my draft" in detail
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)


async def test_filter_mark_replied_and_copy_again(make_app, paths, system_clipboard):
    _sent(paths)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_history()
        await _read(pilot)
        screen = app.screen
        screen.query_one("#history-filter", Input).value = "BO@"
        await pilot.pause()
        assert len(_listed(screen)) == 1 and "Bo Li" in _listed(screen)[0]
        screen.query_one("#history-list", OptionList).focus()
        await pilot.press("r")
        await _read(pilot)
        assert "✓ replied" in _listed(screen)[0]
        await pilot.press("c")
        await app.workers.wait_for_complete()
        assert app.clipboard == "Subject: Old one\n\nHi Bo,\n"
    with open_store(paths) as store:
        assert [bool(s.replied) for s in store.sends()] == [True, False]


async def test_the_palette_opens_it_and_an_empty_history_says_so(make_app):
    from composer.tui.commands import composer_commands

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        (command,) = [c for c in composer_commands(app) if c.title == "History"]
        command.callback()
        await _read(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "No emails sent yet." in str(app.screen.query_one("#history-text", Static).render())


async def test_follow_up_starts_a_fresh_draft_to_the_same_person(make_app, example, paths):
    _sent(paths)
    app = make_app(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = app.draft_path
        await pilot.press("f6")
        await _read(pilot)
        await pilot.press("tab", "f")
        await settle(pilot)
        assert not isinstance(app.screen, HistoryScreen)
        assert app.draft.subject == "Re: A review?"
        assert (app.draft.recipient.name, app.draft.recipient.email) == (
            "Dana Kim",
            "dana@example.com",
        )
        assert app.draft.point == "" and app.draft_path != before
        assert any("not just “bumping this”" in m for _, m in app.notes)


class _Held:
    """Another composer sends and holds the database while it writes: every
    open that has that send to take in waits until it lets go."""

    def __init__(self, paths, address: str) -> None:
        record_send(paths, Email("Later", "Hi,\n", address), "")
        self._db = sqlite3.connect(paths.database, isolation_level=None)
        self._db.execute("BEGIN IMMEDIATE")

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> None:
        self._db.execute("ROLLBACK")
        self._db.close()


async def test_typing_filters_at_once_and_tab_r_marks_the_one_filtered(make_app, paths):
    _sent(paths)
    newest = Email("Hello", "Hi Cy,\n", "cy@example.com")
    record_send(paths, newest, "Cy Ames", now=datetime(2026, 12, 3, tzinfo=UTC))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await _read(pilot)
        screen = app.screen
        await pilot.press(*"dana", "tab", "r")
        await _read(pilot)
        assert [("Dana Kim" in row, "✓ replied" in row) for row in _listed(screen)] == [
            (True, True)
        ]
        await pilot.press("shift+tab", *["backspace"] * 4)
        await _read(pilot)
        assert "Cy Ames" in _listed(screen)[0] and "✓ replied" not in _listed(screen)[0]


async def test_the_screen_takes_keys_while_another_composer_holds_the_database(make_app, paths):
    _sent(paths)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        with _Held(paths, "cy@example.com"):
            await pilot.press("f6")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, HistoryScreen)
            assert str(screen.query_one("#history-text", Static).render()) == "Loading…"
            await pilot.press(*"dana")
            assert screen.query_one("#history-filter", Input).value == "dana"
        await _read(pilot)
        assert len(_listed(screen)) == 1 and "Dana Kim" in _listed(screen)[0]
        assert "asked: Would you review my draft" in str(
            screen.query_one("#history-text", Static).render()
        )
        with _Held(paths, "di@example.com"):
            screen.query_one("#history-list", OptionList).focus()
            await pilot.press("r", "shift+tab", "end", "backspace")
            assert screen.query_one("#history-filter", Input).value == "dan"
        await _read(pilot)
        assert "✓ replied" in _listed(screen)[0]
