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
from generator.loader.problem import LoadProblem

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
    with pytest.raises(AssertionError):  # '-' alone then a value on the next line: refused, so same_or_refused is False
        assert same_or_refused(text)
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
# "... " at the start of a line ends the document in libyaml's scanner (the YAML 1.1 spec's
# document end marker, l-document-suffix), so PyYAML reports a syntax error where the block
# reader read a key '... k'.
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
WIDER = {"09", "+.5", "-.5"}  # strings too, which the reader's wider pattern leaves to PyYAML


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
