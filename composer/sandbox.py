"""The Jinja2 sandbox that turns a draft and a template into the email.

Templates come from users and teams, so they are untrusted: rendering runs in
a SandboxedEnvironment (no attribute escapes, bounded string and number
growth), undefined names are errors rather than blanks, and every failure
becomes one TemplateError with the template's name, line and a one-line reason.
The sandbox cannot bound loops or memory, so this module runs only in the
template worker process (composer.render_worker); use composer.render.
"""

from __future__ import annotations

import operator
import re
from dataclasses import asdict

import jinja2
import jinja2.meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from composer.model import DRAFT_FIELDS, Draft, Email
from composer.templates_store import DEFAULT_TEMPLATE, Template, TemplateError, TemplateStore

_SUBJECT_SUFFIX = "#subject"
_MAX_OUTPUT = 1_000_000


# str methods and filters that pad to a width: a huge width is a huge string.
_PADDERS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
_WIDTH = re.compile(r"%[-+ #0]*(\d+)|\{[^{}]*?:[^{}]*?(\d+)[^{}]*\}")


def _refuse_wide(spec: object) -> None:
    """Refuse a %-format or str.format spec whose width would build a huge string."""
    if isinstance(spec, str):
        for match in _WIDTH.finditer(spec):
            width = int(match.group(1) or match.group(2))
            if width > _MAX_OUTPUT:
                raise SecurityError("format width too large")


def _bounded_width(filter_function):
    """Wrap a padding filter (center, indent) so its width cannot exceed the output limit."""

    def bounded(value, width=80, *args, **kwargs):
        if isinstance(width, int) and width > _MAX_OUTPUT:
            raise SecurityError("width too large")
        return filter_function(value, width, *args, **kwargs)

    return bounded


def _bounded_format(filter_function):
    """Wrap the format filter so its %-spec cannot ask for a huge width."""

    def bounded(value, *args, **kwargs):
        _refuse_wide(value)
        return filter_function(value, *args, **kwargs)

    return bounded


class _Sandbox(SandboxedEnvironment):
    """The stock sandbox blocks attribute escapes; this also bounds what makes
    strings grow (`*`, `**`, `%`, padding and format widths), so
    `{{ 'x' * 10**10 }}` or `{{ 'x'.ljust(10**10) }}` is refused instead of
    eating the machine's memory."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call(__self, __context, __obj, *args, **kwargs):
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if (
            isinstance(owner, str)
            and name in _PADDERS
            and any(isinstance(a, int) and a > _MAX_OUTPUT for a in args)
        ):
            raise SecurityError("width too large")
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _refuse_wide(value.__self__)  # '{:>99999999}'.format(...)
        return wrapped

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "%":
            _refuse_wide(left)
            return operator.mod(left, right)
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise SecurityError("exponent too large")
            return operator.pow(left, right)
        for seq, times in ((left, right), (right, left)):
            if (
                isinstance(seq, str | list | tuple)
                and isinstance(times, int)
                and len(seq) * times > _MAX_OUTPUT
            ):
                raise SecurityError("repetition would produce more than a million items")
        return operator.mul(left, right)


class _StoreLoader(jinja2.BaseLoader):
    """Loads a template's body by name, and its subject as `name#subject`."""

    def __init__(self, store: TemplateStore) -> None:
        self.store = store

    def get_source(self, environment, template):
        name, _, part = template.partition("#")
        try:
            found = self.store.get(name)
        except TemplateError:
            raise jinja2.TemplateNotFound(template) from None
        source = found.subject if part == "subject" else found.body
        return source, _filename(found, part == "subject"), lambda: True


def _filename(template: Template, subject: bool) -> str:
    return f"<{template.name}{_SUBJECT_SUFFIX if subject else ''}>"


def join_sentences(parts: object) -> str:
    """The `sentences` filter: the non-empty fields as one paragraph.

    Fields are joined with a space when the previous one ends a sentence, and
    with a line break when it does not (a bare link), so no field is glued to
    the next and no character of the user's text is added or dropped.
    """
    joined = ""
    for part in parts if isinstance(parts, list | tuple) else [parts]:
        text = str(part or "").strip()
        if not text:
            continue
        if joined:
            joined += " " if joined[-1] in ".!?:;…\"')”’" else "\n"
        joined += text
    return joined


