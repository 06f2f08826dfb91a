"""Problems found in a site file, each tied to a path such as `services[2].prefix`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """`('services', 2, 'prefix')` as `services[2].prefix`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(top level)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a site file, at `loc`."""

    loc: Loc
    message: str
    line: int | None = None
    column: int | None = None

    @property
    def path(self) -> str:
        """The location as people write it: `counters[0].services[1]`."""
        return format_loc(self.loc)

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        if self.line and self.column:
            where = f" (line {self.line}, column {self.column})"
        return f"{self.path}: {self.message}{where}" if self.loc else f"{self.message}{where}"


def raise_problems(title: str, problems: Sequence[Problem]) -> None:
    """Raise the problems as one pydantic ValidationError, so locations nest; no-op if none."""
    if not problems:
        return
    errors = [
        InitErrorDetails(
            type=PydanticCustomError("site_config", "{message}", {"message": p.message}),
            loc=p.loc,
            input=None,
        )
        for p in problems
    ]
    raise ValidationError.from_exception_data(title, errors)


class ConfigError(ValueError):
    """A site file that cannot be used; lists every problem, the file name first."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        if len(self.problems) == 1:
            super().__init__(f"{source}: {self.problems[0]}")
            return
        lines = [f"{source}: {len(self.problems)} problems"]
        lines += [f"  {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))
