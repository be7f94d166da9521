"""The build's resources by ARN: the policies and keys that decide access to them."""

from __future__ import annotations

from dataclasses import dataclass, field

from .policy import statements_of


@dataclass
class Index:
    policies: dict = field(default_factory=dict)  # resource ARN -> resource policy statements (bucket, queue, ECR, key, topic)
    keys: dict = field(default_factory=dict)  # resource ARN -> ARN of the customer managed key that encrypts it
    key_arns: set = field(default_factory=set)
    aliases: dict = field(default_factory=dict)  # key ARN -> its alias names (the kms:ResourceAliases condition key)
    where: dict = field(default_factory=dict)  # resource ARN -> (stack, logical id)

    def policy(self, arn: str):
        return self.policies.get(arn)


def _key_arn(value, stack) -> str:
    """A KmsKeyId property is a key ARN, id or alias; the build's keys are known by ARN."""
    text = str(value)
    if text.startswith("arn:"):
        return text
    return f"arn:{stack.env.partition}:kms:{stack.env.region}:{stack.env.account}:key/{text}"


def build(model) -> Index:
    idx = Index()
    for s in model.stacks:
        for lid, res in s.resources.items():
            kind = res.get("Type", "")
            props = s.props(lid) or {}
            arn = s.arn(lid)
            if arn:
                idx.where.setdefault(arn, (s, lid))
            if kind == "AWS::IAM::Role":
                idx.policies[arn] = statements_of(props.get("AssumeRolePolicyDocument"))  # who may assume it
            elif kind == "AWS::KMS::Key":
                idx.key_arns.add(arn)
                idx.policies[arn] = statements_of(props.get("KeyPolicy"))
            elif kind == "AWS::KMS::Alias":
                idx.aliases.setdefault(_key_arn(props.get("TargetKeyId"), s), []).append(str(props.get("AliasName")))
            elif kind == "AWS::S3::Bucket":
                for rule in (props.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration", []):
                    key = (rule.get("ServerSideEncryptionByDefault") or {}).get("KMSMasterKeyID")
                    if key:
                        idx.keys[arn] = _key_arn(key, s)
            elif kind == "AWS::S3::BucketPolicy":
                bucket = f"arn:{s.env.partition}:s3:::{props.get('Bucket')}"
                idx.policies[bucket] = statements_of(props.get("PolicyDocument"))
            elif kind == "AWS::SQS::Queue" and props.get("KmsMasterKeyId"):
                idx.keys[arn] = _key_arn(props["KmsMasterKeyId"], s)
            elif kind == "AWS::SQS::QueuePolicy":
                for url in props.get("Queues", []) or []:
                    region, account, name = str(url).split("sqs.", 1)[-1].split(".", 1)[0], *str(url).rsplit("/", 2)[-2:]
                    idx.policies[f"arn:{s.env.partition}:sqs:{region}:{account}:{name}"] = statements_of(props.get("PolicyDocument"))
            elif kind == "AWS::SNS::Topic" and props.get("KmsMasterKeyId"):
                idx.keys[arn] = _key_arn(props["KmsMasterKeyId"], s)
            elif kind == "AWS::ECR::Repository":
                if props.get("RepositoryPolicyText"):
                    idx.policies[arn] = statements_of(props["RepositoryPolicyText"])
                encryption = props.get("EncryptionConfiguration") or {}
                if encryption.get("EncryptionType") == "KMS" and encryption.get("KmsKey"):
                    idx.keys[arn] = _key_arn(encryption["KmsKey"], s)
            elif kind == "AWS::CodeCommit::Repository" and props.get("KmsKeyId"):
                idx.keys[arn] = _key_arn(props["KmsKeyId"], s)
            elif kind == "AWS::Logs::LogGroup" and props.get("KmsKeyId"):
                idx.keys[arn] = _key_arn(props["KmsKeyId"], s)
    return idx
