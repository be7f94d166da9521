"""YAML to plain data with positions, refusing what PyYAML lets slip.

PyYAML keeps the last of two duplicate keys and expands aliases without
bound. Here the node graph is composed (cheap: an alias is a reference) and
then walked once by hand, so that duplicates become errors and the walk can
stop when a document expands past ``MAX_NODES`` or nests past ``MAX_DEPTH``.

Positions are needed only to report a problem, and recording one per value
was most of the walk (10,000 products: 300 ms of 350). So the walk is made
first without them (``_plain``), for documents of plain keys without merge
keys, duplicates or values the walk refuses; the marks of such a document are
found from its text when something first asks for them (``LazyMarks``). Any
other document takes the walk with positions, which reports its problems.
"""

from __future__ import annotations

import math
import operator
import os

import yaml

from .depth import guard_depth
from .marks import LazyMarks, Marks
from .problem import MAX_DEPTH, MAX_NODES, LoadProblem
from .problem import Loader as _Loader
from .source import decode, read_bytes

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float", _STR,
}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"

# Every whole number of a configuration is a count, a port, a size or a rule
# operand: 64 bits hold them all. A longer literal than 80 characters is
# refused before it is converted at all.
MAX_INT = 2**63 - 1
_MAX_INT_LITERAL = 80


def _number(node: yaml.Node, path: tuple, what: str) -> LoadProblem:
    return LoadProblem("yaml/number", f"{what}: the configuration takes whole numbers of at most 64 bits and finite decimals",
                       node.start_mark.line + 1, node.start_mark.column + 1, path)


def _fast_loader(base: type) -> type:
    """``base`` with PyYAML's tag resolution for scalars done from one table lookup.

    Composing calls ``resolve`` for every scalar; PyYAML's version builds a
    list of candidate patterns each time. This one looks the same patterns up
    by first character, already joined with the wildcard ones, and returns the
    same tag. Path resolvers would change the answer, so with any registered
    the base class is kept.

    Without path resolvers, PyYAML's ``descend_resolver`` and
    ``ascend_resolver`` (called around every node) return at once, and a list
    or a mapping gets its default tag: here the first two are C functions that
    do nothing with their arguments (10,000 products: 500,000 calls, ~40 ms).
    """
    if base.yaml_path_resolvers:
        return base
    implicit = base.yaml_implicit_resolvers
    wildcard = tuple(implicit.get(None, ()))
    table = {first: tuple(resolvers) + wildcard for first, resolvers in implicit.items() if first is not None}
    scalar, default = yaml.ScalarNode, base.DEFAULT_SCALAR_TAG
    collections = {yaml.SequenceNode: base.DEFAULT_SEQUENCE_TAG, yaml.MappingNode: base.DEFAULT_MAPPING_TAG}

    class FastLoader(base):
        descend_resolver = staticmethod(operator.is_)  # (parent, index): a comparison, result unused
        ascend_resolver = staticmethod(tuple)  # (): the empty tuple, unused

        def resolve(self, kind, value, implicit):
            if kind is not scalar:
                return collections[kind]
            if implicit[0]:
                for tag, regexp in table.get(value[:1], wildcard):
                    if regexp.match(value):
                        return tag
            return default

    return FastLoader


_ComposingLoader = _fast_loader(_Loader)


def compose(text: str) -> yaml.Node:
    guard_depth(text)
    try:
        loader = _ComposingLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if exc.context and exc.problem:
            what = f"{exc.context}, {exc.problem}"
        if "nesting depth" in what:  # newer libyaml builds have a depth limit of their own
            raise LoadProblem("yaml/too-deep", f"document nests deeper than {MAX_DEPTH} levels", line, column) from None
        raise LoadProblem("yaml/syntax", f"YAML syntax error: {what}", line, column) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses anywhere (a NUL, a control character)
        line, column = _position(text, exc.position, _ComposingLoader)
        raise LoadProblem("yaml/character", f"character U+{exc.character:04X} is not allowed in YAML "
                          f"(control characters other than tab and line breaks); remove it", line, column) from None
    except yaml.YAMLError as exc:
        raise LoadProblem("yaml/syntax", f"YAML error: {exc}") from None
    except RecursionError:
        raise LoadProblem("yaml/too-deep", f"document nests deeper than {MAX_DEPTH} levels") from None
    if node is None:
        raise LoadProblem("yaml/empty", "file is empty; expected a mapping with version, region, accounts, portfolios and products")
    if not isinstance(node, yaml.MappingNode):
        raise LoadProblem("yaml/root", f"the document must be a mapping of keys to values, not a {_kind(node)}",
                          node.start_mark.line + 1, node.start_mark.column + 1)
    return node


