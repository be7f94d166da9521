"""Which AWS calls each Lambda makes: found by reading its bundled code, not by a list someone keeps.

The bundle's ``handler.py`` names the runner function it serves; from
there the calls are followed through ``generator/hotfix`` and its
subpackages (functions, imported modules, relative imports resolved as
Python does), tracking which names hold which boto3 client: an attribute of
the ``Clients`` object (``clients.servicecatalog``, ``self.clients.codecommit``),
a local assigned from one, or a parameter that a caller passed one into. A
method called on a client is a botocore operation when the service's model
has it (botocore's service models, ``service-2.json``).

Objects of the bundle's own classes (the repository providers) are followed
by their declared types: ``self`` in a method, a parameter or a function's
return annotated with a class, an instance built by calling a class. A
method called on one reaches that method in every class of the type's
hierarchy (its ancestors and descendants), since any of them may be the
object at run time. A call on anything else that names an AWS operation is
reported, never guessed.
"""

from __future__ import annotations

import ast
import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache

CLIENTS = "clients"
SERVICES = ("servicecatalog", "codecommit", "codepipeline", "lambda", "secretsmanager")
CLASS = "class:"  # bindings to an object of one of the bundle's classes, as opposed to a client's service


@dataclass(frozen=True)
class Call:
    service: str  # boto3 client name: servicecatalog, codecommit, codepipeline, lambda, secretsmanager
    operation: str  # botocore operation name, e.g. DescribeProduct
    module: str  # path under generator/hotfix without .py: provisioning, providers/secrets
    line: int
    access_level: str = ""  # AccessLevelFilter's Key when the call passes a literal one


def _service(node) -> str | None:
    """``clients.lambda_`` or ``self.clients.lambda_`` -> ``lambda`` (the Clients naming convention,
    generator/hotfix/clients.py)."""
    if not isinstance(node, ast.Attribute):
        return None
    owner = node.value
    if (isinstance(owner, ast.Name) and owner.id == CLIENTS) or (
            isinstance(owner, ast.Attribute) and owner.attr == CLIENTS and isinstance(owner.value, ast.Name)
            and owner.value.id == "self"):
        return node.attr.rstrip("_").replace("_", "-")
    return None


@lru_cache(maxsize=16)
def operations(service: str) -> dict[str, str]:
    """snake_case method name -> operation name, from botocore's model of the service."""
    import botocore.session
    from botocore import xform_name

    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(op): op for op in model.operation_names}


def _annotation(node) -> list[str]:
    """Class names an annotation mentions: ``Provider``, ``"Provider"``, ``Provider | None``, ``x.Provider``."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return _annotation(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return []
    if isinstance(node, ast.BinOp):
        return _annotation(node.left) + _annotation(node.right)
    return []


class _Module:
    def __init__(self, name: str, tree: ast.Module, known: set[str]):
        self.name = name
        parts = name.split("/")
        self.package = parts[:-1]  # a package's __init__ and its modules share the package's folder
        self.known = known
        self.functions = {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.classes: dict[str, tuple[list[str], dict]] = {}  # name -> (base names, {method: node})
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                methods = {f.name: f for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
                self.classes[node.name] = ([b for base in node.bases for b in _annotation(base)], methods)
                self.functions.update({f"{node.name}.{m}": f for m, f in methods.items()})
        self.imports: dict[str, tuple[str, str | None]] = {}  # local name -> (module, function/class or None)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= 1:
                self._import(node)

    def key(self, parts: list[str]) -> str | None:
        for candidate in ("/".join(parts), "/".join([*parts, "__init__"])):
            if candidate in self.known:
                return candidate
        return None

    def _import(self, node: ast.ImportFrom) -> None:
        up = node.level - 1
        if up > len(self.package):
            return  # outside generator/hotfix: no clients there
        base = self.package[:len(self.package) - up] + (node.module.split(".") if node.module else [])
        for alias in node.names:
            local = alias.asname or alias.name
            submodule = self.key([*base, alias.name])
            if submodule is not None:
                self.imports[local] = (submodule, None)
            elif node.module and self.key(base) is not None:
                self.imports[local] = (self.key(base), alias.name)


class _Program:
    """Every module of the bundle, with the class hierarchy the method calls are resolved in."""

    def __init__(self, sources: dict[str, str]):
        known = set(sources)
        self.mods = {name: _Module(name, ast.parse(text), known) for name, text in sources.items()}
        self.classes = [(m.name, c) for m in self.mods.values() for c in m.classes]

    def _bases(self, cls: str) -> list[str]:
        return [b for m, c in self.classes if c == cls for b in self.mods[m].classes[c][0]]

    def lineage(self, cls: str) -> set[str]:
        """The class, its ancestors and its descendants, by name, among the bundle's classes."""
        return self.ancestry(cls) | {c for _, c in self.classes if cls in self.ancestry(c)}

    def ancestry(self, cls: str) -> set[str]:
        """The class and its ancestors."""
        seen, todo = {cls}, [cls]
        while todo:
            for base in self._bases(todo.pop()):
                if base not in seen:
                    seen.add(base)
                    todo.append(base)
        return seen

    def constructor(self, cls: str) -> list[tuple[str, str]]:
        """The ``__init__`` a call of the class runs: its own, else the first an ancestor defines."""
        order, todo = [], [cls]
        while todo:
            current = todo.pop(0)
            if current not in order:
                order.append(current)
                todo += self._bases(current)
        for current in order:
            found = self.methods({current}, "__init__")
            if found:
                return found
        return []

    def methods(self, classes: set[str], name: str) -> list[tuple[str, str]]:
        return sorted((m, f"{c}.{name}") for m, c in self.classes if c in classes and name in self.mods[m].classes[c][1])

    def is_class(self, name: str) -> bool:
        return any(c == name for _, c in self.classes)

    def returns(self, target: tuple[str, str]) -> str | None:
        fn = self.mods[target[0]].functions.get(target[1]) if target[0] in self.mods else None
        names = [n for n in _annotation(fn.returns) if self.is_class(n)] if fn is not None and fn.returns else []
        return CLASS + names[0] if names else None


