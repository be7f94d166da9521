"""The block reader (generator/loader/block_yaml.py) answers as PyYAML's path does, or leaves the document to it.

Its promise is one-sided: for any text, ``block_yaml.read`` returns None
or exactly the data ``yaml_source.load_text`` returns (and then the latter
finds no duplicate key and raises nothing). Every test here checks that
promise over some family of documents; the others check that the fast path
is taken where it should be (a catalogue as the toolkit writes or the user
writes it), since a reader that always says None keeps the promise too.
"""

from __future__ import annotations

import string

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.loader import block_yaml, document, yaml_source
from generator.loader.problem import MAX_DEPTH, LoadProblem

from .conftest import CONFIGS, ROOT, benchmark_catalogues

VALID = sorted(CONFIGS.glob("valid/*.yaml"))


def pyyaml(text: str):
    """(data, duplicates) by PyYAML's path, or the LoadProblem it raises."""
    try:
        data, _, duplicates = yaml_source.load_text(text)
    except LoadProblem as problem:
        return problem
    return data, duplicates


def same_or_refused(text: str) -> bool:
    """The promise, for one text: True when the block reader read it (and agreed)."""
    fast = block_yaml.read(text)
    if fast is None:
        return False
    slow = pyyaml(text)
    assert not isinstance(slow, LoadProblem), f"the block reader read what PyYAML refuses ({slow.message}):\n{text}"
    data, duplicates = slow
    assert not duplicates, text
    assert repr(fast) == repr(data), text  # repr: True and 1, 1 and 1.0 differ
    return True


FILES = sorted([*CONFIGS.glob("*/*.yaml"), ROOT / "config" / "portfolios.yaml"])


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_is_read_alike_or_left_to_pyyaml(path):
    same_or_refused(path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff"))


@pytest.mark.parametrize("shape", ["cdk", "synthetic"])
def test_the_benchmark_catalogues_take_the_fast_path(tmp_path, shape):
    benchmark_catalogues().write(300, str(tmp_path / "c.yaml"), shape=shape)
    assert same_or_refused((tmp_path / "c.yaml").read_text(encoding="utf-8"))


def test_document_load_gives_the_fast_path_lazy_marks_from_pyyaml(tmp_path):
    benchmark_catalogues().write(300, str(tmp_path / "c.yaml"), shape="cdk")
    data, marks, duplicates = document.load(tmp_path / "c.yaml")
    slow_data, slow_marks, _ = yaml_source.load(tmp_path / "c.yaml")
    assert data == slow_data and duplicates == []
    assert marks.values == slow_marks.values and marks.keys == slow_marks.keys


# Scalars that look like YAML 1.1's implicit types, or hold its indicators.
LOOKALIKES = ["", "~", "null", "Null", "NULL", "yes", "No", "on", "OFF", "y", "n", "true", "0", "-0", "+1", "007", "0x1F",
              "0b11", "1_000", "1:20", "1.5", ".5", "-.inf", ".NaN", "1e3", "2001-12-14", "2001-12-14 21:59:43.10 -5", "<<",
              "=", "!x", "&a", "*a", "%x", "@x", "`x", "|", ">", "- a", "-a", "? a", "a: b", "a:", "a #b", "a#b", "#a", "'",
              '"', "a'b", 'a"b', "[a]", "{a: 1}", "a, b", "Fn::If", "::", " a", "a ", "\\", "\u00a0", "\u00e9t\u00e9",
              "\U0001f600", str(2**63), str(-(2**63)), "9" * 90]
SCALARS = st.one_of(st.sampled_from(LOOKALIKES), st.text(string.ascii_letters + string.digits + " -_:#'\"./", max_size=10),
                    st.integers(-(2**70), 2**70), st.booleans(), st.none())
KEYS = st.one_of(st.sampled_from(LOOKALIKES), st.text(string.ascii_letters + "-_:. ", min_size=1, max_size=8))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
                    max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, DATA, min_size=1, max_size=5), st.sampled_from([2, 3, 4]), st.booleans())
def test_documents_pyyaml_writes_are_read_alike_or_left_to_it(data, indent, explicit_start):
    text = yaml.safe_dump(data, default_flow_style=False, indent=indent, allow_unicode=True, width=10**6,
                          explicit_start=explicit_start, sort_keys=False)
    same_or_refused(text)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, DATA, min_size=1, max_size=5), st.data())
