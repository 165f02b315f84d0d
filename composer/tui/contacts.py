"""Typing a recipient offers the contacts you have (docs/contacts.md): the
rest of a matching name or address shows greyed after the cursor, and
`right` takes it; a name that is a contact's fills in the address, company
and role left empty.

The contacts are read from the database in a thread once the composer is on
screen, so start-up never waits for SQLite; until they are in, nothing is
offered.
"""

from __future__ import annotations

from textual import work
from textual.suggester import SuggestFromList
from textual.widgets import Input

from composer.store import Contact, StoreError, anything_sent, open_store


class ContactSuggestions:
    """The contacts the recipient fields offer, and filling them in."""

    def init_contact_suggestions(self) -> None:
        self._contacts_by_name: dict[str, Contact] = {}

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
        self._contacts_by_name = {c.name.casefold(): c for c in named}
        self.query_one("#recipient-name", Input).suggester = SuggestFromList(
            [c.name for c in named], case_sensitive=False
        )
        self.query_one("#recipient-email", Input).suggester = SuggestFromList(
            [c.address for c in contacts], case_sensitive=False
        )

    def fill_from_contact(self) -> None:
        """A recipient name that is a contact's fills the empty address, company and role."""
        names = self.query("#recipient-name")
        if not self._contacts_by_name or not names:
            return
        contact = self._contacts_by_name.get(names.first(Input).value.strip().casefold())
        if contact is None:
            return
        for field_id, value in (
            ("recipient-email", contact.address),
            ("recipient-company", contact.company),
            ("recipient-role", contact.role),
        ):
            found = self.query(f"#{field_id}")
            if value and found and not found.first(Input).value:
                found.first(Input).value = value
