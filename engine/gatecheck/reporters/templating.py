r"""The HTML reports' one template environment: every value is escaped by construction.

Jinja2 (imported here, so only `--format html` pays for it) renders the templates beside this
module with autoescaping on, and its `finalize` hook passes every interpolated value through
gatecheck's HTML escaper: control characters shown (`\x1b`), `<>&"'` as entities (`&quot;`,
`&#x27;`, as the pages always wrote them). A value is inserted raw only if it is `Markup`
already, and two places declare text raw: `_packaged_asset`, the pages' own CSS and script files,
and `_data_island`, data as JSON with no `<`, `>` or `&` left (`escape.script_json`), for a
`<script type="application/json">` element. No renderer builds markup in Python: the templates
write all of it.
"""

from __future__ import annotations

import functools
from html import escape as _html_escape
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from gatecheck.errors import printable

if TYPE_CHECKING:
    from collections.abc import Iterator

    import jinja2
    from markupsafe import Markup


def esc(value: object) -> str:
    """Any value as HTML text or attribute value: controls shown, `<>&"'` as entities."""
    return _html_escape(printable(str(value)), quote=True)


def render_page(template: str, **context: Any) -> str:
    """The named template rendered with `context`.

    `css` and `script` name packaged assets (or a list of them, inlined one after the other);
    `island`, when not None, is data for the page's script, inserted as JSON safe inside
    `<script type="application/json">`.
    """
    from markupsafe import Markup

    for key in ("css", "script"):
        if key in context:
            names = [context[key]] if isinstance(context[key], str) else context[key]
            assets = [_packaged_asset(name) for name in names]
            context[key] = assets[0] if len(assets) == 1 else Markup("\n").join(assets)
    island = context.get("island")
    if island is not None and not isinstance(island, Markup):  # Markup: `render_parts`'s mark
        context["island"] = _data_island(island)
    return _environment().get_template(template).render(**context)


def render_parts(template: str, **context: Any) -> Iterator[str]:
    r"""`render_page`'s text in parts, its `island` (if not None) given as parts of its JSON.

    The island's parts must be `escape.script_json`'s text of the data, as `render_page` would
    insert it; they are written between the markup before and after the island, which is
    rendered first (with a mark where the island goes) and held. Nothing else of the page can
    hold the mark: every other value is escaped, and the escaping shows a NUL as `\x00`.
    """
    from markupsafe import Markup

    island = context.pop("island", None)
    if island is None:
        yield render_page(template, **context, island=None)
        return
    mark = Markup(_ISLAND)  # noqa: S704 - our own constant, with no markup in it
    page = render_page(template, **context, island=mark)
    before, found, after = page.partition(_ISLAND)
    if not found or _ISLAND in after:
        msg = f"{template}: the island's place is not found once"
        raise AssertionError(msg)
    del page
    yield before
    yield from island
    yield after


_ISLAND = "\x00gatecheck-island\x00"


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


def _data_island(data: Any) -> Markup:
    r"""Data as JSON for a `<script type="application/json">` element, inserted raw.

    `script_json` leaves no `<`, `>` or `&` in it (each is a `\u003c`-style escape inside a JSON
    string, which parses back to the same text), so no `</script>` or `<!--` in a policy's or
    an evidence file's text can end the element or change how the parser reads it.
    """
    from markupsafe import Markup

    from gatecheck.reporters.escape import script_json

    return Markup(script_json(data))  # noqa: S704 - no markup can be left in it, see the docstring


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
