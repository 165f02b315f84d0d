"""A list of boxes to tick that reads the same without colour.

Its own module so that SelectionList is imported only when a dialog needs it,
not while the composer starts.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.option_list import OptionDoesNotExist


class TickList(SelectionList[str]):
    """A SelectionList whose boxes read [x] and [ ]: Textual's own differ only
    by colour, which a monochrome or high-contrast terminal does not show."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        segments = list(line)
        # The first three segments are the coloured box; its middle one holds
        # the style (and the mouse's option index) the glyph keeps.
        glyph = "[x]" if selection.value in self.selected else "[ ]"
        return Strip([Segment(glyph, segments[1].style), *segments[3:]])
