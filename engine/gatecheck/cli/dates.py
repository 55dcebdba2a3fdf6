"""Dates on the command line: today (UTC), and the YYYY-MM-DD options parsed or refused."""

from __future__ import annotations

import datetime as dt

import click


def today() -> dt.date:
    """The day of the run, in UTC (looked up here so a test can pin it)."""
    return dt.datetime.now(dt.UTC).date()


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"'{value}' is not a date in the form YYYY-MM-DD"
        raise click.BadParameter(msg) from None


def date_or_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    """A YYYY-MM-DD option whose default is today."""
    return today() if value is None else _date(value)


def date_or_none(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """A YYYY-MM-DD option with no default."""
    return None if value is None else _date(value)


def past_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    """A date that has come: evidence dated later is refused when judged (dated-after-judging)."""
    day = date_or_today(ctx, param, value)
    if day > today():
        msg = f"{day} is after today ({today()}): evidence cannot describe a day that has not come"
        raise click.BadParameter(msg)
    return day


def past_date_or_none(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> dt.date | None:
    """A date that has come, or None when the option is not given."""
    return None if value is None else past_date(ctx, param, value)
