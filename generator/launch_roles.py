"""Which launch roles the build generates: the local roles of products made only of built-in templates.

Shared by the compiler (which writes those roles, scoped to what the
built-in templates create) and by validation (which keeps every other
product from launching with them).
"""

from __future__ import annotations

from .core.model import Catalogue


def generated_roles(cat: Catalogue) -> dict[str, set[str]]:
    """Local role name -> built-in templates it launches."""
    roles: dict[str, set[str]] = {}
    for pf in cat.portfolios:
        for c in pf.constraints:
            if c.kind != "launch" or not c.launch_local_role_name:
                continue
            product = cat.product(c.product)
            if product is not None and all(v.template.kind == "builtin" for v in product.versions):
                roles.setdefault(c.launch_local_role_name, set()).update(v.template.value for v in product.versions)
    return roles
