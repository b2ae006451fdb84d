"""Spec files read fast: libyaml's parse events turned into python values in one loop.

PyYAML with libyaml (``CSafeLoader``) parses in C but builds a node tree and then the values in
python, through a generator per node: about 1 ms a spec, most of ``make gen``'s loading time. The
specs use a small part of YAML (mappings, sequences, plain and quoted scalars), so :func:`load`
builds those straight from the events, resolving plain scalars with PyYAML's own resolver and
constructors (``int``, ``bool``, ``null``, ``float``, ``timestamp``: the same values, same types).

Anything else (an anchor or alias, an explicit tag, a merge key ``<<``, a complex key, a key
given twice, more than one document, a syntax error) goes to the full loader the caller names,
which returns what it always did or raises its own error with its own wording and position.
``tests/codegen/test_spec_names.py`` compares both on every spec file.
"""

from __future__ import annotations

from typing import IO, Any

import yaml
from yaml.events import (
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

#: libyaml's parser (its events only: nothing is composed or constructed); absent without libyaml
_Parser: Any = getattr(yaml, "CSafeLoader", None)
_RESOLVER: Any = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
#: Implicit types a plain scalar may resolve to that the fast path builds (with PyYAML's
#: constructor); any other (merge ``<<``, value ``=``) is left to the full loader.
_BUILT = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp"))
_FIRST = frozenset(key for key in _RESOLVER.yaml_implicit_resolvers if key)


class _Unsupported(Exception):
    """Something the fast path leaves to the full loader."""


_NO_KEY = object()


def load(handle: IO[str], loader: type[yaml.SafeLoader]) -> Any:
    """``yaml.load(handle, Loader=loader)`` for a ``loader`` whose constructor is PyYAML's safe
    one, refusing a key given twice; the fast path when libyaml is there and the file allows."""
    if _Parser is not None:
        text = handle.read()
        try:
            return _from_events(_Parser(text))
        except (_Unsupported, yaml.YAMLError):
            handle.seek(0)
    return yaml.load(handle, Loader=loader)


def _scalar(event: ScalarEvent) -> Any:
    if event.tag is not None or event.anchor is not None:
        raise _Unsupported
    value: str = event.value
    if not event.implicit[0] or (value and value[0] not in _FIRST):
        return value  # quoted, or plain text no implicit type starts with
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, event.implicit)
    if tag == _STR:
        return value
    if tag not in _BUILT:
        raise _Unsupported
    node = yaml.ScalarNode(tag, value, None, None, event.style)
    return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)


def _from_events(parser: Any) -> Any:
    # each open collection: [the list] or [the dict, the key waiting for its value]
    stack: list[list[Any]] = []
    result: Any = None
    documents = 0

    def add(value: Any) -> None:
        nonlocal result
        if not stack:
            result = value
            return
        top = stack[-1]
        container = top[0]
        if type(container) is list:
            container.append(value)
        elif top[1] is _NO_KEY:
            if type(value) in (dict, list) or value in container:
                raise _Unsupported  # a complex key, or a key given twice: the full loader's error
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = _NO_KEY

    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is ScalarEvent:
            add(_scalar(event))
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.tag is not None or event.anchor is not None:
                raise _Unsupported
            if stack and type(stack[-1][0]) is dict and stack[-1][1] is _NO_KEY:
                raise _Unsupported  # a mapping or sequence as a key
            stack.append([{}, _NO_KEY] if kind is MappingStartEvent else [[]])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            add(stack.pop()[0])
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Unsupported  # the full loader says "expected a single document"
        elif kind is StreamEndEvent:
            return result
        elif kind is yaml.AliasEvent:
            raise _Unsupported
        # StreamStartEvent, DocumentEndEvent: nothing to build
