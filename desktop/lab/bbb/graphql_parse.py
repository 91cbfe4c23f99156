"""A tiny GraphQL document reader: enough to recognise the operations the lab serves.

The emulator does not execute GraphQL; it matches operations by their root field names
(``chat_message_public``, ``userJoinMeeting`` …), reads their arguments (with variables
substituted) and the requested selection set, so that a reply carries exactly the fields the
client asked for, as Hasura does.  Fragments, directives with effects and multiple operations per
document are outside the lab's needs and are refused with :class:`GraphQLSyntaxError`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(
    r"""(?P<skip>[\s,]+|\#[^\n]*)
      |(?P<string>"(?:[^"\\\n]|\\.)*")
      |(?P<spread>\.\.\.)
      |(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      |(?P<variable>\$[A-Za-z_]\w*)
      |(?P<name>[A-Za-z_]\w*)
      |(?P<punct>[{}():\[\]!=@])""",
    re.VERBOSE,
)


MAX_DEPTH = 32  # nesting of selections and values; deeper documents are refused, not recursed into


class GraphQLSyntaxError(ValueError):
    """The document is not one the lab can read (the message says where)."""


@dataclass
class Field:
    name: str
    alias: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    selections: list[Field] | None = None

    @property
    def key(self) -> str:
        return self.alias or self.name


@dataclass
class Operation:
    kind: str  # query | mutation | subscription
    name: str | None
    fields: list[Field]


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise GraphQLSyntaxError(f"unexpected character {text[pos]!r} at {pos}")
        pos = match.end()
        kind = match.lastgroup or ""
        if kind != "skip":
            out.append((kind, match.group()))
    return out


class _Reader:
    def __init__(self, text: str, variables: dict[str, Any]) -> None:
        self.tokens = _tokens(text)
        self.pos = 0
        self.variables = variables
        self.depth = 0

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise GraphQLSyntaxError(f"the document is nested deeper than {MAX_DEPTH} levels")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None, kind: str | None = None) -> str:
        token = self.peek()
        if token is None:
            raise GraphQLSyntaxError("unexpected end of document")
        if (value is not None and token[1] != value) or (kind is not None and token[0] != kind):
            raise GraphQLSyntaxError(f"expected {value or kind}, got {token[1]!r}")
        self.pos += 1
        return token[1]

    def at(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token[1] == value and token[0] in ("punct", "spread")

    # document := [kind [name] [variable definitions] directives*] selection-set
    def operation(self) -> Operation:
        kind = "query"
        name: str | None = None
        token = self.peek()
        if token is not None and token[0] == "name" and token[1] in ("query", "mutation", "subscription"):
            kind = self.take()
            token = self.peek()
            if token is not None and token[0] == "name":
                name = self.take()
            if self.at("("):
                self.skip_balanced("(", ")")
            self.directives()
        fields = self.selection_set()
        if self.peek() is not None:
            raise GraphQLSyntaxError("only one operation per document is supported")
        return Operation(kind, name, fields)

    def skip_balanced(self, opening: str, closing: str) -> None:
        depth = 0
        while True:
            value = self.take()
            if value == opening:
                depth += 1
            elif value == closing:
                depth -= 1
                if depth == 0:
                    return

    def directives(self) -> None:
        while self.at("@"):
            self.take("@")
            self.take(kind="name")
            if self.at("("):
                self.skip_balanced("(", ")")

    def selection_set(self) -> list[Field]:
        self.take("{")
        self.enter()
        fields: list[Field] = []
        while not self.at("}"):
            if self.at("..."):
                raise GraphQLSyntaxError("fragments are not supported by the lab")
            fields.append(self.field())
        self.take("}")
        self.depth -= 1
        if not fields:
            raise GraphQLSyntaxError("empty selection set")
        return fields

    def field(self) -> Field:
        first = self.take(kind="name")
        alias: str | None = None
        name = first
        if self.at(":"):
            self.take(":")
            alias, name = first, self.take(kind="name")
        args: dict[str, Any] = {}
        if self.at("("):
            self.take("(")
            while not self.at(")"):
                arg = self.take(kind="name")
                self.take(":")
                args[arg] = self.value()
            self.take(")")
        self.directives()
        selections = self.selection_set() if self.at("{") else None
        return Field(name, alias, args, selections)

    def value(self) -> Any:
        self.enter()
        try:
            return self._value()
        finally:
            self.depth -= 1

    def _value(self) -> Any:
        kind, text = self.peek() or ("", "")
        if kind == "variable":
            self.take()
            return self.variables.get(text[1:])
        if kind == "string":
            self.take()
            return json.loads(text)
        if kind == "number":
            self.take()
            return float(text) if any(c in text for c in ".eE") else int(text)
        if kind == "name":
            self.take()
            return {"true": True, "false": False, "null": None}.get(text, text)
        if self.at("["):
            self.take("[")
            items = []
            while not self.at("]"):
                items.append(self.value())
            self.take("]")
            return items
        if self.at("{"):
            self.take("{")
            obj: dict[str, Any] = {}
            while not self.at("}"):
                key = self.take(kind="name")
                self.take(":")
                obj[key] = self.value()
            self.take("}")
            return obj
        raise GraphQLSyntaxError(f"unexpected {text!r} in a value")


def parse_operation(query: str, variables: dict[str, Any] | None = None) -> Operation:
    """Read ``query`` with ``variables`` substituted; raises :class:`GraphQLSyntaxError`."""
    if not isinstance(query, str) or not query.strip():
        raise GraphQLSyntaxError("the query is empty")
    return _Reader(query, dict(variables or {})).operation()


def project(record: Any, selections: list[Field] | None, type_name: str = "") -> Any:
    """Keep only the selected fields of ``record`` (dicts and lists of dicts), Hasura-style.

    Fields the lab does not model come back as ``null`` rather than as an error, so that a client
    asking for more of the real schema than the lab knows still works.
    """
    if selections is None or record is None:
        return record
    if isinstance(record, list):
        return [project(item, selections, type_name) for item in record]
    if not isinstance(record, dict):
        return record
    out: dict[str, Any] = {}
    for selected in selections:
        if selected.name == "__typename":
            out[selected.key] = type_name
        else:
            out[selected.key] = project(record.get(selected.name), selected.selections)
    return out
