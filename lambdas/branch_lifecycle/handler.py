"""Provision a hotfix pipeline when a hotfix branch is created; terminate it when the branch is deleted.

Also executes the reconciler's repairs: this function's role is the only
principal of the hotfix portfolio."""

from generator.hotfix import runner
from generator.hotfix.clients import Clients

# Clients are made on first use and kept for the container's life.
handler = runner.lambda_handler(__file__, runner.branch_lifecycle, Clients())
