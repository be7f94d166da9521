"""The AWS side at deploy time: from output/ to running accounts (`deploy`) and back (`status`).

Apart from the offline compiler: every module takes its boto3 clients (or a
session factory) as arguments and makes none at import time, so tests hand
in moto-backed or stubbed ones, and `deploy --dry-run` makes none at all.
"""
