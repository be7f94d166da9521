"""The catalogue as a picture: Mermaid for READMEs and pull requests, DOT for Graphviz.

Nodes: portfolios, products and their versions, principals, accounts that
receive shares, hotfix repositories. Edges: what holds, grants, constrains,
shares and provisions what. One model of nodes and edges, two renderings.
"""

from __future__ import annotations

from dataclasses import dataclass

from .core.model import Catalogue
from .core.naming import short_hash
from .printable import printable


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str  # portfolio, product, version, principal, account, repository, branch, tagoption, automation


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


def _id(kind: str, name: str) -> str:
    # Names may hold characters neither syntax allows in ids: a hash keeps ids plain and unique.
    return f"{kind[:3]}_{short_hash(kind + chr(0) + name, 10)}"


def model(cat: Catalogue) -> tuple[list[Node], list[Edge]]:
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []

    def node(kind: str, name: str, label: str) -> str:
        nid = _id(kind, name)
        nodes.setdefault(nid, Node(nid, label, kind))
        return nid

    for pf in sorted(cat.portfolios, key=lambda p: p.name):
        p = node("portfolio", pf.name, f"portfolio {pf.display_name}")
        for name in sorted(pf.products):
            product = cat.product(name)
            edges.append(Edge(p, node("product", name, f"product {product.display_name if product else name}"), "holds"))
        for name in sorted(pf.principals):
            principal = cat.principal(name)
            edges.append(Edge(node("principal", name, f"{principal.type} {name}"), p, "may launch from"))
        for c in sorted(pf.constraints, key=lambda c: (c.product, c.kind)):
            detail = {"launch": c.launch_role_arn or c.launch_local_role_name, "tag_update": c.tag_update,
                      "template": ", ".join(sorted(c.rules or {})), "notifications": f"{len(c.notifications)} topic(s)",
                      "stack_set": f"{len(c.stack_set.accounts)} account(s)" if c.stack_set else ""}[c.kind]
            edges.append(Edge(p, _id("product", c.product), f"{c.kind.replace('_', ' ')} constraint: {detail}"))
        for key in sorted(pf.tag_options):
            edges.append(Edge(p, node("tagoption", key, f"tag option {key}"), "offers"))
        for ref in sorted(pf.share.accounts):
            edges.append(Edge(p, node("account", cat.account_id(ref), f"account {ref} {cat.account_id(ref)}"), "shared with"))
    for product in sorted(cat.products, key=lambda p: p.name):
        pid = node("product", product.name, f"product {product.display_name}")
        for v in sorted(product.versions, key=lambda v: v.name):
            state = "active" if v.active else "inactive"
            vid = node("version", f"{product.name}/{v.name}", f"{v.name} ({state}, {v.template.kind} {v.template.value})")
            edges.append(Edge(pid, vid, "version"))
        for key in sorted(product.tag_options):
            edges.append(Edge(pid, node("tagoption", key, f"tag option {key}"), "offers"))
    if cat.hotfix:
        lam = node("automation", "branch-lifecycle", "branch-lifecycle Lambda")
        for repo in sorted(cat.hotfix.repositories, key=lambda r: r.name):
            rid = node("repository", repo.name, f"repository {repo.name}")
            edges.append(Edge(rid, lam, f"branches {repo.branch_prefix}* created or deleted"))
            edges.append(Edge(lam, _id("product", repo.product), f"provisions from portfolio {repo.portfolio}"))
            for target in sorted(repo.merge_into):
                edges.append(Edge(rid, node("branch", f"{repo.name}/{target}", f"branch {target}"), "hotfix pull request into"))
            for name in sorted(repo.approvers):
                edges.append(Edge(node("principal", name, f"{cat.principal(name).type} {name}"), rid, "approves production of"))
            for name in sorted(cat.hotfix.developers):
                edges.append(Edge(node("principal", name, f"{cat.principal(name).type} {name}"), rid,
                                  "guardrail: no launching, invoking or approving"))
        for portfolio in sorted({r.portfolio for r in cat.hotfix.repositories}):
            edges.append(Edge(lam, _id("portfolio", portfolio), "only principal of"))
    # Entries nothing references yet are still the config's (a tag option is still deployed): drawn alone.
    for principal in cat.principals:
        node("principal", principal.name, f"{principal.type} {principal.name}")
    for option in cat.tag_options:
        node("tagoption", option.key, f"tag option {option.key}")
    return sorted(nodes.values(), key=lambda n: (n.kind, n.id)), edges


# Mermaid's entity codes ('#60;', '#quot;': mermaid's own examples, test/examples/
# leadingComments.html) become HTML entities, so a label never opens a tag,
# ends its quotes or an edge's pipes, or starts a markdown string.
_MERMAID_ENTITIES = {ch: f"#{ord(ch)};" for ch in '#"<>&`|'}


def _mermaid_text(text: str) -> str:
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in printable(text))


SHAPES = {"portfolio": ('["', '"]'), "product": ('("', '")'), "version": ('(["', '"])'), "principal": ('[/"', '"/]'),
          "account": ('[("', '")]'), "repository": ('[["', '"]]'), "branch": ('>"', '"]'),
          "tagoption": ('[\\"', '"\\]'), "automation": ('{{"', '"}}')}


def mermaid(cat: Catalogue) -> str:
    nodes, edges = model(cat)
    lines = ["flowchart LR"]
    for n in nodes:
        left, right = SHAPES[n.kind]
        lines.append(f"    {n.id}{left}{_mermaid_text(n.label)}{right}")
    lines += [f'    {e.source} -->|"{_mermaid_text(e.label)}"| {e.target}' for e in edges]
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return printable(text).replace("\\", "\\\\").replace('"', '\\"')


DOT_SHAPES = {"portfolio": "box", "product": "ellipse", "version": "note", "principal": "parallelogram",
              "account": "cylinder", "repository": "folder", "branch": "cds", "tagoption": "tab",
              "automation": "hexagon"}


def dot(cat: Catalogue) -> str:
    nodes, edges = model(cat)
    lines = ["digraph catalogue {", "    rankdir=LR;", '    node [fontname="Helvetica"];']
    lines += [f'    {n.id} [label="{_dot_text(n.label)}", shape={DOT_SHAPES[n.kind]}];' for n in nodes]
    lines += [f'    {e.source} -> {e.target} [label="{_dot_text(e.label)}"];' for e in edges]
    return "\n".join(lines) + "\n}\n"


FORMATS = {"mermaid": mermaid, "dot": dot}
