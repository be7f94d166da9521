"""The compiler: the typed model to CloudFormation templates and a manifest.

One module per kind of stack; ``build.compile_catalogue`` runs them all and
returns every file as bytes, so that writing stays atomic and testable.
"""

from .troposphere_speed import import_without_serverless as _import_without_serverless
from .troposphere_speed import install as _install
from .troposphere_speed import lazy_cfn_flip as _lazy_cfn_flip

_lazy_cfn_flip()  # before anything imports troposphere, which imports cfn_flip
_import_without_serverless()
_install()
