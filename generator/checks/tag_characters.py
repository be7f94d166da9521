"""Tag and tag-option keys and values hold only characters Service Catalog takes.

botocore's Service Catalog model gives TagKey, TagValue, TagOptionKey and
TagOptionValue the pattern ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$: letters,
separators and numbers of any script, and _ . : / = + - @. The schema's
pattern refuses every other ASCII character (and every control or format
character); Python's 're' has no \\p{...}, so the Unicode categories are
checked here: a '€' or an emoji in a tag fails at deploy time otherwise.
"""

from __future__ import annotations

import unicodedata

from ..core.canonical import indexed
from .finding import Finding

CODE = "semantic/tag-characters"

_PUNCTUATION = set("_.:/=+-@")


def refused(text: str) -> str:
    """The first character Service Catalog refuses in a tag, or ''."""
    return next((ch for ch in text if ch not in _PUNCTUATION and unicodedata.category(ch)[0] not in "LZN"), "")


def _tags(owner_path: tuple, tags):
    for key, value in tags:
        yield owner_path + ("tags", key), key, "key", True
        yield owner_path + ("tags", key), value, "value", False


def check(cat, ctx):
    places = list(_tags((), cat.tags))
    for entry in (*cat.portfolios, *cat.products):
        places += _tags(entry.path, entry.tags)
    for option in cat.tag_options:
        places.append((option.path + ("key",), option.key, "tag option key", False))
        places += [(option.path + ("values", i), value, "tag option value", False) for i, value in indexed(option.values)]
    for path, text, what, at_key in places:
        if ch := refused(text):
            yield Finding(path, f"tag {what} '{text}' holds '{ch}' (U+{ord(ch):04X}), which "
                                f"Service Catalog refuses: tags take letters, numbers, spaces and _ . : / = + - @", at_key=at_key)
