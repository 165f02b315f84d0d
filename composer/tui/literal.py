"""Text from users and files, for Textual places that read content markup.

A notification, a palette entry or a Static reads its string as markup, so a
recipient called "[b]Bo[/b]" or a file named "[$accent].toml" would be styled,
not shown. `textual.markup.escape` is Rich's escape and misses some of
Textual's tags ("[$accent]", "[B]", "[ b]"); in Textual's markup a "[" after a
backslash is never a tag, so escaping every "[" is complete.
"""

from __future__ import annotations

from composer.safe_text import visible


def literal(text: str) -> str:
    """Markup that shows `text` as written, its control characters made visible."""
    return visible(text).replace("[", "\\[")
