"""The three Lambdas of a catalogue wired to the in-memory AWS of tests/fakeaws.py.

Each function gets its own clients, calling as its own principal, so that
the fakes can hold each role to what its policy allows (the lifecycle role
reaches only the provisioned products it launched) and the record of calls
says who made each.
"""

from __future__ import annotations

import copy
import io
import json
from contextlib import redirect_stdout
from dataclasses import dataclass
from types import SimpleNamespace

from generator.compiler import builtin
from generator.config_loader import load_config
from generator.core.model import Catalogue
from generator.core.naming import function_name, short_hash
from generator.core.parse import canonical, catalogue_from_dict
from generator.hotfix import provisioning, runner
from generator.hotfix.clients import Clients
from generator.hotfix.decide import newest_active_version

from .conftest import CONFIGS
from .fakeaws import CatalogProduct, CodeCommit, CodePipeline, Lambda, ServiceCatalog, World, client

RUNTIME_CONFIG = CONFIGS / "valid" / "hotfix-runtime.yaml"
LIFECYCLE, PULL_REQUESTS, RECONCILER, PERSON = "lifecycle", "pull-requests", "reconciler", "person"
HANDLERS = {LIFECYCLE: runner.branch_lifecycle, PULL_REQUESTS: runner.pull_request_job, RECONCILER: runner.scheduled}
CONTEXT = SimpleNamespace(aws_request_id="req-fake", function_name="fake")


def catalogue(path=RUNTIME_CONFIG) -> Catalogue:
    """The model the Lambdas read: the canonical compiled form of the config."""
    return catalogue_from_dict(canonical(load_config(path).data))


def builtin_template(cat: Catalogue, product_name: str) -> dict | None:
    product = cat.product(product_name)
    version = next(v for v in product.versions if v.name == newest_active_version(product))
    if version.template.kind != "builtin":
        return None
    return builtin.template(version.template.value, cat).to_dict()


def catalog_products(cat: Catalogue) -> list[CatalogProduct]:
    """Service Catalog's view of the catalogue: ids, versions, launch paths, who may launch, parameter patterns."""
    hotfix_products = {r.product for r in cat.hotfix.repositories} if cat.hotfix else set()
    out = []
    for product in cat.products:
        template = builtin_template(cat, product.name) or {}
        out.append(CatalogProduct(
            id=f"prod-{short_hash(product.name, 12)}", name=product.display_name,
            artifacts={f"pa-{short_hash(product.name + v.name, 12)}": v.name for v in product.versions},
            paths={f"lpv3-{short_hash(p.name, 12)}": p.display_name for p in cat.portfolios if product.name in p.products},
            launchers=frozenset({LIFECYCLE} if product.name in hotfix_products else {PERSON}),
            parameter_patterns={k: v["AllowedPattern"] for k, v in template.get("Parameters", {}).items() if "AllowedPattern" in v}))
    return out


class OnlyThese(Clients):
    """A function's clients, and no others: a call to another service fails instead of reaching for AWS."""

    def __getattr__(self, service: str):
        if service.startswith("_") or service not in self._clients:
            raise AttributeError(f"this function has no {service} client: its role may not call that service")
        return self._clients[service]


@dataclass
class Environment:
    cat: Catalogue
    world: World
    codecommit: CodeCommit
    servicecatalog: ServiceCatalog
    codepipeline: CodePipeline
    lambda_: Lambda
    clients: dict[str, Clients]

    def invoke(self, function: str, payload) -> dict:
        """One Lambda invocation with the real handler code; its log lines are swallowed."""
        with redirect_stdout(io.StringIO()):
            return HANDLERS[function](copy.deepcopy(payload), CONTEXT, self.cat, self.clients[function])

    def sent_to_lifecycle(self) -> list[dict]:
        """The reconciler's asynchronous invocations since the last look."""
        out = [json.loads(payload) for _, payload in self.lambda_.queue]
        self.lambda_.queue.clear()
        return out


def environment(cat: Catalogue, world: World | None = None, *, error_rate: float = 0.0) -> Environment:
    world = world or World()
    provisioning._targets.clear()  # ids are per container, and this is a new account
    cc = CodeCommit(world, [r.name for r in cat.hotfix.repositories])
    sc = ServiceCatalog(world, catalog_products(cat), role_level={LIFECYCLE}, error_rate=error_rate)
    cp = CodePipeline(world, function_name(cat.stack_prefix, "pull-requests"))
    lam = Lambda(world, {function_name(cat.stack_prefix, "branch-lifecycle")})

    def make(principal: str, **services) -> Clients:
        return OnlyThese(**{attr: client(service, backend, principal, world) for attr, (service, backend) in services.items()})

    clients = {
        LIFECYCLE: make(LIFECYCLE, servicecatalog=("servicecatalog", sc), codecommit=("codecommit", cc)),
        PULL_REQUESTS: make(PULL_REQUESTS, codecommit=("codecommit", cc), codepipeline=("codepipeline", cp)),
        RECONCILER: make(RECONCILER, codecommit=("codecommit", cc), servicecatalog=("servicecatalog", sc),
                         lambda_=("lambda", lam)),
    }
    return Environment(cat, world, cc, sc, cp, lam, clients)
