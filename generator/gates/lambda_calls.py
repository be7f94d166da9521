"""Which AWS calls each Lambda makes: found by reading its bundled code, not by a list someone keeps.

The bundle's ``handler.py`` names the runner function it serves; from
there the calls are followed through ``generator/hotfix`` (functions,
imported modules), tracking which names hold which boto3 client: an
attribute of the ``Clients`` object (``clients.servicecatalog``), a local
assigned from one, or a parameter that a caller passed one into. A method
called on a client is a botocore operation when the service's model has
it (botocore's service models, ``service-2.json``).
"""

from __future__ import annotations

import ast
import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache

CLIENTS = "clients"


@dataclass(frozen=True)
class Call:
    service: str  # boto3 client name: servicecatalog, codecommit, codepipeline, lambda
    operation: str  # botocore operation name, e.g. DescribeProduct
    module: str
    line: int
    access_level: str = ""  # AccessLevelFilter's Key when the call passes a literal one


def _service(node) -> str | None:
    """``clients.lambda_`` -> ``lambda`` (the Clients naming convention, generator/hotfix/clients.py)."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == CLIENTS:
        return node.attr.rstrip("_").replace("_", "-")
    return None


@lru_cache(maxsize=16)
def operations(service: str) -> dict[str, str]:
    """snake_case method name -> operation name, from botocore's model of the service."""
    import botocore.session
    from botocore import xform_name

    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(op): op for op in model.operation_names}


