"""Service Catalog toolkit: validate and compile ``config/portfolios.yaml``.

Kept empty of imports on purpose: the Lambda bundles carry ``generator.core``
and must not pull in PyYAML, jsonschema or troposphere through this file.
"""