def _position(text: str, offset: int, loader_class: type) -> tuple[int, int]:
    """Line and column of a reader error's offset: libyaml counts UTF-8 bytes, PyYAML's own reader characters."""
    c_parser = getattr(getattr(yaml, "cyaml", None), "CParser", None)
    if c_parser is not None and issubclass(loader_class, c_parser):
        before = text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore")
    else:
        before = text[:offset]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


class _Converter:
    def __init__(self) -> None:
        self.marks = Marks()
        self.data = None  # the document, once converted
        self.values = self.marks.values
        self.count = 0
        self.duplicates: list[LoadProblem] = []
        self._scalar = yaml.constructor.SafeConstructor()

    def _spend(self, work: int, node: yaml.Node, path: tuple) -> None:
        """Count work against one budget: values built, merge keys applied, entries merged.

        Aliases are references in the node graph, so a 1 KB document can ask
        for exponential work: '<<: [*a, *a]' over empty mappings builds no
        value at all, yet doubles at each level. Every merge operation and
        every entry it copies is counted, so the work stays proportional to
        MAX_NODES however the document is built.
        """
        self.count += work
        if self.count > MAX_NODES:
            raise LoadProblem("yaml/too-large", f"document expands to more than {MAX_NODES:,} values "
                              f"(aliases or merge keys that multiply: an alias bomb?)",
                              node.start_mark.line + 1, node.start_mark.column + 1, path)

    def convert(self, node: yaml.Node, path: tuple, depth: int = 0):
        self._spend(1, node, path)
        if depth > MAX_DEPTH:
            raise LoadProblem("yaml/too-deep", f"document nests deeper than {MAX_DEPTH} levels",
                              node.start_mark.line + 1, node.start_mark.column + 1, path)
        self.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self._convert_scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            child = self._child
            return [child(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._convert_mapping(node, path, depth)

    def _child(self, node: yaml.Node, path: tuple, depth: int):
        """``convert``, with most values (plain strings within the limits) taken in a few steps."""
        if node.__class__ is yaml.ScalarNode and node.tag == _STR and self.count < MAX_NODES and depth <= MAX_DEPTH:
            self.count += 1
            mark = node.start_mark
            self.values.setdefault(path, (mark.line + 1, mark.column + 1))
            return node.value
        return self.convert(node, path, depth)

    def _convert_scalar(self, node: yaml.ScalarNode, path: tuple):
        if node.tag == _STR:  # most values: no constructor needed
            return node.value
        if node.tag == _TIMESTAMP:
            return node.value  # keep dates as written; the schema wants strings
        if node.tag not in _SCALAR_TAGS:
            raise LoadProblem("yaml/tag", f"unsupported YAML tag {node.tag!r}",
                              node.start_mark.line + 1, node.start_mark.column + 1, path)
        if node.tag == _INT and len(node.value) > _MAX_INT_LITERAL:
            # Checked before converting: Python refuses to convert more than
            # 4,300 decimal digits (ValueError), and hex has no such limit.
            raise _number(node, path, f"a whole number {len(node.value):,} characters long")
        value = self._scalar.construct_object(node)
        if node.tag == _INT and not -MAX_INT <= value <= MAX_INT:
            raise _number(node, path, "a whole number beyond 64 bits")
        if node.tag == _FLOAT and not math.isfinite(value):
            raise _number(node, path, f"{node.value!r}, a number that is not finite (JSON and CloudFormation have none)")
        return value

    def _convert_mapping(self, node: yaml.MappingNode, path: tuple, depth: int) -> dict:
        result: dict = {}
        seen: dict = {}
        merged: dict = {}
        keys, values, inner = self.marks.keys, self.values, depth + 1
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                source = self._merge_source(value_node, path, depth)
                self._spend(1 + len(source), key_node, path)
                merged.update(source)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise LoadProblem("yaml/key", "mapping keys must be plain strings",
                                  key_node.start_mark.line + 1, key_node.start_mark.column + 1, path)
            key = key_node.value if key_node.tag == _STR else self._convert_scalar(key_node, path)
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            mark = key_node.start_mark
            position = (mark.line + 1, mark.column + 1)
            if key in seen:  # collected, not raised: report every duplicate at once
                self.duplicates.append(LoadProblem(
                    "yaml/duplicate-key", f"duplicate key '{key}' (first defined at line {seen[key][0]})",
                    position[0], position[1], path + (key,)))
                continue
            seen[key] = position
            child = path + (key,)
            keys[child] = position
            # _child's plain-string case inline: most values of a catalogue are one
            if value_node.__class__ is yaml.ScalarNode and value_node.tag == _STR and self.count < MAX_NODES and inner <= MAX_DEPTH:
                self.count += 1
                mark = value_node.start_mark
                values.setdefault(child, (mark.line + 1, mark.column + 1))
                result[key] = value_node.value
            else:
                result[key] = self.convert(value_node, child, inner)
        self._spend(len(merged), node, path)
        for key, value in merged.items():
            result.setdefault(key, value)  # explicit keys win over merged ones
        return result

    def _merge_source(self, node: yaml.Node, path: tuple, depth: int) -> dict:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        out: dict = {}
        for source in reversed(sources):  # earlier sources win, as in YAML 1.1
            if not isinstance(source, yaml.MappingNode):
                raise LoadProblem("yaml/merge", "a merge key (<<) takes a mapping or a list of mappings",
                                  source.start_mark.line + 1, source.start_mark.column + 1, path)
            self._spend(1, source, path)  # a source over an empty mapping builds nothing, but costs a visit
            converted = self._convert_mapping(source, path, depth + 1)
            self._spend(len(converted), source, path)
            out.update(converted)
        return out


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return "string or number" if isinstance(node, yaml.ScalarNode) else "mapping"


class _NotPlain(Exception):
    """The document has something only the walk with positions handles, or reports."""


def _plain(root: yaml.Node):
    """``_Converter().convert(root, ())``'s data for a document it converts without a problem, or ``_NotPlain``.

    The same walk and the same values, without positions: a merge key, a key
    that is not a plain string, a duplicate key, a value ``_convert_scalar``
    refuses, or more than MAX_NODES values or MAX_DEPTH levels give up.
    """
    scalar_node, sequence_node = yaml.ScalarNode, yaml.SequenceNode
    convert_scalar = _Converter()._convert_scalar
    count = 0

    def walk(node: yaml.Node, depth: int):
        nonlocal count
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            raise _NotPlain
        if node.__class__ is scalar_node:
            if node.tag == _STR:
                return node.value
            try:
                return convert_scalar(node, ())
            except LoadProblem:
                raise _NotPlain from None
        inner = depth + 1
        if node.__class__ is sequence_node:
            return [walk(item, inner) for item in node.value]
        if node.value and inner > MAX_DEPTH:
            raise _NotPlain
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not scalar_node or key_node.tag != _STR or key_node.value in result:
                raise _NotPlain  # merge keys have a tag of their own
            if value_node.__class__ is scalar_node and value_node.tag == _STR:
                count += 1
                result[key_node.value] = value_node.value
            else:
                result[key_node.value] = walk(value_node, inner)
        return result

    data = walk(root, 0)
    if count > MAX_NODES:
        raise _NotPlain
    return data


def _converted(node: yaml.Node) -> _Converter:
    converter = _Converter()
    try:
        converter.data = converter.convert(node, ())
    except RecursionError:
        raise LoadProblem("yaml/too-deep", f"document nests deeper than {MAX_DEPTH} levels") from None
    return converter


def load(path: str | os.PathLike) -> tuple[dict, Marks, list[LoadProblem]]:
    """Read ``path`` as YAML: plain data, the position of every value, duplicate keys.

    Anything that stops reading raises ``LoadProblem``; duplicate keys do not
    stop it (the first one is kept) so that all of them are reported together.
    """
    return load_text(decode(read_bytes(path)))


def load_text(text: str) -> tuple[dict, Marks, list[LoadProblem]]:
    """``load`` of a file's decoded text."""
    node = compose(text)
    try:
        return _plain(node), LazyMarks(lambda: marks_of(text)), []
    except (_NotPlain, RecursionError):
        pass
    converter = _converted(node)
    return converter.data, converter.marks, converter.duplicates


def marks_of(text: str) -> Marks:
    """The position of every value and key of a document ``load_text`` read without them."""
    return _converted(compose(text)).marks
