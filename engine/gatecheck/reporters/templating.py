r"""The HTML reports' one template environment: every value is escaped by construction.

Jinja2 (imported here, so only `--format html` pays for it) renders the templates beside this
module with autoescaping on, and its `finalize` hook passes every interpolated value through
gatecheck's HTML escaper: control characters shown (`\x1b`), `<>&"'` as entities (`&quot;`,
`&#x27;`, as the pages always wrote them). A value is inserted raw only if it is `Markup`
already, and the one place that declares text raw is `_packaged_asset`: the pages' own CSS and
script files. No renderer builds markup in Python: the templates write all of it.
"""

from __future__ import annotations

import functools
from html import escape as _html_escape
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from gatecheck.errors import printable

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup


def esc(value: object) -> str:
    """Any value as HTML text or attribute value: controls shown, `<>&"'` as entities."""
    return _html_escape(printable(str(value)), quote=True)


def render_page(template: str, **context: Any) -> str:
    """The named template rendered with `context`; `css` and `script` name packaged assets."""
    for key in ("css", "script"):
        if key in context:
            context[key] = _packaged_asset(context[key])
    return _environment().get_template(template).render(**context)


def _escaped(value: Any) -> Any:
    """Jinja2's `finalize`: markup stays as it is, every other value goes through `esc`."""
    from markupsafe import Markup

    if hasattr(value, "__html__"):
        return value
    return Markup(esc(value))  # noqa: S704 - escaped just now, by `esc`


def _packaged_asset(name: str) -> Markup:
    """A CSS or script file shipped beside the templates, inlined raw.

    These are gatecheck's own files, not input: they are the only text the pages insert
    unescaped (escaping would break the `>` of a CSS selector or the `&&` of a script).
    """
    from markupsafe import Markup

    text = files("gatecheck.reporters").joinpath("templates", name).read_text(encoding="utf-8")
    return Markup(text.strip())  # noqa: S704 - our own packaged file, see the docstring


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("gatecheck.reporters", "templates"),
        autoescape=True,
        finalize=_escaped,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
