"""Receive GitHub, GitLab and Bitbucket webhooks at the function URL: verify, read, hand branch changes to the lifecycle Lambda."""

from generator.hotfix import runner
from generator.hotfix.clients import WEBHOOK_LIMITS, Clients
from generator.hotfix.webhooks import endpoint

# Clients are made on first use and kept for the container's life, with timeouts and attempts that fit the function's.
handler = runner.lambda_handler(__file__, endpoint.receive, Clients(WEBHOOK_LIMITS))
