"""Turn a draft and a template into the email the recipient will read.

Templates come from users and teams, so they are untrusted: each renders in
a Jinja2 sandbox (composer.sandbox) inside a worker process that bounds its
time and memory (composer.render_worker). Any failure, a render that takes
too long included, is one TemplateError naming the template. This module
imports neither Jinja2 nor the worker's machinery until something is rendered.
"""

from __future__ import annotations

from composer.model import Draft, Email
from composer.templates_store import DEFAULT_TEMPLATE, Template, TemplateStore


class Renderer:
    """Renders drafts with one store, each render bounded in time and memory."""

    def __init__(self, store: TemplateStore | None = None) -> None:
        self.store = store or TemplateStore()

    def render(self, draft: Draft, name: str | None = None) -> Email:
        """Render `draft` with the named template (else the draft's, else the default).

        Raises TemplateError on any template failure, a render that takes
        longer than RENDER_SECONDS or more than MEMORY_MB included.
        """
        from composer.render_worker import render_bounded

        return render_bounded(self.store, draft, name or draft.template or DEFAULT_TEMPLATE)


def render(
    draft: Draft, template: Template | str | None = None, store: TemplateStore | None = None
) -> Email:
    """Render a draft into the email the recipient will read (one-off; see Renderer).

    `template` is a Template, a name in the store, or None for the draft's own
    template (else the default). Raises TemplateError on any template failure.
    """
    if isinstance(template, Template):
        store = TemplateStore(extra=[template]) if store is None else store
        return Renderer(store).render(draft, template.name)
    return Renderer(store).render(draft, template)