def _enclosing_class(key: tuple[str, str]) -> str | None:
    return key[1].split(".")[0] if "." in key[1] else None


def _targets(prog: _Program, mod: _Module, key: tuple[str, str], func, bound: dict) -> tuple[list[tuple[str, str]], bool]:
    """(functions a call of ``func`` may run, whether they are methods bound to an object: their self is not an
    argument)."""
    if isinstance(func, ast.Name):
        if func.id in mod.functions:
            return [(mod.name, func.id)], False
        if func.id in mod.classes:
            return prog.constructor(func.id), True
        if func.id in mod.imports and mod.imports[func.id][1]:
            module, name = mod.imports[func.id]
            if prog.is_class(name):
                return prog.constructor(name), True
            return [(module, name)], False
        return [], False
    if not isinstance(func, ast.Attribute):
        return [], False
    receiver = func.value
    if isinstance(receiver, ast.Name) and receiver.id in mod.imports and mod.imports[receiver.id][1] is None:
        module = mod.imports[receiver.id][0]
        if module in prog.mods and func.attr in prog.mods[module].classes:
            return prog.constructor(func.attr), True
        return [(module, func.attr)], False
    kind = _kind(prog, mod, key, receiver, bound)
    if kind and kind.startswith(CLASS):
        cls = kind[len(CLASS):]
        if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
            return prog.methods(prog.ancestry(cls) - {cls}, func.attr), True
        return prog.methods(prog.lineage(cls), func.attr), True
    return [], False


def _kind(prog: _Program, mod: _Module, key: tuple[str, str], node, bound: dict) -> str | None:
    """What an expression holds: a client's service, ``class:Name`` for an object of the bundle's classes, or None."""
    svc = _service(node)
    if svc:
        return svc
    if isinstance(node, ast.Name):
        if node.id == "self" and _enclosing_class(key):
            return CLASS + _enclosing_class(key)
        return bound.get((*key, node.id))
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id == "super" and _enclosing_class(key):
            return CLASS + _enclosing_class(key)
        if isinstance(node.func, ast.Name) and (node.func.id in mod.classes or (
                node.func.id in mod.imports and prog.is_class(mod.imports[node.func.id][1] or ""))):
            return CLASS + (mod.imports[node.func.id][1] if node.func.id in mod.imports else node.func.id)
        callees, _ = _targets(prog, mod, key, node.func, bound)
        kinds = {prog.returns(t) for t in callees} - {None}
        return kinds.pop() if len(kinds) == 1 else None
    return None


@lru_cache(maxsize=8)
def _program(sources: tuple[tuple[str, str], ...]) -> _Program:
    """Parsed once per bundle's sources: every function's analysis reads the same program."""
    return _Program(dict(sources))