def test_edited_documents_are_read_alike_or_left_to_pyyaml(data, draw):
    """A user's edit of a valid file: a line's indentation changed, a character typed, a line doubled or dropped."""
    lines = yaml.safe_dump(data, default_flow_style=False, allow_unicode=True, width=10**6, sort_keys=False).split("\n")
    for _ in range(draw.draw(st.integers(1, 3))):
        i = draw.draw(st.integers(0, len(lines) - 1))
        edit = draw.draw(st.sampled_from(["indent", "dedent", "type", "double", "drop", "comment"]))
        if edit == "indent":
            lines[i] = " " + lines[i]
        elif edit == "dedent":
            lines[i] = lines[i][1:]
        elif edit == "type":
            at = draw.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw.draw(st.sampled_from(list(":#-'\" ?&*![]{}|>\t\r\x85\x00\ufeff"))) + lines[i][at:]
        elif edit == "double":
            lines.insert(i, lines[i])
        elif edit == "drop":
            del lines[i]
        else:
            lines.insert(i, " " * draw.draw(st.integers(0, 6)) + "# a comment: - with [indicators]")
        if not lines:
            return
    same_or_refused("\n".join(lines))


def test_the_fast_path_reads_what_catalogues_are_made_of():
    text = """\
# a catalogue
version: 1
region: us-east-1   # a comment
accounts:
  tools: {id: '111111111111'}
"""
    assert block_yaml.read(text) is None  # a flow mapping: PyYAML's
    text = """\
version: 1
region: us-east-1   # a comment
'quoted key': "double"
list:
- a
-   b
- - nested
  - list
-
  # a comment between
- key: value
  other: 'it''s'
empty:
indented:
    - x
    - y: -1
      z: Fn::If
Fn::Sub: ${AWS::Region}
"""
    assert block_yaml.read(text) is None  # '-' alone, its item on the next line: left to PyYAML
    assert same_or_refused(text.replace("-\n  # a comment between\n", ""))
    assert block_yaml.read(text.replace("-\n  # a comment between\n", ""))["indented"][1] == {"y": -1, "z": "Fn::If"}


@pytest.mark.parametrize("path", [*VALID, ROOT / "config" / "portfolios.yaml"], ids=lambda p: p.name)
def test_a_valid_configuration_never_needs_its_positions(path):
    """Positions cost PyYAML's whole read: a check may look one up only for a message it writes (checks.finding.Where)."""
    from generator import config_loader
    from generator.loader.marks import LazyMarks

    marks = config_loader.load_config(path).marks
    if isinstance(marks, LazyMarks):  # the block reader read it
        assert "values" not in vars(marks), "a check looked positions up with nothing to report"


# Each text here once made the block reader answer otherwise than PyYAML's path; it must refuse them now.
# "... " at the start of a line ends the document in libyaml's scanner (YAML's document end marker,
# c-document-end; the yaml-test-suite's case 3HFZ, "Invalid content after document end marker"),
# so PyYAML reports a syntax error where the block reader read a key '... k'.
DIVERGENCES = [
    "... k: v\n",  # PyYAML: did not find expected node content; block_yaml said {'... k': 'v'}
    "a: 1\n... k: v\n",  # PyYAML: did not find expected <document start>; block_yaml said {'a': 1, '... k': 'v'}
    "a: 1\n... k:\n",  # the same, with an empty value
    "k:\n  ... k: 1\n... k: 2\n",  # a key the reader met first where it is legal (its cache knows no columns)
]


@pytest.mark.parametrize("text", DIVERGENCES)
def test_what_once_diverged_is_left_to_pyyaml(text):
    assert block_yaml.read(text) is None
    assert not same_or_refused(text)


