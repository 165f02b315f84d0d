"""Saving one of your templates: its name checked, a test render in the
sandbox, then the file written. It sits above both the template store and the
renderer, so that neither has to import the other.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from composer.model import Draft, InputError
from composer.render import Renderer
from composer.storage import atomic_write
from composer.templates_store import Template, TemplateStore, check_name, template_toml


def store_user_template(
    store: TemplateStore,
    folder: Path,
    template: Template,
    force: bool = False,
    force_hint: str = "",
    rename_hint: str = "",
) -> tuple[Path, Template]:
    """Check, test-render and write one of your templates; it joins `store`.

    Refuses with InputError a bad name or, unless `force`, a name already
    taken (yours, a team's, or a built-in that yours would hide), and with
    TemplateError a template that does not render in the sandbox.
    Returns the file written and the template as stored.
    """
    name = template.name
    if (why := check_name(name)) is not None:
        raise InputError("template name", why)
    if name in store.names():
        existing = store.get(name)
        origin = existing.origin
        if store.from_team(existing):
            # A team folder's template wins over yours: a copy stored under its
            # name would never be used, and `delete` would find the team's.
            raise InputError(
                name,
                f"'{name}' is a team template ({origin}), which wins over yours; "
                f"pick another name{rename_hint}",
            )
        if not force:
            raise InputError(
                name, f"a template named '{name}' already exists ({origin}){force_hint}"
            )
    target = folder / f"{name}.toml"
    stored = replace(template, origin="yours", path=str(target))
    probe = store.copy()
    probe.add(stored)
    Renderer(probe).render(Draft(), name)
    atomic_write(target, template_toml(stored))
    store.add(stored, own=True)
    return target, stored
