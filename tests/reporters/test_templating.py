"""The HTML pages' template environment: every value escaped, the pages' own assets shipped.

The pages themselves are held byte for byte by their goldens (tests/reporters/test_html.py,
tests/commands/test_history.py); this holds what the goldens cannot show.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files

import jinja2
import pytest
from markupsafe import Markup

from gatecheck.reporters import templating

HOSTILE = "<img src=x onerror=\"alert(1)\"> & 'quoted' \x1b[31m"
TEMPLATES = ("status.html.j2", "status_subject.html.j2", "history.html.j2", "history_chart.html.j2")
ASSETS = ("status.css", "status.js", "history.css")


def render(source: str, **context: object) -> str:
    return templating._environment().from_string(source).render(**context)


def test_every_value_is_escaped_as_the_pages_always_were() -> None:
    page = render('<p title="{{ value }}">{{ value }}</p>', value=HOSTILE)
    escaped = templating.esc(HOSTILE)
    assert page == f'<p title="{escaped}">{escaped}</p>'
    assert "<img" not in page
    assert "\x1b" not in page
    assert "&quot;" in page
    assert "&#x27;" in page


def test_only_markup_is_inserted_raw() -> None:
    assert render("{{ value }}", value=Markup("<b>ours</b>")) == "<b>ours</b>"


def test_a_name_the_template_does_not_have_is_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render("{{ missing }}")


@pytest.mark.parametrize("name", TEMPLATES + ASSETS)
def test_templates_and_assets_are_package_data(name: str) -> None:
    assert files("gatecheck.reporters").joinpath("templates", name).is_file()


def test_only_the_html_formats_import_jinja2() -> None:
    code = (
        "import sys\n"
        "from gatecheck.reporters import HISTORY_REPORTERS, STATUS_REPORTERS\n"
        "STATUS_REPORTERS['html']; HISTORY_REPORTERS['html']\n"
        "print('jinja2' in sys.modules, 'markupsafe' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