@lru_cache(maxsize=8)
def _aws_methods(sources: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """Names of the bundle's methods that make AWS calls, themselves or through what they call: one of them called
    on an object the reader cannot type is a call it cannot follow."""
    prog = _program(sources)
    names = set()
    for module, cls in prog.classes:
        for name in prog.mods[module].classes[cls][1]:
            if name not in names and analyse(dict(sources), (module, f"{cls}.{name}"), untyped=False)[0]:
                names.add(name)
    return frozenset(names)


def analyse(sources: dict[str, str], entry: tuple[str, str], untyped: bool = True) -> tuple[list[Call], list[tuple[str, int, str]]]:
    """Calls reachable from ``entry`` (module, function) and (module, line, method) of client-like calls it could not place.

    ``sources``: module path under generator/hotfix without ``.py`` (``provisioning``, ``providers/github``) ->
    its source text. ``untyped``: also report a method of the bundle's classes that makes AWS calls, called on
    an object whose class the reader cannot tell.
    """
    key = tuple(sorted(sources.items()))
    aws_methods = _aws_methods(key) if untyped else frozenset()
    prog = _program(key)
    mods = prog.mods
    bound: dict[tuple[str, str, str], str] = {}  # (module, function, variable) -> service, or class:Name
    reached: set[tuple[str, str]] = set()

    def bind(key, name, kind) -> bool:
        if kind and bound.get((*key, name)) != kind:
            bound[(*key, name)] = kind
            return True
        return False

    for _ in range(12):  # bindings flow through calls: repeat until nothing new is learned
        changed = False
        reached_now = set()
        todo = [entry]
        while todo:
            key = todo.pop()
            if key in reached_now or key[0] not in mods or key[1] not in mods[key[0]].functions:
                continue
            reached_now.add(key)
            mod, fn = mods[key[0]], mods[key[0]].functions[key[1]]
            for arg in fn.args.args + fn.args.kwonlyargs:
                declared = [n for n in _annotation(arg.annotation) if prog.is_class(n)] if arg.annotation else []
                if declared and (*key, arg.arg) not in bound:
                    changed |= bind(key, arg.arg, CLASS + declared[0])
            for node in ast.walk(fn):
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    changed |= bind(key, node.targets[0].id, _kind(prog, mod, key, node.value, bound))
                if isinstance(node, ast.Call):
                    callees, as_method = _targets(prog, mod, key, node.func, bound)
                    for target in callees:
                        todo.append(target)
                        params = [a.arg for a in mods[target[0]].functions[target[1]].args.args]
                        if as_method:
                            params = params[1:]
                        for i, arg in enumerate(node.args[: len(params)]):
                            changed |= bind(target, params[i], _kind(prog, mod, key, arg, bound))
                        for kw in node.keywords:
                            if kw.arg in params:
                                changed |= bind(target, kw.arg, _kind(prog, mod, key, kw.value, bound))
        reached = reached_now
        if not changed:
            break
    calls: list[Call] = []
    unplaced: list[tuple[str, int, str]] = []
    every_op = {op for svc in SERVICES for op in operations(svc)}
    for key in sorted(reached):
        mod, fn = mods[key[0]], mods[key[0]].functions[key[1]]
        unplaced += _indirect(key, fn, bound, every_op | aws_methods)
        for node in ast.walk(fn):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            receiver, method = node.func.value, node.func.attr
            kind = _kind(prog, mod, key, receiver, bound)
            if kind and kind.startswith(CLASS):
                continue  # a method of the bundle's classes, followed above
            svc = kind
            if method == "get_paginator" and node.args and isinstance(node.args[0], ast.Constant):
                method = str(node.args[0].value)
            if svc is None:
                imported = isinstance(receiver, ast.Name) and receiver.id in mod.imports
                if method in every_op and not imported:
                    unplaced.append((key[0], node.lineno, method))
                elif method in aws_methods and not imported:
                    unplaced.append((key[0], node.lineno, f"{method} (a method that calls AWS, on an object of no known class)"))
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
    """Calls the gate cannot follow: an operation, or a method of the bundle that calls AWS, taken as a value
    (``f = sc.terminate_provisioned_product``) or looked up by name (``getattr(sc, name)``). Reported, never guessed:
    what the gate cannot place it cannot prove."""
    called = {id(n.func) for n in ast.walk(fn) if isinstance(n, ast.Call)}
    out = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Attribute) and node.attr in every_op and id(node) not in called:
            out.append((key[0], node.lineno, f"{node.attr} (taken as a value, not called)"))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" and node.args:
            first = node.args[0]
            held = bound.get((*key, first.id)) if isinstance(first, ast.Name) else None
            if _service(first) or (isinstance(first, ast.Name) and (first.id == CLIENTS or (held and not held.startswith(CLASS)))):
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
    """(generator/hotfix modules by path without .py, handler.py) from a Lambda bundle."""
    prefix = "generator/hotfix/"
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        sources = {name[len(prefix):-3]: zf.read(name).decode("utf-8")
                   for name in zf.namelist() if name.startswith(prefix) and name.endswith(".py")}
        handler = zf.read("handler.py").decode("utf-8")
    return sources, handler


def entry_point(handler: str) -> tuple[str, str] | None:
    """The function a bundle's handler.py serves: ``runner.lambda_handler(__file__, module.X, ...)``, the module as
    the handler imports it (``from generator.hotfix.webhooks import endpoint`` is ``webhooks/endpoint``)."""
    tree = ast.parse(handler)
    imported = {alias.asname or alias.name: "/".join([*node.module.split(".")[2:], alias.name])
                for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator.hotfix")
                for alias in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "lambda_handler":
            target = node.args[1] if len(node.args) > 1 else None
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                return imported.get(target.value.id, target.value.id), target.attr
    return None
