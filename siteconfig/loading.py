"""Reading a site file: YAML with line numbers, validation, and readable problems."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from queue_engine.domain.model import Site

from .checks import Parts, cross_check
from .document import SiteConfig
from .fields import suggest
from .problems import ConfigError, Loc, Problem

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: A site file is a few kilobytes; anything much bigger is a mistake or an attack.
MAX_BYTES = 1024 * 1024

Lines = dict[Loc, int]


def load_site(path: str | os.PathLike[str]) -> Site:
    """The domain `Site` described by a site file."""
    return load_site_config(path).to_site()


def load_site_config(path: str | os.PathLike[str]) -> SiteConfig:
    """Read and check a site file; raises ConfigError listing every problem."""
    source = os.fspath(path)
    try:
        with Path(path).open("rb") as file:
            data = file.read(MAX_BYTES + 1)
        text = _checked_size(data, source).decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(source, [Problem((), "no such file")]) from None
    except UnicodeDecodeError:
        raise ConfigError(source, [Problem((), "not UTF-8 text")]) from None
    except OSError as exc:
        raise ConfigError(source, [Problem((), f"cannot read: {exc.strerror}")]) from None
    return parse_site_config(text, source)


def _checked_size(data: bytes, source: str) -> bytes:
    """`data`, or ConfigError when it is over MAX_BYTES."""
    if len(data) > MAX_BYTES:
        message = f"too big: a site file may hold at most {MAX_BYTES // 1024} KiB"
        raise ConfigError(source, [Problem((), message)])
    return data


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, keeping dates as text: pydantic parses them and reports bad ones.

    Aliases (`*name`) are refused: a few lines of them expand to billions of nodes."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Compose a node, refusing an alias."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed: write the value out", event.start_mark
            )
        return super().compose_node(parent, index)


def _date_as_text(loader: _Loader, node: yaml.Node) -> Any:
    """Construct a YAML timestamp as the text it was written as."""
    return loader.construct_yaml_str(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _date_as_text)


def parse_site_config(text: str, source: str = "<string>") -> SiteConfig:
    """Check a site file's text; raises ConfigError listing every problem."""
    _checked_size(text.encode("utf-8", "replace"), source)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ConfigError(
            source, [Problem((), f"invalid YAML: {exc.problem}", line, column)]
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(source, [Problem((), f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise ConfigError(source, [Problem((), "the file is empty")])
    lines: Lines = {}
    duplicates = list(_walk(node, (), 1, lines))
    return _validate(data, source, lines, duplicates)


def validate_site_config(data: object, source: str = "<data>") -> SiteConfig:
    """Check already-parsed data (a dict as from YAML); raises ConfigError listing every problem."""
    return _validate(data, source, {}, [])


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a site file, for editors and other tools."""
    schema = SiteConfig.model_json_schema()
    schema["title"] = "Loket site configuration"
    return {"$schema": SCHEMA_DIALECT, **schema}


def _validate(data: object, source: str, lines: Lines, earlier: list[Problem]) -> SiteConfig:
    """Validate `data`, adding the cross-section problems of its valid parts on failure."""
    found = list(earlier)
    try:
        config = SiteConfig.model_validate(data)
    except ValidationError as exc:
        found += [Problem(_loc(err["loc"]), _message(err)) for err in exc.errors()]
        found += cross_check(Parts.salvage(data))
    else:
        if not found:
            return config
    unique = list(
        dict.fromkeys(Problem(p.loc, p.message, p.line or _line(p.loc, lines)) for p in found)
    )
    raise ConfigError(source, sorted(unique, key=lambda p: p.line or 0))


def _walk(node: yaml.Node, loc: Loc, line: int, lines: Lines) -> Iterator[Problem]:
    """Record the line of every path under `node`; yield its duplicate keys."""
    lines.setdefault(loc, line)
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _walk(item, (*loc, i), item.start_mark.line + 1, lines)
    elif isinstance(node, yaml.MappingNode):
        yield from _walk_mapping(node, loc, lines)


def _walk_mapping(node: yaml.MappingNode, loc: Loc, lines: Lines) -> Iterator[Problem]:
    """`_walk` for a mapping: keys are scalars, and each may appear once."""
    first: dict[str, int] = {}
    for key_node, value_node in node.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        if key in first and key != "<<":
            message = f"duplicate key (first at line {first[key]})"
            yield Problem((*loc, key), message, line)
        first.setdefault(key, line)
        yield from _walk(value_node, (*loc, key), line, lines)


def _line(loc: Loc, lines: Lines) -> int | None:
    """The line of `loc`, or of its nearest ancestor present in the file."""
    parts = tuple(part if isinstance(part, int) else str(part) for part in loc)
    for end in range(len(parts), -1, -1):
        if parts[:end] in lines:
            return lines[parts[:end]]
    return None


def _loc(loc: tuple[int | str, ...]) -> Loc:
    """A pydantic location without its '[key]' marker."""
    return tuple(part for part in loc if part != "[key]")


def _message(err: ErrorDetails) -> str:
    """A pydantic error as a short message for people."""
    kind, ctx, value = err["type"], err.get("ctx", {}), err["input"]
    if kind == "site_config":
        return err["msg"]
    if kind == "value_error":
        return str(ctx["error"])
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        return f"unknown key{suggest(key, _keys_at(err['loc'][:-1]))}"
    if kind == "missing":
        return "required"
    if kind == "string_type" and isinstance(value, dict):
        return "must be text, got a mapping: put text that contains ': ' in quotes"
    if kind == "model_type":
        return f"must be a mapping of keys to values, got {_short(value)}"
    message = err["msg"][0].lower() + err["msg"][1:]
    if err["loc"] and err["loc"][-1] == "[key]":
        return f"{value!r} is not allowed as a key: {message}"
    if value is None or isinstance(value, str | int | float | bool):
        message += f", got {value!r}"
    return message


def _short(value: object) -> str:
    """A value for a message, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _keys_at(loc: tuple[int | str, ...]) -> list[str]:
    """The keys allowed at `loc` of a site file (for 'did you mean')."""
    model: type[BaseModel] | None = SiteConfig
    for part in loc:
        if model is None:
            return []
        if isinstance(part, str):
            field = model.model_fields.get(part)
            model = _model_in(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model inside a field's type (`list[X]`, `X | None`, `Annotated[X, …]`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if (found := _model_in(arg)) is not None:
            return found
    return None
