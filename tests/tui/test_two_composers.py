"""Two composers on one home (issue #12): each holds the draft it has open,
so neither ever writes the other's file (tests/test_hostile_files.py has the
lock itself, a kill -9, and the second composer's start)."""

from __future__ import annotations

from textual.widgets import TextArea

from composer.model import Draft

from .conftest import RecordingApp
from .test_composer import settle


async def test_two_composers_in_one_home_never_write_the_same_draft(paths, system_clipboard):
    """The first composer holds its draft; the second cannot open it from the palette."""
    first = RecordingApp(Draft(), paths)
    second = RecordingApp(Draft(), paths)
    assert first.draft_path != second.draft_path
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first.query_one("#point", TextArea).focus()
        await pilot.press(*"Mine")
        await settle(pilot)
        await first.workers.wait_for_complete()
        async with second.run_test(size=(80, 24)) as other:
            await settle(other)
            second.open_draft(first.draft_path)
            await other.pause()
            assert second.draft_path != first.draft_path
            assert any("open in another composer" in m for _, m in second.notes)
    assert 'point = "Mine"' in first.draft_path.read_text()