# Lines of a megabyte that made the reader's line pattern repeat a group per character (one of
# 'a:a:a...' took 0.4 s; 5 MB, a file's limit, 2 s): each must be answered in a few milliseconds,
# so a regression shows as a slow test. Most are refused; the last ones are long values, read.
MEGABYTE = 1 << 20
LONG_LINES = {
    "colon pairs": "a:" * (MEGABYTE // 2),
    "colon pairs then a value": "k" + ":a" * (MEGABYTE // 2) + ": v",
    "colon runs": ("a" + ":" * 999) * (MEGABYTE // 1000) + "a: v",
    "spaced colons": "a" + " :a" * (MEGABYTE // 3) + ": v",
    "quote pairs as a key": "'" + "''" * (MEGABYTE // 2) + ": v",
    "quotes as a value": "k: " + "'" * MEGABYTE,
    "a quoted value of quote pairs": "k: '" + "''" * (MEGABYTE // 2) + "'",
    "spaces before a colon": "'a'" + " " * MEGABYTE + ": v",
    "a long key": "k" * MEGABYTE + ": v",
    "a long value with colons": "k: " + "a:b " * (MEGABYTE // 4) + "c",
    "a long list item": "k:\n- " + "a:b" * (MEGABYTE // 3),
}


@pytest.mark.parametrize("text", LONG_LINES.values(), ids=LONG_LINES)
def test_a_long_line_is_answered_in_one_pass(text):
    same_or_refused(text)


# Plain scalars that start like a number: YAML 1.1's int, float and timestamp (PyYAML's resolver,
# yaml/resolver.py, after yaml.org/type/int.html, float.html and timestamp.html) against the
# reader's own pattern of them. The reader must never read a number or a date as a string.
NUMBER_LIKE = st.builds(lambda first, rest: first + rest, st.sampled_from("-+0123456789."),
                        st.text("0123456789-+._:eEbxaAfFTtZzInN ", max_size=14))


@settings(max_examples=300, deadline=None)
@given(NUMBER_LIKE)
def test_number_like_scalars_are_read_alike_or_left_to_pyyaml(scalar):
    for text in (f"k: {scalar}\n", f"{scalar}: v\n", f"k: [{scalar}]\n", f"k:\n- {scalar}\n"):
        same_or_refused(text)


# Every form of YAML 1.1's ints, floats and timestamps, near misses of each, signed and suffixed.
NUMBER_FORMS = ["0", "7", "07", "08", "0_7", "10", "1_000", "_1", "0b101", "0b", "0b2", "0x1F", "0xaf", "0xG", "0x_", "1:2", "1:20",
                "1:60", "1:2:3", "01:20", "1.", "1.5", "1.5e+3", "1.5E-3", "1.5e3", "1.5e+", ".5", "._5", "1_0.5", "1:20.5", "1:20.",
                ".inf", ".Inf", ".INF", ".iNf", ".nan", ".NaN", ".NAN", ".nAn", "inf", "2001-12-14", "2001-1-4", "200-12-14",
                "2001-123-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43Z", "2001-12-14 21:59:43.10 -5",
                "2001-12-14  21:59:43", "2001-12-14 1:59:43", "2001-12-14 21:59", "2001-12-14 21:59:43.", "2001-12-14 21:59:43 +05:30",
                "2001-12-14 21:59:43+5", "2001-12-14 21:59:43 Z", "2001-12-14 21:59:43 z", "2001-12-14 21:59:43 +5:3"]


@pytest.mark.parametrize("sign", ["", "-", "+"])
def test_every_form_of_number_and_date_is_read_alike_or_left_to_pyyaml(sign):
    for form in NUMBER_FORMS:
        for suffix in ("", "0", "x", ".0", "_", ":5", " a"):
            same_or_refused(f"k: {sign}{form}{suffix}\n")


# Strings that look like numbers to a glance but to no YAML 1.1 resolver (product versions above all),
# and dates, which yaml_source keeps as written.
NUMBER_LIKE_STRINGS = ["1.0.0", "1.2.3-rc.1", "2.0.0-beta", "1.2-rc", "1e3", "1.0e3", "+.5", "-.5", "09", "2024-01", "2024-1-1",
                       "10.0.0.0/16", "0.0.0.0/0", "1:60", "0x", "0b", "1_000 units", "12 monkeys", "2024-01-31",
                       "2024-01-31T12:00:00Z"]
WIDER = {"+.5", "-.5"}  # strings too, which the reader's wider pattern leaves to PyYAML


@pytest.mark.parametrize("scalar", NUMBER_LIKE_STRINGS)
def test_number_like_strings_take_the_fast_path(scalar):
    text = f"name: {scalar}\nversions:\n- {scalar}\n"
    assert same_or_refused(text) == (scalar not in WIDER), text


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
@pytest.mark.parametrize("indent", [2, 4])
def test_every_valid_catalogue_written_in_block_style_takes_the_fast_path(path, indent):
    """A valid fixture's data, as PyYAML writes it in block style: the shapes of a real catalogue."""
    data = yaml_source.load(path)[0]
    assert same_or_refused(yaml.safe_dump(data, default_flow_style=False, sort_keys=False, width=10**6,
                                          allow_unicode=True, indent=indent))


def outside_the_subset(text: str) -> set[str]:
    """What PyYAML's scanner finds in ``text`` that the block reader leaves to PyYAML by design (its docstring's list)."""
    found = set()
    tokens = list(yaml.scan(text, Loader=yaml.CSafeLoader))
    flows: list[int] = []  # the line each open flow collection starts on
    for token, following in zip(tokens, tokens[1:] + [None], strict=True):
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken, yaml.TagToken, yaml.DirectiveToken, yaml.DocumentStartToken,
                              yaml.DocumentEndToken)):
            found.add(type(token).__name__)
        elif isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
            if isinstance(token, yaml.FlowMappingStartToken) and not isinstance(following, yaml.FlowMappingEndToken):
                found.add("a flow mapping")
            if flows:
                found.add("a flow collection in another")
            flows.append(token.start_mark.line)
        elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
            if flows.pop() != token.start_mark.line:
                found.add("a flow collection on several lines")
        elif isinstance(token, yaml.ScalarToken) and (token.style in ("|", ">") or token.start_mark.line != token.end_mark.line):
            found.add("a scalar on several lines")
        elif isinstance(token, yaml.KeyToken) and text[token.start_mark.index] == "?":
            found.add("an explicit key")
        elif isinstance(token, (yaml.BlockEntryToken, yaml.ValueToken)) and isinstance(following, yaml.ScalarToken) \
                and following.start_mark.line != token.start_mark.line:
            found.add("a value on the line after its key or dash")
    return found


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_fixture_within_the_subset_takes_the_fast_path(path):
    text = path.read_text(encoding="utf-8")
    outside = outside_the_subset(text)
    assert same_or_refused(text) or outside, f"{path.name} is within the subset, yet the block reader left it to PyYAML"
    assert not (same_or_refused(text) and outside), f"{path.name} holds {outside}, yet the block reader read it"


# The corners of YAML 1.1 a line-by-line reader could get wrong, as libyaml 0.2.5 scans them: each
# text is read alike or refused. Found by reading libyaml's scanner against the reader, line by line.
CORNERS = {
    "document markers and directives": ["---\na: 1", "a: 1\n---", "a: 1\n...", "a: 1\n... ", "a: 1\n...\n", "... a: 1", "...a: 1",
                                        "....: 1", "k:\n  ... a: 1", "%YAML 1.1\n---\na: 1", "a: 1\n%x: 2", "--- a: 1"],
    "plain keys": ["a:: b", "a:b: c", "a :b: c", "a::: c", "http://x: y", "a'b: 1", 'a"b: 1', "a[b: 1", "a]b: 1", "a{: 1", "a}: 1",
                   "a,b: 1", "a&b: 1", "a!b: 1", "a|b: 1", "a>b: 1", "a%b: 1", "a@b: 1", "a`b: 1", "a*b: 1", "a?: 1", "a-: 1",
                   "a- b: 1", "a ? b: 1", "a - b: 1", "a#b: 1", "a #b: 1", "k : v", "k  : v", "a" + " " * 30 + ": b", "y: 1", "Y: 1",
                   "N: 1", "True: 1", "~: 1", "~a: 1", "null: 1", "<<: 1", "=: 1", ".a: 1", "1g: 1", "1a: 1", "1.0.0: 1",
                   "\xa0k: v", "a\xa0: b", "a\u3000: b", "\U0001f600: 1", "a" * 200 + ": 1", "a" * 201 + ": 1", "a" * 1100 + ": 1"],
    "quoted keys": ["'k': v", '"k": v', "'k' : v", '"a"   : b', '"a"' + " " * 17 + ": b", "'a''b': 1", "'': 1", '"": 1',
                    "'<<': 1", "'a'b: c", "'a'': c", "'a': 'b': c", "'" + "a" * 1030 + "': 1"],
    "duplicate keys": ["a: 1\na: 2", "'a': 1\na: 2", "'a': 1\n\"a\": 2", "a: 1\n'a ': 2", "a : 1\na: 2", "k:\n  a: 1\n  b: 2\n  a: 3"],
    "plain values": ["k:\xa0v", "k: \xa0", "k: v\xa0# c", "k: v \xa0# c", "a: b\u3000#c", "a: b \u3000#c", "k: v:", "k: v: ",
                     "k: a:b:c", "k: a:# c", "k: a : b", "k: a :", "k: v #", "k: v#", "k: v  #  c", "k: - a", "k: -a", "k: --",
                     "k: --- a", "k: ... a", "k: ?a", "k: ? a", "k: :a", "a: a,b", "a: a[b]", "a: a{b}", "a: a]", "a: a}", "a: a&b",
                     "a: a*b", "a: a!b", "a: a|b", "a: a>b", "a: a%b", "a: a@b", "a: a`b", "k: |", "k: >", "k: !x", "k: &a x",
                     "k: *a", "k: %x", "k: @x", "k: `x", "k: =", "k: <<", "k: ~ # c", "k: y", "k: n", "k: Yes", "k: yES", "k: oN",
                     "k: Off", "k: NuLL", "k: \U0001f600", "k: a\U0001f600: b", "k: " + "a" * 5000],
    "quoted values": ["a: 'b'#c", "k: 'a' \xa0# c", "k: 'a''b'", "k: 'a'''", "k: ''''", "k: '''", "k: 'a'' '", "a: '#'",
                      "a: 'b' # 'c'", "a: b #'c", "a: 'b'  ", 'a: "b"  ', "a: 'b':", 'a: "a\\"b"', 'a: "a\\nb"', "k: 'a' x"],
    "flow lists": ["a: [a, b,]", "a: [,]", "a: [a,,b]", "a: [ ]", "k: [a,\xa0b]", "k: [ 'a' ]", 'k: ["a"]', "k: [a]]", "k: [[a]]",
                   "k: []]", "k: [] # c", "k: []#c", "k: {} # c", "k: {}#c", "k: { }", "k: {a: 1}", "a: [a b, c  d]", "a: [a #b]",
                   "a: [a, b]#c", "a: [a, b] x", "a: [a'b]", 'a: [a"b]', "a: ['a'b]", "a: ['a' b]", "a: [a 'b']", "a: ['a,b']",
                   "a: [a?]", "a: [? a]", "a: [a-b]", "a: [-a]", "a: [a - b]", "a: [a&b]", "a: [&a]", "a: [a:b]", "a: [a: b]",
                   "a: [=]", "a: [<<]", "a: [~]", "k: [yes, No, ~, null, '~']", "k: [-0, +1, 0x1]", "k: [\U0001f600]",
                   "k: [" + ", ".join(["a"] * 3000) + "]"],
    "lists": ["k:\n- - - a", "k:\n- a\n -b", "k:\n  - a\n  -b", "k:\n- a\n  - b", "k:\n-   - a\n    - b", "k:\n- - a\n  - b",
              "k:\n- - a\n - b", "k:\n- - a\n  b: c", "k:\n- a: 1\n  - b", "k:\n- a:\n  - b", "k:\n- a:\n - b", "k:\n- a:\n- b",
              "k:\n- a\n-\n- b", "k:\n-  \n- b", "k:\n- # c\n  a: 1", "k:\n- ? a", "k:\n- :a", "k:\n- -a", "k:\n- - -a", "- a",
              "- a: 1", "k:\n  - a\n  j: 1", "k:\n- a\n j: 1", "k:\n  - a\n j: 1", "a:\n - b\n - c\n -d", "a:\n- b:\n  c: 1"],
    "indentation": ["  a: 1\n  b: 2", "  a: 1\n b: 2", "  a: 1\nb: 2", "  a:\n  - x\n  b: 1", "k:\n    a: 1\n  b: 2", "k: a\n  b",
                    "k: a\n  b: c", "k:\n  a\n", "a: 1\n  # c\nb: 2", "a:\n# c\n  b: 2", "k:\n  # c\n j: 1", "k: #c\n  j: 1",
                    "a: 1\n- b", "a: 1\n  - b", "a:\n  b: 1\n  - c", "a:\n  b:\n  - c\n  d: 1", "a:\n  b:\n  - c\n d: 1",
                    "a: 1\nb:\n\n\n  c: 2", "k: 'a\n  b'", 'k: "a\n  b"', "k: |-\n  a", "? a\n: 1", "{a: 1}", "[a]", "a", "a:",
                    "a: ", "# c", " ", "\n"],
    "characters": ["a: 1\r\nb: 2", "a: 1\rb: 2", "a: \x85", "a: b\u2028c", "a: b\u2029", "\ufeffa: 1", "a: \ufeff", "a: \ufffe",
                   "a: \uffff", "a: \ud800", "a: \x7f", "a: \x1b", "a: \x00", "a: \t", "a:\tb", "\ta: 1", "a: \U0010ffff",
                   "a: \U0001fffe", "a: \x0c"],
    "numbers": ["k: 9223372036854775807", "k: -9223372036854775807", "k: -9223372036854775808", "k: 9223372036854775808",
                "k: [9223372036854775808]", "k: " + "9" * 90, "k: 0", "k: -0", "k: +0", "k: 00", "k: 1__0", "k: 12:61",
                "k: 1 2", "k: .", "k: ..", "k: ...", "k: .inf", "k: -.INF", "k: .NaN", "k: NaN", "k: inf", "k: +", "k: +a"],
}


@pytest.mark.parametrize("texts", CORNERS.values(), ids=CORNERS)
def test_the_corners_of_yaml_are_read_alike_or_left_to_pyyaml(texts):
    for text in texts:
        same_or_refused(text)
        same_or_refused(text + "\n")


# YAML text written line by line, not by PyYAML: a tree of mappings and lists rendered in every way a
# person writes block YAML (lists at their key's indentation or deeper, "- - ", a list item's first
# key on the dash's line, spaces after a dash or before a colon, comments at any column, empty
# values), with keys and values from words rich in what YAML treats specially, then a line or two
# edited. Mostly catalogue words, so that a good part is read.
CATALOGUE_WORDS = ["a", "b", "name", "Fn::If", "x y", "arn:aws:iam::1:role/r", "1.0.0", "1", "true", "\u00e9t\u00e9", "'q'", "-x",
                   "a:b", "${AWS::Region}", "rate(15 minutes)"]
ODD_CHARACTERS = "ab -?:,[]{}#&*!|>'\"%@`.~=<+01_\\\u00a0\u00e9\u3000\U0001f600"
WORDS = st.one_of(st.sampled_from(CATALOGUE_WORDS), st.sampled_from(CATALOGUE_WORDS), st.sampled_from(LOOKALIKES[1:]),
                  st.text(ODD_CHARACTERS, min_size=1, max_size=6))
VALUES = st.one_of(WORDS, st.sampled_from(["[a, b]", "[]", "{}", "[a, 'b', 1]", "[ a ]", "[a,]", "['a,b']", "[a] # c"]))
TREES = st.recursive(VALUES | st.none(), lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WORDS, inner, max_size=3),
                     max_leaves=12)
ODD_LINES = ["---", "...", "... k: 1", "--- k: 1", "%YAML 1.1", "-", "- ", "? a", ": b", "#", "a", "[a]", "{a: 1}", "k: |", "  x"]


def _render(draw, node, column: int, lines: list[str]) -> None:
    """Block lines for a list or mapping at ``column``."""
    entries = [("-", value) for value in node] if isinstance(node, list) else [(key, value) for key, value in node.items()]
    for head, value in entries:
        if draw(st.integers(0, 9)) == 0:
            lines.append(" " * draw(st.integers(0, 8)) + "# " + draw(WORDS))
        pad = " " * column
        if head != "-":
            head += draw(st.sampled_from([":", ":", " :"]))
        if not isinstance(value, (list, dict)):
            lines.append(pad + head + ("" if value is None else " " + value) + draw(st.sampled_from(["", "", " ", " # c", "#c"])))
        elif not value:
            lines.append(pad + head + " " + ("[]" if isinstance(value, list) else "{}"))
        elif head == "-" and draw(st.booleans()):  # the item's first entry on the dash's line: "- k: v", "- - a"
            gap = draw(st.sampled_from([1, 1, 2]))
            inner: list[str] = []
            _render(draw, value, column + 1 + gap, inner)
            lines.append(pad + "-" + " " * gap + inner[0][column + 1 + gap:])
            lines.extend(inner[1:])
        else:
            lines.append(pad + head + draw(st.sampled_from(["", "", " # c"])))
            indentless = isinstance(value, list) and head != "-" and draw(st.booleans())
            _render(draw, value, column if indentless else column + draw(st.sampled_from([2, 1, 4])), lines)


@st.composite
def block_texts(draw) -> str:
    lines: list[str] = []
    _render(draw, draw(st.dictionaries(WORDS, TREES, min_size=1, max_size=4)), draw(st.sampled_from([0, 0, 2])), lines)
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["indent", "dedent", "type", "insert", "drop"]))
        if edit == "indent":
            lines[at] = " " + lines[at]
        elif edit == "dedent":
            lines[at] = lines[at][1:]
        elif edit == "type":
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:column] + draw(st.sampled_from(ODD_CHARACTERS)) + lines[at][column:]
        elif edit == "insert":
            lines.insert(at, draw(st.sampled_from(ODD_LINES)))
        elif len(lines) > 1:
            del lines[at]
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=200, deadline=None)
@given(block_texts())
def test_texts_written_line_by_line_are_read_alike_or_left_to_pyyaml(text):
    same_or_refused(text)


@settings(max_examples=100, deadline=None)
@given(block_texts(), st.sampled_from(["\r\n", "\r"]))
def test_windows_line_ends_are_read_as_line_ends_and_a_lone_carriage_return_is_left_to_pyyaml(text, end):
    # YAML 1.1: CR LF is one line break, as LF is; a CR alone is one too, which this reader does not split on.
    other = text.replace("\n", end)
    read = same_or_refused(other)
    assert read == ((end == "\r\n" or "\n" not in text) and block_yaml.read(text) is not None)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_with_windows_line_ends_is_read_as_with_unix_ones(path):
    text = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
    assert same_or_refused(text.replace("\n", "\r\n")) == (block_yaml.read(text) is not None)


# A catalogue's own values: names, ARNs, paths, versions, numbers, switches. Whatever their mix and
# nesting, PyYAML's block style of them is within the subset, and the reader must read it.
CATALOGUE_STRINGS = st.builds(str.__add__, st.sampled_from(string.ascii_letters + string.digits + "$"),
                              st.text(string.ascii_letters + string.digits + "-_./:@${}()* ", max_size=15))
CATALOGUE_DATA = st.recursive(st.one_of(CATALOGUE_STRINGS, st.integers(-(2**63) + 1, 2**63 - 1), st.booleans(), st.none()),
                              lambda inner: st.lists(inner, max_size=4) | st.dictionaries(CATALOGUE_STRINGS, inner, max_size=4),
                              max_leaves=20)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(CATALOGUE_STRINGS, CATALOGUE_DATA, min_size=1, max_size=5), st.sampled_from([2, 4]))
