"""Write a synthetic catalogue of N products, for benchmarks and the sharding fixture.

Two shapes, both in portfolios of 50:

- ``synthetic``: each product has two versions, a launch constraint, a
  template rule and tag options, as the compiler issue asks;
- ``cdk``: the catalogue AWS CDK's aws-servicecatalog module is compared on
  (benchmarks/cdk_app.py builds the same one): each product has one version
  from a URL and a launch constraint with a role ARN; each portfolio one
  principal and the two tag options (one key, two values).

Usage: python benchmarks/synthetic.py N OUT.yaml [PER_PORTFOLIO] [--shape cdk]
"""

from __future__ import annotations

import sys

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


LAUNCH_ROLE = "arn:aws:iam::111111111111:role/CatalogueLaunchRole"
PRINCIPAL = "arn:aws:iam::111111111111:role/Engineers"
TEMPLATE_URL = "https://templates.example.com/{name}/v1.yaml"


def cdk_catalogue(n: int, per_portfolio: int = PER_PORTFOLIO) -> dict:
    """The CDK comparison's catalogue; benchmarks/cdk_app.py must build the same one."""
    products = [{
        "name": f"product-{i:05d}",
        "owner": "Platform",
        "description": f"Product number {i}.",
        "versions": [{"name": "v1", "description": "first", "template": {"url": TEMPLATE_URL.format(name=f"product-{i:05d}")}}],
    } for i in range(n)]
    portfolios = []
    for start in range(0, n, per_portfolio):
        names = [p["name"] for p in products[start:start + per_portfolio]]
        idx = start // per_portfolio
        portfolios.append({
            "name": f"portfolio-{idx:04d}", "display_name": f"Portfolio {idx}", "provider": "Platform",
            "principals": ["engineers"], "tag_options": ["cost-center"], "products": names,
            "constraints": [{"product": name, "launch": {"role_arn": LAUNCH_ROLE}} for name in names],
        })
    return {
        "version": 1,
        "region": "us-east-1",
        "accounts": {"tools": {"id": "111111111111"}, "stage": {"id": "222222222222"}, "prod": {"id": "333333333333"}},
        "tag_options": [{"key": "cost-center", "values": ["a", "b"]}],
        "principals": [{"name": "engineers", "type": "IAM", "arn": PRINCIPAL}],
        "portfolios": portfolios,
        "products": products,
    }


SHAPES = {"synthetic": catalogue, "cdk": cdk_catalogue}


def write(n: int, path: str, per_portfolio: int = PER_PORTFOLIO, shape: str = "synthetic") -> None:
    import yaml  # here: benchmarks/cdk_app.py imports this module in a virtual environment without PyYAML

    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"# {shape.capitalize()} catalogue of {n} products, written by benchmarks/synthetic.py.\n")
        yaml.safe_dump(SHAPES[shape](n, per_portfolio), fh, sort_keys=False, width=200)


if __name__ == "__main__":
    argv = sys.argv[1:]
    shape = "synthetic"
    if "--shape" in argv:
        i = argv.index("--shape")
        shape = argv[i + 1]
        del argv[i:i + 2]
    if len(argv) not in (2, 3) or shape not in SHAPES:
        sys.exit(__doc__)
    write(int(argv[0]), argv[1], *(int(a) for a in argv[2:]), shape=shape)
