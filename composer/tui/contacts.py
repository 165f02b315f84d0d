"""Typing a recipient offers the contacts you have (docs/contacts.md): the
rest of a matching name or address shows greyed after the cursor, and
`right` takes it; a contact's name taken that way, or left (the field loses
focus) when exactly one contact has it, fills in the address, company and
role.

Filling happens at those two moments only, never as you type: "Sam" is a
whole name part-way to "Sam Ortiz". A field the contact filled is the
contact's until you change it: another contact taken replaces it, and one
you emptied stays empty.

The contacts are read from the database in a thread once the composer is on
screen, so start-up never waits for SQLite; until they are in, nothing is
offered.
"""

from __future__ import annotations

from textual import work
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input

from composer.store import Contact, StoreError, anything_sent, open_store

CONTACT_FIELDS = ("recipient-email", "recipient-company", "recipient-role")


class NameInput(Input):
    """The recipient's name: says when `right` took a suggested name."""

    class SuggestionTaken(Message):
        """`right` completed the name from a suggestion."""

    def action_cursor_right(self, select: bool = False) -> None:
        before = self.value
        super().action_cursor_right(select)
        if self.value != before:  # the cursor moved no text: the suggestion was taken
            self.post_message(self.SuggestionTaken())


class ContactSuggestions:
    """The contacts the recipient fields offer, and filling them in."""

    def init_contact_suggestions(self) -> None:
        self._contacts_by_name: dict[str, list[Contact]] = {}
        self.forget_contact_fill()

    def forget_contact_fill(self) -> None:
        """A new draft: no field holds a contact's value yet."""
        self._contact_filled: dict[str, str] = {}
        """What a contact put in each field it filled."""

    @work(thread=True, group="contacts")
    def load_contact_suggestions(self) -> None:
        if not anything_sent(self.paths):
            return
        try:
            with open_store(self.paths) as store:
                contacts = [contact for contact, _, _ in store.contacts()]
        except StoreError:
            return  # said when a send cannot reach the database; nothing is offered
        self.call_from_thread(self._offer_contacts, contacts)

    def _offer_contacts(self, contacts: list[Contact]) -> None:
        named = [c for c in contacts if c.name]
        self._contacts_by_name = {}
        for contact in named:
            self._contacts_by_name.setdefault(contact.name.casefold(), []).append(contact)
        self.query_one("#recipient-name", Input).suggester = SuggestFromList(
            [c.name for c in named], case_sensitive=False
        )
        self.query_one("#recipient-email", Input).suggester = SuggestFromList(
            [c.address for c in contacts], case_sensitive=False
        )

    def fill_from_contact(self) -> None:
        """The recipient name, if exactly one contact has it, fills the address,
        company and role that are empty or still hold a contact's values."""
        names = self.query("#recipient-name")
        if not names:
            return
        found = self._contacts_by_name.get(names.first(Input).value.strip().casefold(), [])
        if len(found) != 1:
            return  # two people of that name: the address says which one
        contact = found[0]
        values = (contact.address, contact.company, contact.role)
        for field_id, value in zip(CONTACT_FIELDS, values, strict=True):
            for field in self.query(f"#{field_id}").results(Input):
                filled = self._contact_filled.get(field_id)
                if field.value not in ("", filled) or (field.value == "" and filled is not None):
                    continue  # your own text, or a contact's value you emptied
                field.value = value
                if value:
                    self._contact_filled[field_id] = value
                else:
                    self._contact_filled.pop(field_id, None)
