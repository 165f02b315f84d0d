"""Typing a recipient offers your contacts: `right` takes the rest of a
matching name, and the contact's address, company and role fill the empty fields."""

from __future__ import annotations

from textual.widgets import Input

from composer.model import Email
from composer.senders import record_send
from composer.store import open_store

from .test_composer import settle


async def _type_in(pilot, field: str, *keys: str) -> str:
    """Once the contacts are read, type `keys` into `field`; its value after."""
    app = pilot.app
    await settle(pilot)
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.query_one(f"#{field}", Input).focus()
    await pilot.press(*keys)
    await settle(pilot)
    return app.query_one(f"#{field}", Input).value


async def test_a_contacts_name_is_offered_and_fills_the_rest(make_app, paths):
    record_send(paths, Email("Hello", "Hi Dana,\n", "dana@example.com"), "Dana Kim")
    with open_store(paths) as store:
        store.save_contact("dana@example.com", {"company": "Acme", "role": "Head of Data"})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _type_in(pilot, "recipient-name", "d", "a", "right") == "Dana Kim"
        values = {
            field: app.query_one(f"#{field}", Input).value
            for field in (
                "recipient-name",
                "recipient-email",
                "recipient-company",
                "recipient-role",
            )
        }
        assert values == {
            "recipient-name": "Dana Kim",
            "recipient-email": "dana@example.com",
            "recipient-company": "Acme",
            "recipient-role": "Head of Data",
        }
        assert app.draft.recipient.email == "dana@example.com"


async def test_an_address_is_offered(make_app, paths):
    record_send(paths, Email("Hello", "Hi\n", "dana@example.com"), "")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _type_in(pilot, "recipient-email", "D", "right") == "dana@example.com"


async def test_with_nothing_sent_nothing_is_offered_and_no_database_made(make_app, paths):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _type_in(pilot, "recipient-name", "d", "right") == "d"
    assert not paths.database.exists()


def _keys(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


def _fields(app) -> dict[str, str]:
    return {
        field: app.query_one(f"#{field}", Input).value
        for field in ("recipient-email", "recipient-company", "recipient-role")
    }


async def test_a_name_part_way_to_a_longer_one_fills_nothing_until_you_leave_it(make_app, paths):
    record_send(paths, Email("Hello", "Hi Sam,\n", "sam@wrong.io"), "Sam")
    record_send(paths, Email("Hello", "Hi Sam,\n", "sam@ortiz.io"), "Sam Ortiz")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _type_in(pilot, "recipient-name", *_keys("Sam Ortiz")) == "Sam Ortiz"
        assert _fields(app)["recipient-email"] == ""
        await pilot.press("tab")
        await settle(pilot)
        assert _fields(app)["recipient-email"] == "sam@ortiz.io"


async def test_an_address_you_emptied_is_never_filled_again(make_app, paths):
    record_send(paths, Email("Hello", "Hi Dana,\n", "dana@example.com"), "Dana Kim")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _type_in(pilot, "recipient-name", "d", "right")
        assert _fields(app)["recipient-email"] == "dana@example.com"
        app.query_one("#recipient-email", Input).focus()
        await pilot.press("ctrl+u", "ctrl+k")
        await settle(pilot)
        assert _fields(app)["recipient-email"] == ""
        app.query_one("#recipient-name", Input).focus()
        await pilot.press("end", "tab")
        await settle(pilot)
        assert _fields(app)["recipient-email"] == ""


async def test_another_contact_taken_replaces_what_the_first_filled(make_app, paths):
    record_send(paths, Email("Hello", "Hi Sam,\n", "sam@wrong.io"), "Sam")
    record_send(paths, Email("Hello", "Hi Sam,\n", "sam@ortiz.io"), "Sam Ortiz")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _type_in(pilot, "recipient-name", *_keys("Sam"))
        await pilot.press("tab")
        await settle(pilot)
        assert _fields(app)["recipient-email"] == "sam@wrong.io"
        await _type_in(pilot, "recipient-name", "end", "space", "O", "right")
        assert app.query_one("#recipient-name", Input).value == "Sam Ortiz"
        assert _fields(app)["recipient-email"] == "sam@ortiz.io"


async def test_a_name_two_contacts_share_fills_nothing(make_app, paths):
    record_send(paths, Email("Hello", "Hi Alex,\n", "alex@one.io"), "Alex Lee")
    record_send(paths, Email("Hello", "Hi Alex,\n", "alex@two.io"), "Alex Lee")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _type_in(pilot, "recipient-name", "a", "right") == "Alex Lee"
        await pilot.press("tab")
        await settle(pilot)
        assert _fields(app)["recipient-email"] == ""
