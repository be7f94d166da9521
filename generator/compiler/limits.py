"""CloudFormation's per-template limits, and the margins the compiler keeps."""

MAX_RESOURCES = 500
MAX_PARAMETERS = 200
MAX_OUTPUTS = 200
MAX_BODY_BYTES = 1_000_000  # template body limit when uploaded to S3

# Shards are filled below the hard limits so that a small edit to one unit
# (a new constraint, a longer description) does not push a stack over.
SHARD_RESOURCES = 400
SHARD_OUTPUTS = 180
SHARD_BYTES = 800_000
