"""AWS partitions and their regions, as botocore knows them.

botocore ships the list AWS publishes for its SDKs: data/partitions.json
(newer releases; small) or data/endpoints.json (every release; 1 MB), each
naming partitions ('aws', 'aws-cn', 'aws-us-gov', ...), their region-name
pattern and their regions. The file is found without importing botocore,
and read once. The toolkit supports the 'aws' partition only: its templates
write 'arn:aws:' in rules, key policies and trust (see docs/security.md).
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SUPPORTED = "aws"


@dataclass(frozen=True)
class Partition:
    """An AWS partition (aws, aws-cn...) and its regions, as botocore lists them."""

    id: str
    pattern: str
    regions: dict[str, str]  # name -> description


@dataclass(frozen=True)
class Partitions:
    """Every partition botocore knows, and the file they were read from."""

    source: str  # the file read, for messages
    partitions: tuple[Partition, ...]

    def of_region(self, region: str) -> Partition | None:
        """The partition that lists ``region``, or whose region pattern it matches."""
        return next((p for p in self.partitions if region in p.regions), None) or \
            next((p for p in self.partitions if re.match(p.pattern, region)), None)

    def known(self, region: str) -> bool:
        return any(region in p.regions for p in self.partitions)

    def ids(self) -> set[str]:
        return {p.id for p in self.partitions}


def _botocore_data() -> Path | None:
    spec = importlib.util.find_spec("botocore")
    return Path(spec.origin).parent / "data" if spec and spec.origin else None


@lru_cache(maxsize=1)
def partitions() -> Partitions | None:
    """The partitions botocore lists; None when botocore is not installed."""
    data = _botocore_data()
    if data is None:
        return None
    if (data / "partitions.json").is_file():
        doc = json.loads((data / "partitions.json").read_text(encoding="utf-8"))
        entries = [(p["id"], p["regionRegex"], p["regions"]) for p in doc["partitions"]]
        source = data / "partitions.json"
    else:
        doc = json.loads((data / "endpoints.json").read_text(encoding="utf-8"))
        entries = [(p["partition"], p["regionRegex"], p["regions"]) for p in doc["partitions"]]
        source = data / "endpoints.json"
    # Pseudo-regions such as 'aws-global' name endpoints, not places: keep what the pattern admits.
    return Partitions(str(source), tuple(
        Partition(pid, pattern, {name: info.get("description", "") for name, info in regions.items() if re.match(pattern, name)})
        for pid, pattern, regions in entries))


def botocore_version() -> str:
    try:
        from importlib.metadata import version

        return version("botocore")
    except Exception:  # only for a message
        return "unknown"
