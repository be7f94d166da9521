"""AWS CDK's synth of the catalogue benchmarks/synthetic.py calls "cdk": the comparison in build_scale.py.

Usage (in a virtual environment with aws-cdk-lib; node must be on PATH):
    python benchmarks/cdk_app.py N OUTDIR

Builds from the same dictionary the toolkit's YAML is written from: per
portfolio a Portfolio, a principal (giveAccessToRole), the shared tag
options (associateTagOptions), and per product a CloudFormationProduct with
one version from a URL (CloudFormationTemplate.fromUrl), its association
(addProduct) and a launch constraint (setLaunchRole). One stack per
portfolio keeps each under CloudFormation's 500 resources, as the toolkit's
sharding does; the tag options get a stack of their own, referenced across
stacks, as the toolkit's sc-tag-options.

At exit it writes '@@peak-kb N' to stderr: its own peak resident memory plus
that of its children (the jsii kernel, a node process), read from /proc
while they still run.
"""

from __future__ import annotations

import atexit
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from synthetic import cdk_catalogue


def _peak_kb(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0


def _descendants(pid: str) -> list[str]:
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                children = fh.read().split()
        except OSError:
            continue
        for child in children:
            out += [child, *_descendants(child)]
    return out


def _report() -> None:
    me = str(os.getpid())
    sys.stderr.write(f"\n@@peak-kb {sum(_peak_kb(p) for p in [me, *_descendants(me)])}\n")


def main(n: int, outdir: str) -> None:
    import aws_cdk as cdk
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_servicecatalog as sc

    atexit.register(_report)  # after jsii's own exit handler, so it runs first, while node still runs
    data = cdk_catalogue(n)
    products = {p["name"]: p for p in data["products"]}
    app = cdk.App(outdir=outdir)
    env = cdk.Environment(account=data["accounts"]["tools"]["id"], region=data["region"])
    tag_stack = cdk.Stack(app, "sc-tag-options", env=env)
    tag_options = sc.TagOptions(tag_stack, "TagOptions", allowed_values_for_tags={
        o["key"]: o["values"] for o in data["tag_options"]})
    principal_arn = data["principals"][0]["arn"]
    for pf in data["portfolios"]:
        stack = cdk.Stack(app, f"sc-portfolio-{pf['name']}", env=env)
        portfolio = sc.Portfolio(stack, "Portfolio", display_name=pf["display_name"], provider_name=pf["provider"])
        portfolio.give_access_to_role(iam.Role.from_role_arn(stack, "Principal", principal_arn))
        portfolio.associate_tag_options(tag_options)
        launch_roles = {}
        for name in pf["products"]:
            product = products[name]
            version = product["versions"][0]
            cfn = sc.CloudFormationProduct(
                stack, name, product_name=name, owner=product["owner"], description=product["description"],
                product_versions=[sc.CloudFormationProductVersion(
                    product_version_name=version["name"], description=version["description"],
                    cloud_formation_template=sc.CloudFormationTemplate.from_url(version["template"]["url"]))])
            portfolio.add_product(cfn)
            arn = next(c["launch"]["role_arn"] for c in pf["constraints"] if c["product"] == name)
            if arn not in launch_roles:
                launch_roles[arn] = iam.Role.from_role_arn(stack, f"LaunchRole{len(launch_roles)}", arn)
            portfolio.set_launch_role(cfn, launch_roles[arn])
    app.synth()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(int(sys.argv[1]), sys.argv[2])
