"""The first run: ask for the profile that signs every draft, and keep it.

A mixin on ComposerApp: the answer both writes config.toml and fills the
open draft's sender fields, which the app's form owns.
"""

from __future__ import annotations

from textual.widgets import Input

from composer.tui.literal import literal
from composer.tui.screens import ProfileScreen


class FirstRun:
    """The profile question, asked once the first screen shows."""

    def ask_profile(self) -> None:
        self.call_after_refresh(self.push_screen, ProfileScreen(), self._profile_answered)

    def _profile_answered(self, profile: dict[str, str] | None) -> None:
        """First run: keep the profile in config.toml, and sign this draft with it."""
        from composer.config import Profile, set_profile, start_config

        try:
            start_config(self.paths)
            problem = set_profile(self.paths, profile) if profile else None
        except OSError as exc:
            problem = f"Could not write {self.paths.config_file}: {exc.strerror or exc}"
        if problem:
            self.notify(literal(problem), severity="warning")
        if not profile:
            self.notify("Skipped. `outreach config edit` sets your profile any time.")
            return
        self.config.profile = Profile(**{**vars(self.config.profile), **profile})
        for key in ("name", "role", "company"):
            if profile.get(key):
                self.query_one(f"#sender-{key}", Input).value = profile[key]