class _Module:
    def __init__(self, name: str, tree: ast.Module):
        self.name = name
        self.functions = {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.imports: dict[str, tuple[str, str | None]] = {}  # local name -> (module, function or None)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= 1 and (node.module or "") in ("", *self._siblings(node)):
                for alias in node.names:
                    target = alias.name if not node.module else node.module
                    self.imports[alias.asname or alias.name] = (target, None if not node.module else alias.name)

    @staticmethod
    def _siblings(node) -> tuple:
        return (node.module,) if node.module and "." not in node.module else ()


def _callee(mod: _Module, func) -> tuple[str, str] | None:
    if isinstance(func, ast.Name):
        if func.id in mod.functions:
            return mod.name, func.id
        if func.id in mod.imports and mod.imports[func.id][1]:
            return mod.imports[func.id][0], mod.imports[func.id][1]
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in mod.imports:
        module, name = mod.imports[func.value.id]
        if name is None:
            return module, func.attr
    return None


def analyse(sources: dict[str, str], entry: tuple[str, str]) -> tuple[list[Call], list[tuple[str, int, str]]]:
    """Calls reachable from ``entry`` (module, function) and (module, line, method) of client-like calls it could not place.

    ``sources``: module name (``provisioning``) -> source text of generator/hotfix.
    """
    mods = {name: _Module(name, ast.parse(text)) for name, text in sources.items()}
    bound: dict[tuple[str, str, str], str] = {}  # (module, function, variable) -> service
    reached: set[tuple[str, str]] = set()
    todo = [entry]
    for _ in range(8):  # bindings flow through calls: repeat until nothing new is learned
        changed = False
        reached_now = set()
        todo = [entry]
        while todo:
            key = todo.pop()
            if key in reached_now or key[0] not in mods or key[1] not in mods[key[0]].functions:
                continue
            reached_now.add(key)
            mod, fn = mods[key[0]], mods[key[0]].functions[key[1]]
            for node in ast.walk(fn):
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    svc = _service(node.value)
                    if svc and bound.get((*key, node.targets[0].id)) != svc:
                        bound[(*key, node.targets[0].id)] = svc
                        changed = True
                if isinstance(node, ast.Call):
                    target = _callee(mod, node.func)
                    if target is None:
                        continue
                    todo.append(target)
                    if target[0] in mods and target[1] in mods[target[0]].functions:
                        params = [a.arg for a in mods[target[0]].functions[target[1]].args.args]
                        for i, arg in enumerate(node.args[: len(params)]):
                            svc = _service(arg) or (bound.get((*key, arg.id)) if isinstance(arg, ast.Name) else None)
                            if svc and bound.get((*target, params[i])) != svc:
                                bound[(*target, params[i])] = svc
                                changed = True
        reached = reached_now
        if not changed:
            break
    calls: list[Call] = []
    unplaced: list[tuple[str, int, str]] = []
    every_op = {op for svc in ("servicecatalog", "codecommit", "codepipeline", "lambda") for op in operations(svc)}
    for key in sorted(reached):
        mod, fn = mods[key[0]], mods[key[0]].functions[key[1]]
        unplaced += _indirect(key, fn, bound, every_op)
        for node in ast.walk(fn):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            receiver, method = node.func.value, node.func.attr
            svc = _service(receiver) or (bound.get((*key, receiver.id)) if isinstance(receiver, ast.Name) else None)
            if method == "get_paginator" and node.args and isinstance(node.args[0], ast.Constant):
                method = str(node.args[0].value)
            if svc is None:
                if method in every_op and not (isinstance(receiver, ast.Name) and receiver.id in mod.imports):
                    unplaced.append((key[0], node.lineno, method))
                continue
            op = operations(svc).get(method)
            if op is None:
                if method not in ("paginate",):
                    unplaced.append((key[0], node.lineno, f"{svc}.{method}"))
                continue
            level = ""
            if any(kw.arg is None for kw in node.keywords):  # **kwargs: a literal filter built in the function
                level = _literal_access_level(fn)
            for kw in node.keywords:
                if kw.arg == "AccessLevelFilter" and isinstance(kw.value, ast.Dict):
                    for k, v in zip(kw.value.keys, kw.value.values, strict=False):
                        if isinstance(k, ast.Constant) and k.value == "Key" and isinstance(v, ast.Constant):
                            level = str(v.value)
            calls.append(Call(svc, op, key[0], node.lineno, level))
    return sorted(set(calls), key=lambda c: (c.service, c.operation, c.module, c.line)), sorted(set(unplaced))


def _indirect(key: tuple[str, str], fn, bound: dict, every_op: set[str]) -> list[tuple[str, int, str]]:
    """Calls the gate cannot follow: an operation taken as a value (``f = sc.terminate_provisioned_product``) or
    looked up by name (``getattr(sc, name)``). Reported, never guessed: what the gate cannot place it cannot prove."""
    called = {id(n.func) for n in ast.walk(fn) if isinstance(n, ast.Call)}
    out = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Attribute) and node.attr in every_op and id(node) not in called:
            out.append((key[0], node.lineno, f"{node.attr} (taken as a value, not called)"))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" and node.args:
            first = node.args[0]
            if _service(first) or (isinstance(first, ast.Name) and (first.id == CLIENTS or (*key, first.id) in bound)):
                out.append((key[0], node.lineno, "getattr on a client"))
    return out


def _literal_access_level(fn) -> str:
    for node in ast.walk(fn):
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values, strict=False):
                if isinstance(k, ast.Constant) and k.value == "AccessLevelFilter" and isinstance(v, ast.Dict):
                    for kk, vv in zip(v.keys, v.values, strict=False):
                        if isinstance(kk, ast.Constant) and kk.value == "Key" and isinstance(vv, ast.Constant):
                            return str(vv.value)
    return ""


def bundle_sources(body: bytes) -> tuple[dict[str, str], str]:
    """(generator/hotfix modules by name, handler.py) from a Lambda bundle."""
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        sources = {name.rsplit("/", 1)[-1][:-3]: zf.read(name).decode("utf-8")
                   for name in zf.namelist() if name.startswith("generator/hotfix/") and name.endswith(".py")}
        handler = zf.read("handler.py").decode("utf-8")
    return sources, handler


def entry_point(handler: str) -> tuple[str, str] | None:
    """The runner function a bundle's handler.py serves: ``runner.lambda_handler(__file__, runner.X, ...)``."""
    for node in ast.walk(ast.parse(handler)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "lambda_handler":
            target = node.args[1] if len(node.args) > 1 else None
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                return target.value.id, target.attr
    return None
