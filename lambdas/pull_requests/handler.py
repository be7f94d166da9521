"""Open the hotfix branch's pull requests into its merge targets; always answer CodePipeline."""

from generator.hotfix import runner
from generator.hotfix.clients import Clients

# Clients are made on first use and kept for the container's life.
handler = runner.lambda_handler(__file__, runner.pull_request_job, Clients())
