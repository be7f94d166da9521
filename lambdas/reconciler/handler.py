"""On a schedule: find hotfix branches without a pipeline and pipelines without a branch."""

from generator.hotfix import runner
from generator.hotfix.clients import Clients

# Clients are made on first use and kept for the container's life.
handler = runner.lambda_handler(__file__, runner.scheduled, Clients())
