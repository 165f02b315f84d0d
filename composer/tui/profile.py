"""Who signs the email: the first run's question, the send gate's question
when an email names no sender, and keeping the answer.

A mixin on ComposerApp: the answer both writes config.toml and fills the
open draft's sender fields, which the app's form owns.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from composer.tui.literal import literal
from composer.tui.screens import ProfileScreen

SENDER_REASON = "Say who this is from before it goes out."
"""The send gate's line at the top of the profile dialog."""


class FirstRun:
    """The profile question: asked once the first screen shows, and before an unsigned send."""

    def ask_profile(self) -> None:
        self.call_after_refresh(self.push_screen, ProfileScreen(), self._first_run_answered)

    def _first_run_answered(self, profile: dict[str, str] | None) -> None:
        self._keep_profile(profile)
        if not profile:
            self.notify("Skipped. `outreach config edit` sets your profile any time.")

    def ask_sender(self, what: str, retry: Callable[[], None]) -> None:
        """The email names no sender: ask who it is from, then `retry` the way
        out the user chose (it waits for the signed email's render); escape
        leaves the email unsent."""
        if isinstance(self.screen, ProfileScreen):
            return  # ctrl+j is heard over the dialog: it is asking already
        sender = self.draft.sender
        values = {
            "name": sender.name,
            "role": sender.role or self.config.profile.role,
            "company": sender.company or self.config.profile.company,
            "bio": self.config.profile.bio,
        }

        def answered(profile: dict[str, str] | None) -> None:
            if profile is not None:
                self._keep_profile(profile)
            if profile and profile["name"]:
                retry()
                return
            self.notify(
                f"{literal(what)}: the email does not say who it is from. Add your name "
                "under Signature, or type it in the dialog the next send opens.",
                title="Not sent",
                severity="warning",
            )

        self.push_screen(ProfileScreen(SENDER_REASON, values), answered)

    def _keep_profile(self, profile: dict[str, str] | None) -> None:
        """Keep the profile in config.toml, and sign this draft with it."""
        from composer.config import Profile, set_profile, start_config

        try:
            start_config(self.paths)
            problem = set_profile(self.paths, profile) if profile else None
        except OSError as exc:
            problem = f"Could not write {self.paths.config_file}: {exc.strerror or exc}"
        if problem:
            self.notify(literal(problem), severity="warning")
        if not profile:
            return
        self.config.profile = Profile(**{**vars(self.config.profile), **profile})
        for key in ("name", "role", "company", "bio"):
            if profile.get(key):
                self.query_one(f"#sender-{key}", Input).value = profile[key]
