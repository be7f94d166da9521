"""Write a synthetic catalogue of N products, for benchmarks and the sharding fixture.

Products are spread over portfolios of 50; each has two versions, a launch
constraint, a template rule and tag options, as the compiler issue asks.

Usage: python benchmarks/synthetic.py N OUT.yaml
"""

from __future__ import annotations

import sys

import yaml

PER_PORTFOLIO = 50


def catalogue(n: int, per_portfolio: int = PER_PORTFOLIO) -> dict:
    products, portfolios = [], []
    for i in range(n):
        name = f"product-{i:05d}"
        products.append({
            "name": name,
            "owner": "Platform",
            "description": f"Synthetic product number {i}.",
            "tag_options": ["tier"],
            "versions": [
                {"name": "v1", "description": "first", "active": False, "template": {"url": f"https://templates.example.com/{name}/v1.yaml"}},
                {"name": "v2", "description": "second", "template": {"url": f"https://templates.example.com/{name}/v2.yaml"}},
            ],
        })
    for start in range(0, n, per_portfolio):
        names = [p["name"] for p in products[start:start + per_portfolio]]
        idx = start // per_portfolio
        constraints = []
        for name in names:
            constraints.append({"product": name, "launch": {"local_role_name": "SyntheticLaunchRole"}})
            constraints.append({"product": name, "template": {"rules": {"SmallOnly": {"assertions": [{
                "assert": {"Fn::Contains": [["small", "medium"], {"Ref": "Size"}]},
                "description": "Only small and medium sizes"}]}}}})
        portfolios.append({
            "name": f"portfolio-{idx:04d}", "display_name": f"Portfolio {idx}", "provider": "Platform",
            "principals": ["engineers"], "tag_options": ["cost-center"], "products": names, "constraints": constraints,
        })
    return {
        "version": 1,
        "region": "us-east-1",
        "accounts": {"tools": {"id": "111111111111"}, "stage": {"id": "222222222222"}, "prod": {"id": "333333333333"}},
        "tag_options": [{"key": "cost-center", "values": ["a", "b"]}, {"key": "tier", "values": ["gold", "silver", "bronze"]}],
        "principals": [{"name": "engineers", "type": "IAM_PATTERN", "arn": "arn:aws:iam:::role/Engineers*"}],
        "portfolios": portfolios,
        "products": products,
    }


def write(n: int, path: str, per_portfolio: int = PER_PORTFOLIO) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"# Synthetic catalogue of {n} products, written by benchmarks/synthetic.py.\n")
        yaml.safe_dump(catalogue(n, per_portfolio), fh, sort_keys=False, width=200)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    write(int(sys.argv[1]), sys.argv[2], *(int(a) for a in sys.argv[3:]))
