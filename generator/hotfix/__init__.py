"""The hotfix automation: events in, decisions out, AWS calls made.

``decide`` is pure (the CLI's ``event`` command and the Lambdas share it);
``provisioning``, ``pull_requests`` and ``reconcile`` execute decisions with
clients passed in. Standard library only, plus botocore at run time.
"""
