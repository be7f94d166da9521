"""Branch events from GitHub, GitLab and Bitbucket: webhook deliveries, verified, read, handed to the lifecycle Lambda.

``request`` reads a delivery (a Lambda function URL event, or headers and
body from a file), ``signatures`` verifies it against the repository's
webhook secret, ``payloads`` turns the provider's event into the branch
changes CodeCommit's EventBridge rule would have sent, ``replays`` refuses
a delivery seen before, and ``endpoint`` puts them in that order.
Standard library only, boto3 through the clients it is given.
"""
