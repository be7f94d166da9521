"""Receive GitHub, GitLab and Bitbucket webhooks at the function URL: verify, read, hand branch changes to the lifecycle Lambda."""

from generator.hotfix import runner
from generator.hotfix.clients import Clients
from generator.hotfix.webhooks import endpoint

# Clients are made on first use and kept for the container's life.
handler = runner.lambda_handler(__file__, endpoint.receive, Clients())
