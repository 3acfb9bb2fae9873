"""YAML from files users did not write: safe, bounded, and located when it fails.

One loader for every YAML eventmap reads from a user (event files, ``--gazetteer``
files): PyYAML's safe loader (plain data, never Python objects), with nesting,
alias expansion and duplicate keys bounded or refused before anything is built,
and dates and over-long integers kept as text so that the schema reports them
with the field's name.
"""

from __future__ import annotations

import re

import yaml

from geo.errors import InputError, brief

__all__ = ["load_yaml", "yaml_problem"]

_DIGITS = re.compile(r"[-+]?[0-9_]+")


#: How deep the YAML reader lets lists and mappings nest before it gives up (PyYAML
#: composes recursively; the schema needs 5 levels, the events' own check stops at
#: :data:`~geo.schema.MAX_DEPTH` below the events list).
_YAML_DEPTH = 64
#: How many nodes aliases may add to a document: 100 times its own (a shared source
#: or place reused by every event adds a few times), at least 100,000 (small files
#: may reuse freely) and at most 5,000,000 (a few hundred thousand events' worth).
_ALIAS_RATIO, _ALIAS_FLOOR, _ALIAS_CAP = 100, 100_000, 5_000_000


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, bounded for untrusted files.

    Dates stay text, so that the schema's own date parser reports ``2025-02-30`` or
    ``1500-01-01`` with the field's name; an integer Python cannot read as one
    (over 4,300 digits) stays text for the same reason; nesting is bounded.
    """

    def __init__(self, stream: str, name: str):
        super().__init__(stream)
        self._depth, self._name = 0, name

    def compose_node(self, parent, index):
        if self._depth >= _YAML_DEPTH:
            raise InputError(
                f"lists and mappings nested deeper than {_YAML_DEPTH} levels; expected at most "
                f"{_YAML_DEPTH}",
                file=self._name, record=f"line {self.peek_event().start_mark.line + 1}",
            )  # fmt: skip
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # Python's limit on the digits of an int
            value = self.construct_scalar(node)
            if _DIGITS.fullmatch(value):
                return value
            raise

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, LookupError, TypeError, OverflowError) as exc:  # '!!int ""', ...
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {brief(node.value)} as {node.tag} ({exc})",
                node.start_mark,
            ) from None  # fmt: skip


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def load_yaml(text: str, name: str) -> object:
    """``yaml.safe_load`` with :class:`_Loader`, refusing aliases that refer to their own
    node (a cycle) or expand the document beyond what it holds (an alias bomb)."""
    loader = _Loader(text, name)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_aliases(node, name)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _check_keys(node: yaml.MappingNode, name: str) -> None:
    """A key given twice in one mapping is refused (PyYAML would keep the last silently)."""
    keys: set = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
            if (key.tag, key.value) in keys:
                raise InputError(
                    f"the key {brief(key.value)} is given twice in one mapping; expected it once",
                    file=name, record=f"line {key.start_mark.line + 1}",
                )  # fmt: skip
            keys.add((key.tag, key.value))


def _check_aliases(root: yaml.Node, name: str) -> None:
    """Count the nodes the document has once its aliases are expanded (each distinct
    node's expanded size once, bottom up), and refuse it beyond the bound."""
    own, seen, stack = 0, set(), [root]
    while stack:  # the nodes written, each once
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            own += 1
            stack.extend(_children(node))
            if isinstance(node, yaml.MappingNode):
                _check_keys(node, name)
    limit = own + max(_ALIAS_FLOOR, min(_ALIAS_RATIO * own, _ALIAS_CAP))
    size: dict[int, int] = {}
    open_: set[int] = set()  # the nodes being counted: the current one and its ancestors
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            open_.discard(id(node))
            size[id(node)] = n = 1 + sum(size[id(c)] for c in _children(node))
            if n > limit:
                raise InputError(
                    f"aliases expand this node to {n:,} nodes, from {own:,} written; expected "
                    f"at most {limit:,} (an alias bomb?)",
                    file=name, record=f"line {node.start_mark.line + 1}",
                )  # fmt: skip
            continue
        if id(node) in size:
            continue
        stack.append((node, True))
        open_.add(id(node))
        for child in _children(node):
            if id(child) not in size:
                if id(child) in open_:
                    raise InputError(
                        "an alias refers to a node that contains it; expected a tree",
                        file=name, record=f"line {child.start_mark.line + 1}",
                    )  # fmt: skip
                stack.append((child, False))


def yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[str | None, str]:
    """``("line 3", "what is wrong (column 7)")`` from any PyYAML error, on one line
    and short (PyYAML quotes what it found, however long)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "?")
        return f"line {line}", f"character U+{char:04X} is not allowed in YAML text"
    if mark is not None and problem:
        context = f"{exc.context}: " if getattr(exc, "context", None) else ""
        reason = " ".join(f"{context}{problem} (column {mark.column + 1})".split())
    else:
        mark, reason = None, " ".join(str(exc).split())
    if len(reason) > 200:
        reason = f"{reason[:120]} … {reason[-60:]}"
    return (f"line {mark.line + 1}" if mark else None), reason