def test_catalogue_data_in_block_style_takes_the_fast_path(data, indent):
    text = yaml.safe_dump(data, default_flow_style=False, sort_keys=False, width=10**6, indent=indent)
    assert same_or_refused(text), text


# A catalogue as a person keeps it (the shipped config's way of writing, not its content): comments
# everywhere, at any column, holding indicators and commented-out flow mappings; quoted ids with a
# comment after them; lists indented under their key or not; one-line flow lists; ARNs, URLs, paths.
HAND_WRITTEN = """\
# yaml-language-server: $schema=portfolios.schema.json
#
#   python -m generator validate   checks it (schema and cross references)

# The version of this file's format.
version: 1
# stack_prefix: sc
region: us-east-1 # REPLACE with your home region

accounts:
  tools:
    id: "111111111111" # REPLACE: your tools (shared services) account
  stage:
    id: '222222222222'   # REPLACE
    deploy_role: CatalogueDeployer
  # qa:
  #   id: "444444444444" # REPLACE: your QA account
deploy:
  artifacts_bucket: my-catalogue-artifacts # REPLACE
  # artifacts_prefix: sc/      # default: the stack prefix and "/"
  #   organizational_units: [ou-ab12-cd34ef56] # REPLACE
tags:
  project: hotfix-gitflow
  managed-by: service-catalog-toolkit
tag_options:
  - key: cost-center
    values: [platform, applications]
principals:
  - name: platform-engineers
    type: IAM
    arn: arn:aws:iam::111111111111:role/PlatformEngineers # REPLACE
  - name: all-engineers
    type: IAM_PATTERN
    arn: arn:aws:iam:::role/Engineer*
portfolios:
  # Launched by the platform team once per application.
  - name: main-pipeline
    display_name: Main pipeline
    description: The pipeline that builds the main branch, then stage, approval and production.
    tag_options: [cost-center]
    principals: [platform-engineers, 'all-engineers']
    constraints:
      - product: main-pipeline
        launch:
          local_role_name: MainPipelineLaunchRole
      # - product: my-product
      #   template:                      # CloudFormation rules on the launch parameters
      #           - assert: {"Fn::Contains": [["t3.micro", "t3.small"], {"Ref": "InstanceType"}]}
      - product: main-pipeline
        tag_update: not_allowed
    share:
      accounts: []
      share_tag_options: true
products:
- name: main-pipeline
  owner: Platform team
  support:
    email: platform-team@example.com # REPLACE
    url: https://wiki.example.com/platform/pipelines?tab=1#top # REPLACE
  versions:
  -   name: 1.0.0
      active: true
      template:
        builtin: main-pipeline
  - name: v2.0-rc.1
    active: false
    template:
      file: templates/my-product.yaml
    parameters: {}
hotfix:
  reconcile_schedule: rate(15 minutes)
  # reserved_concurrency: true
  developers: [developers]
  repositories:
    - name: hotfixpoc-repository
      create: true
      branch_prefix: hotfix-
      merge_into: [main, develop]
      approval_notifications:
        - release-managers@example.com # REPLACE
      parameters:
        build_image: aws/codebuild/standard:7.0
        container:
          port: 80
          cpu: 256
          desired_count: 1
          command: echo "it's up" && exit 0
          subnet: 10.0.0.0/16
          expires: 2030-01-31
"""