def make_environment(store: TemplateStore) -> SandboxedEnvironment:
    """The sandbox every template renders in."""
    env = _Sandbox(
        loader=_StoreLoader(store),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["sentences"] = join_sentences
    env.filters["center"] = _bounded_width(env.filters["center"])
    env.filters["indent"] = _bounded_width(env.filters["indent"])
    env.filters["format"] = _bounded_format(env.filters["format"])
    return env


def template_variables(draft: Draft) -> dict:
    """What a template may use: recipient.*, sender.*, and the draft's fields.

    Exactly the draft's text: a template's [defaults] are put into a draft's
    fields where the user sees them (templates_store.with_defaults), and its
    [examples] are only ever grey text in the form.
    """
    recipient = asdict(draft.recipient)
    recipient["first_name"] = draft.recipient.first_name
    values = {name: getattr(draft, name).strip() for name in DRAFT_FIELDS}
    return {"recipient": recipient, "sender": asdict(draft.sender), **values}


def _check_cycles(
    env: SandboxedEnvironment, store: TemplateStore, name: str, trail: tuple[str, ...]
) -> None:
    """Refuse extends/include loops up front: Jinja would recurse until it crashes."""
    template = store.get(name)
    try:
        ast = env.parse(template.body, name, _filename(template, False))
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax_error(store, exc) from None
    for ref in jinja2.meta.find_referenced_templates(ast):
        if ref is None:
            continue  # a name computed at render time; the RecursionError guard covers it
        if ref == name or ref in trail:
            loop = " → ".join((*trail, name, ref))
            raise TemplateError(
                name, f"extends or includes itself ({loop})", _line_of_ref(template, ref)
            )
        if ref not in store.names():
            raise TemplateError(
                name,
                f"extends or includes '{ref}', which does not exist",
                _line_of_ref(template, ref),
            )
        _check_cycles(env, store, ref, (*trail, name))


def _line_of_ref(template: Template, ref: str) -> int:
    for number, line in enumerate(template.body.splitlines(), start=0):
        if ref in line and ("extends" in line or "include" in line):
            return template.body_line + number
    return template.body_line


def _file_line(store: TemplateStore, name: str, line: int | None) -> int | None:
    """A line of the rendered source as a line of the template's TOML file."""
    if line is None:
        return None
    base, _, part = name.partition("#")
    try:
        template = store.get(base)
    except TemplateError:
        return line
    if part == "subject":
        return template.subject_line
    return template.body_line + line - 1


def _syntax_error(store: TemplateStore, exc: jinja2.TemplateSyntaxError) -> TemplateError:
    name = (exc.name or "?").partition("#")[0]
    where = exc.name or name
    return TemplateError(name, f"syntax error: {exc.message}", _file_line(store, where, exc.lineno))


def _runtime_location(
    exc: BaseException, store: TemplateStore, fallback: str
) -> tuple[str, int | None]:
    """Jinja rewrites tracebacks so template frames carry the template's line."""
    import traceback

    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        filename = frame.filename or ""
        if filename.startswith("<") and filename.endswith(">"):
            inner = filename[1:-1]
            base = inner.partition("#")[0]
            if base in store.names():
                return base, _file_line(store, inner, frame.lineno)
    return fallback, None


def _human(exc: BaseException) -> str:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, SecurityError | OverflowError):
        return f"not allowed in a template: {message}"
    if isinstance(exc, jinja2.UndefinedError):
        return f"undefined: {message} (variables: recipient.*, sender.*, {', '.join(DRAFT_FIELDS)})"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"no such template '{exc.name}'"
    return message


def _tidy(text: str) -> str:
    """Trailing spaces off, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.split("\n")]
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return tidy + "\n"


class SandboxRenderer:
    """Renders drafts in this process, with one store and one sandbox reused
    across calls. Nothing bounds its time or memory: only the template worker
    process runs it (everything else uses composer.render.Renderer).

    The composer re-renders on every pause in typing; building the environment
    and re-checking a template's extends/include chain each time would be
    wasted work, so both are kept here. Jinja caches compiled templates itself.
    """

    def __init__(self, store: TemplateStore | None = None) -> None:
        self.store = store or TemplateStore()
        self._env = make_environment(self.store)
        self._checked: set[str] = set()

    def render(self, draft: Draft, name: str | None = None) -> Email:
        """Render `draft` with the named template (else the draft's, else the default).

        Raises TemplateError on any template failure; a MemoryError is the
        caller's to handle (the worker reports it as the memory bound).
        """
        name = name or draft.template or DEFAULT_TEMPLATE
        store, env = self.store, self._env
        store.get(name)  # an unknown name is a TemplateError saying so
        if name not in self._checked:
            _check_cycles(env, store, name, ())
            self._checked.add(name)
        variables = template_variables(draft)
        try:
            subject = env.get_template(name + _SUBJECT_SUFFIX).render(variables)
            body = env.get_template(name).render(variables)
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(store, exc) from None
        except RecursionError:
            raise TemplateError(
                name,
                "nests without end (a macro that calls itself, or extends or includes itself)",
            ) from None
        except (
            jinja2.TemplateError,
            ArithmeticError,
            TypeError,
            ValueError,
            LookupError,
            OverflowError,
        ) as exc:
            where, line = _runtime_location(exc, store, name)
            raise TemplateError(where, _human(exc), line) from None
        if len(body) > _MAX_OUTPUT:
            raise TemplateError(name, "renders to more than a million characters")
        return Email(subject=" ".join(subject.split()), body=_tidy(body), to=draft.recipient.email)
