"""The compiler: the typed model to CloudFormation templates and a manifest.

One module per kind of stack; ``build.compile_catalogue`` runs them all and
returns every file as bytes, so that writing stays atomic and testable.
"""