def test_a_hand_written_catalogue_takes_the_fast_path():
    assert same_or_refused(HAND_WRITTEN)
    assert block_yaml.read(HAND_WRITTEN)["products"][0]["versions"][0] == {"name": "1.0.0", "active": True,
                                                                            "template": {"builtin": "main-pipeline"}}
    assert not outside_the_subset(HAND_WRITTEN)


# Documents of about as many values as PyYAML's path takes (problem.MAX_NODES: yaml_source counts the
# root and every value, not keys), built of each thing the reader counts. The limit is lowered in
# both readers alike, so that PyYAML's answer (yaml/too-large past it) is cheap to ask.
NODE_COUNTS = {
    "list items": lambda n: "k:\n" + "- a\n" * (n - 2),
    "keys": lambda n: "".join(f"k{i}: a\n" for i in range(n - 1)),
    "empty values": lambda n: "".join(f"k{i}:\n" for i in range(n - 1)),
    "flow list entries": lambda n: "k: [" + ", ".join(["a"] * (n - 2)) + "]\n",
    "empty mappings": lambda n: "k:\n" + "- {}\n" * (n - 2),
    "lists in lists": lambda n: "k:\n" + "- - a\n" * ((n - 2) // 2) + "- b\n" * (n % 2),
    "mappings in lists": lambda n: "k:\n" + "- a: b\n" * ((n - 2) // 2) + "- b\n" * (n % 2),
    "flow lists in lists": lambda n: "k:\n" + "- [a]\n" * ((n - 2) // 2) + "- b\n" * (n % 2),
}


@pytest.mark.parametrize("document", NODE_COUNTS.values(), ids=NODE_COUNTS)
def test_the_limit_of_values_is_kept_alike(document, monkeypatch):
    limit = 60
    monkeypatch.setattr(block_yaml, "MAX_NODES", limit)
    monkeypatch.setattr(yaml_source, "MAX_NODES", limit)
    assert [same_or_refused(document(n)) for n in (limit - 1, limit, limit + 1, limit + 2)] == [True, True, False, False]


# Nesting around problem.MAX_DEPTH, in each shape the reader opens a level by: mappings in mappings,
# lists in lists on one line, list items' mappings, lists under keys, and a flow list innermost.
def _nested(depth: int, shape: str) -> str:
    if shape == "mappings":
        return "".join(" " * i + "k:\n" for i in range(depth)) + " " * depth + "k: [a]\n"
    if shape == "dashes":
        return "k:\n" + "- " * depth + "[a]\n"
    if shape == "dashes then a key":
        return "k:\n" + "- " * depth + "k: [a]\n"
    if shape == "items":
        steps = depth // 2  # a list and its item's mapping a step
        return "k:\n" + "".join(" " * (2 * i) + "- k:\n" for i in range(steps)) + " " * (2 * steps) + "- [a]\n"
    lines, column = [], 0  # a list at its key's indentation, its item's mapping, a mapping under that: three levels a step
    for _ in range(0, depth, 3):
        lines += [" " * column + "k:", " " * column + "- j:"]
        column += 4
    return "\n".join(lines) + "\n" + " " * column + "k: {}\n"


@pytest.mark.parametrize("shape", ["mappings", "dashes", "dashes then a key", "items", "keys and items"])
def test_nesting_near_the_limit_is_read_alike_or_left_to_pyyaml(shape):
    read = [same_or_refused(_nested(depth, shape)) for depth in range(MAX_DEPTH - 8, MAX_DEPTH + 4)]
    assert read[0] and not read[-1], read
