"""What every shape is made of: the strict, frozen base model and the constrained strings.

Importing this module imports pydantic (a few hundred milliseconds), so only cold paths do.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

IDENTIFIER = r"^[a-z0-9][a-z0-9_.-]*$"
Identifier = Annotated[str, Field(pattern=IDENTIFIER, max_length=100)]
FactPath = Annotated[str, Field(min_length=1, max_length=500)]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]
DURATION_PATTERN = r"^[0-9]{1,5}[dw]$"
Duration = Annotated[str, Field(pattern=DURATION_PATTERN)]


class Model(BaseModel):
    """A strict, frozen shape; its JSON Schema title drops the `Shape` that marks it in code."""

    model_config = ConfigDict(
        strict=True,
        frozen=True,
        extra="forbid",
        model_title_generator=lambda model: model.__name__.removesuffix("Shape"),
    )
