# Generated from config/portfolios.schema.json by `python -m generator.schema_codegen --write`; do not edit.
"""Says whether a configuration is valid against the schema: the happy path of schema_check (see schema_codegen)."""

from generator.schema_runtime import Pattern as _Pattern
from generator.schema_runtime import any_equal as _any_equal
from generator.schema_runtime import integer as _integer

# Classes whose set membership is JSON equality (bool is not one).
_PLAIN = (str, int, float, type(None))

SCHEMA_SHA256 = '4ba2a7e1cdd33b1f55690d76d6205f8466334eebec95266ad5b80d4c7a75fd99'

_k0 = frozenset(('accounts', 'deploy', 'hotfix', 'portfolios', 'principals', 'products', 'region', 'stack_prefix', 'tag_options', 'tags', 'version',))
_e1 = (1,)
_s2 = frozenset((1,))
_k3 = frozenset(('prod', 'qa', 'stage', 'tools',))
_k4 = frozenset(('deploy_role', 'id', 'region',))
_k5 = frozenset(('artifacts_bucket', 'artifacts_prefix', 'stack_set',))
_k6 = frozenset(('call_as', 'organizational_units',))
_e7 = ('DELEGATED_ADMIN', 'SELF')
_s8 = frozenset(('DELEGATED_ADMIN', 'SELF',))
_k9 = frozenset(('key', 'values',))
_k10 = frozenset(('arn', 'name', 'type',))
_e11 = ('IAM', 'IAM_PATTERN')
_s12 = frozenset(('IAM', 'IAM_PATTERN',))
_k13 = frozenset(('constraints', 'description', 'display_name', 'name', 'principals', 'products', 'provider', 'share', 'tag_options', 'tags',))
_k14 = frozenset(('accounts', 'organizational_units', 'share_tag_options',))
_k15 = frozenset(('description', 'launch', 'notifications', 'product', 'stack_set', 'tag_update', 'template',))
_k16 = frozenset(('local_role_name', 'role_arn',))
_k17 = frozenset(('rules',))
_k18 = frozenset(('assertions', 'condition',))
_e19 = ('Fn::And', 'Fn::Contains', 'Fn::EachMemberEquals', 'Fn::EachMemberIn', 'Fn::Equals', 'Fn::Not', 'Fn::Or', 'Fn::RefAll', 'Fn::ValueOf', 'Fn::ValueOfAll', 'Ref')
_s20 = frozenset(('Fn::And', 'Fn::Contains', 'Fn::EachMemberEquals', 'Fn::EachMemberIn', 'Fn::Equals', 'Fn::Not', 'Fn::Or', 'Fn::RefAll', 'Fn::ValueOf', 'Fn::ValueOfAll', 'Ref',))
_k21 = frozenset(('assert', 'description',))
_e22 = ('allowed', 'not_allowed')
_s23 = frozenset(('allowed', 'not_allowed',))
_k24 = frozenset(('accounts', 'admin_role', 'execution_role', 'instance_control', 'regions',))
_k25 = frozenset(('description', 'display_name', 'distributor', 'name', 'owner', 'support', 'tag_options', 'tags', 'versions',))
_k26 = frozenset(('description', 'email', 'url',))
_k27 = frozenset(('active', 'description', 'name', 'template',))
_k28 = frozenset(('builtin', 'file', 'url',))
_e29 = ('hotfix-pipeline', 'hotfix-pipeline-codeconnections', 'main-pipeline', 'main-pipeline-codeconnections')
_s30 = frozenset(('hotfix-pipeline', 'hotfix-pipeline-codeconnections', 'main-pipeline', 'main-pipeline-codeconnections',))
_k31 = frozenset(('developers', 'reconcile_schedule', 'repositories', 'reserved_concurrency',))
_k32 = frozenset(('api_token', 'api_url', 'approval_notifications', 'approvers', 'branch_prefix', 'connection_arn', 'create', 'create_connection', 'full_repository_id', 'merge_into', 'name', 'parameters', 'portfolio', 'product', 'provider', 'webhook_secret',))
_e33 = ('codecommit', 'github', 'gitlab', 'bitbucket')
_s34 = frozenset(('bitbucket', 'codecommit', 'github', 'gitlab',))
_k35 = frozenset(('application_name', 'build_image', 'container', 'ecr_repository',))
_k36 = frozenset(('cpu', 'desired_count', 'memory', 'port',))
_e37 = (256, 512, 1024, 2048, 4096)
_s38 = frozenset((1024, 2048, 256, 4096, 512,))

_p0 = _Pattern('^[a-z][a-z0-9]{0,7}$(?![\\s\\S])')
_p1 = _Pattern('^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}(?!\\n)$')
_p2 = _Pattern('^[0-9]{12}(?!\\n)$')
_p3 = _Pattern('^([A-Za-z0-9+=,.@_-]{1,64}/)*[A-Za-z0-9+=,.@_-]{1,64}(?!\\n)$')
_p4 = _Pattern('^[a-z0-9][a-z0-9-]{1,61}[a-z0-9](?!\\n)$')
_p5 = _Pattern('^((?!\\.{1,2}/)[A-Za-z0-9_.-]+/)*(?!\\n)$')
_p6 = _Pattern('^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})(?!\\n)$')
_p7 = _Pattern('^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\\u0021-\\u002a\\u002c\\u003b\\u003c\\u003e\\u003f\\u005b-\\u005e\\u0060\\u007b-\\u007e]+(?!\\n)$')
_p8 = _Pattern('^[a-z0-9]([a-z0-9-]*[a-z0-9])?(?!\\n)$')
_p9 = _Pattern('^arn:aws[a-z-]*:iam::([0-9]{12})?:(role|user|group)/[A-Za-z0-9+=,.@_/*?-]+(?!\\n)$')
_p10 = _Pattern('^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]*(?!\\n)$')
_p11 = _Pattern('^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]*$')
_p12 = _Pattern('^(tools|stage|prod|qa|[0-9]{12})(?!\\n)$')
_p13 = _Pattern('^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}(?!\\n)$')
_p14 = _Pattern('^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}(?!\\n)$')
_p15 = _Pattern('^[A-Za-z0-9+=,.@_-]{1,64}(?!\\n)$')
_p16 = _Pattern('^[A-Za-z0-9]{1,255}(?!\\n)$')
_p17 = _Pattern('^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?(?!\\n)$')
_p18 = _Pattern('^[^@\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]+@[^@.\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]+(\\.[^@.\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]+)+(?!\\n)$')
_p19 = _Pattern('^https?://[^\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]+(?!\\n)$')
_p20 = _Pattern('^[A-Za-z0-9][A-Za-z0-9._-]*(?!\\n)$')
_p21 = _Pattern('^(?!/)(?!.*(^|/)\\.\\.(/|$))[^\\\\\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]+\\.(ya?ml|json|template)(?!\\n)$')
_p22 = _Pattern('^(https://[^/\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]+/[^\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]+|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]+)(?!\\n)$')
_p23 = _Pattern('^(rate|cron)\\([0-9A-Za-z,*?/#L\\- ]{1,200}\\)(?!\\n)$')
_p24 = _Pattern('^[A-Za-z0-9_.-]+(?!\\n)$')
_p25 = _Pattern('^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+(?!\\n)$')
_p26 = _Pattern('^arn:aws:(codeconnections|codestar-connections):[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:connection/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?!\\n)$')
_p27 = _Pattern('^[A-Za-z0-9/_+=.@-]+(?!\\n)$')
_p28 = _Pattern('^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?(?!\\n)$')
_p29 = _Pattern('^[A-Za-z0-9][A-Za-z0-9._/-]*(?!\\n)$')
_p30 = _Pattern('^(?!/)(?!\\.)(?!@$)(?!.*//)(?!.*\\.\\.)(?!.*@\\{)(?!.*\\.lock(/|$))(?!.*/\\.)[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\\u0020~^:?*\\[\\\\]*[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\\u0020~^:?*\\[\\\\/.](?!\\n)$')
_p31 = _Pattern('^[a-z][a-z0-9-]{1,19}(?!\\n)$')
_p32 = _Pattern('^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*(?!\\n)$')
_p33 = _Pattern('^[A-Za-z0-9][A-Za-z0-9./:@_-]*(?!\\n)$')


def valid(x):
    return _v0(x)


def _v0(x):
    # /
    if not isinstance(x, dict):
        return False
    if 'version' not in x or 'region' not in x or 'accounts' not in x or 'portfolios' not in x or 'products' not in x:
        return False
    if not _k0.issuperset(x):
        return False
    if not _v1(x['version']):
        return False
    if 'stack_prefix' in x and not _v2(x['stack_prefix']):
        return False
    if not _v3(x['region']):
        return False
    if not _v4(x['accounts']):
        return False
    if 'deploy' in x and not _v8(x['deploy']):
        return False
    if 'tags' in x and not _v15(x['tags']):
        return False
    if 'tag_options' in x and not _v18(x['tag_options']):
        return False
    if 'principals' in x and not _v21(x['principals']):
        return False
    if not _v26(x['portfolios']):
        return False
    if not _v66(x['products']):
        return False
    if 'hotfix' in x and not _v85(x['hotfix']):
        return False
    return True


def _v1(x):
    # /properties/version
    if not (x in _s2 if x.__class__ in _PLAIN else _any_equal(x, _e1)):
        return False
    return True


def _v2(x):
    # /properties/stack_prefix
    if not isinstance(x, str):
        return False
    if len(x) > 8:
        return False
    if _p0.search(x) is None:
        return False
    return True


def _v3(x):
    # /properties/region
    if not isinstance(x, str):
        return False
    if len(x) > 32:
        return False
    if _p1.search(x) is None:
        return False
    return True


def _v4(x):
    # /properties/accounts
    if not isinstance(x, dict):
        return False
    if 'tools' not in x or 'stage' not in x or 'prod' not in x:
        return False
    if not _k3.issuperset(x):
        return False
    if not _v5(x['tools']):
        return False
    if not _v5(x['stage']):
        return False
    if not _v5(x['prod']):
        return False
    if 'qa' in x and not _v5(x['qa']):
        return False
    return True


def _v5(x):
    # /properties/accounts/properties/tools
    if not isinstance(x, dict):
        return False
    if 'id' not in x:
        return False
    if not _k4.issuperset(x):
        return False
    if not _v6(x['id']):
        return False
    if 'region' in x and not _v3(x['region']):
        return False
    if 'deploy_role' in x and not _v7(x['deploy_role']):
        return False
    return True


def _v6(x):
    # /properties/accounts/properties/tools/properties/id
    if not isinstance(x, str):
        return False
    if len(x) > 12:
        return False
    if _p2.search(x) is None:
        return False
    return True


def _v7(x):
    # /properties/accounts/properties/tools/properties/deploy_role
    if not isinstance(x, str):
        return False
    if len(x) > 512:
        return False
    if _p3.search(x) is None:
        return False
    return True


def _v8(x):
    # /properties/deploy
    if not isinstance(x, dict):
        return False
    if 'artifacts_bucket' not in x:
        return False
    if not _k5.issuperset(x):
        return False
    if not _v9(x['artifacts_bucket']):
        return False
    if 'artifacts_prefix' in x and not _v10(x['artifacts_prefix']):
        return False
    if 'stack_set' in x and not _v11(x['stack_set']):
        return False
    return True


def _v9(x):
    # /properties/deploy/properties/artifacts_bucket
    if not isinstance(x, str):
        return False
    if len(x) > 63:
        return False
    if _p4.search(x) is None:
        return False
    return True


def _v10(x):
    # /properties/deploy/properties/artifacts_prefix
    if not isinstance(x, str):
        return False
    if len(x) > 200:
        return False
    if _p5.search(x) is None:
        return False
    return True


def _v11(x):
    # /properties/deploy/properties/stack_set
    if not isinstance(x, dict):
        return False
    if 'organizational_units' not in x:
        return False
    if not _k6.issuperset(x):
        return False
    if not _v12(x['organizational_units']):
        return False
    if 'call_as' in x and not _v14(x['call_as']):
        return False
    return True


def _v12(x):
    # /properties/deploy/properties/stack_set/properties/organizational_units
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if not all(map(_v13, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v13(x):
    # /properties/deploy/properties/stack_set/properties/organizational_units/items
    if not isinstance(x, str):
        return False
    if len(x) > 68:
        return False
    if _p6.search(x) is None:
        return False
    return True


def _v14(x):
    # /properties/deploy/properties/stack_set/properties/call_as
    if not (x in _s8 if x.__class__ in _PLAIN else _any_equal(x, _e7)):
        return False
    return True


def _v15(x):
    # /properties/tags
    if not isinstance(x, dict):
        return False
    if len(x) > 20:
        return False
    if not all(map(_v16, x)):
        return False
    if not all(map(_v17, x.values())):
        return False
    return True


def _v16(x):
    # /properties/tags/propertyNames
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 128:
        return False
    if _p7.search(x) is None:
        return False
    return True


def _v17(x):
    # /properties/tags/additionalProperties
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 256:
        return False
    if _p7.search(x) is None:
        return False
    return True


def _v18(x):
    # /properties/tag_options
    if not isinstance(x, list):
        return False
    if len(x) > 100:
        return False
    if not all(map(_v19, x)):
        return False
    return True


def _v19(x):
    # /properties/tag_options/items
    if not isinstance(x, dict):
        return False
    if 'key' not in x or 'values' not in x:
        return False
    if not _k9.issuperset(x):
        return False
    if not _v16(x['key']):
        return False
    if not _v20(x['values']):
        return False
    return True


def _v20(x):
    # /properties/tag_options/items/properties/values
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if len(x) > 100:
        return False
    if not all(map(_v17, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v21(x):
    # /properties/principals
    if not isinstance(x, list):
        return False
    if not all(map(_v22, x)):
        return False
    return True


def _v22(x):
    # /properties/principals/items
    if not isinstance(x, dict):
        return False
    if 'name' not in x or 'type' not in x or 'arn' not in x:
        return False
    if not _k10.issuperset(x):
        return False
    if not _v23(x['name']):
        return False
    if not _v24(x['type']):
        return False
    if not _v25(x['arn']):
        return False
    return True


def _v23(x):
    # /properties/principals/items/properties/name
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 64:
        return False
    if _p8.search(x) is None:
        return False
    return True


def _v24(x):
    # /properties/principals/items/properties/type
    if not (x in _s12 if x.__class__ in _PLAIN else _any_equal(x, _e11)):
        return False
    return True


def _v25(x):
    # /properties/principals/items/properties/arn
    if not isinstance(x, str):
        return False
    if len(x) > 1000:
        return False
    if _p9.search(x) is None:
        return False
    return True


def _v26(x):
    # /properties/portfolios
    if not isinstance(x, list):
        return False
    if not all(map(_v27, x)):
        return False
    return True


def _v27(x):
    # /properties/portfolios/items
    if not isinstance(x, dict):
        return False
    if 'name' not in x or 'display_name' not in x or 'provider' not in x:
        return False
    if not _k13.issuperset(x):
        return False
    if not _v23(x['name']):
        return False
    if not _v28(x['display_name']):
        return False
    if not _v29(x['provider']):
        return False
    if 'description' in x and not _v30(x['description']):
        return False
    if 'tags' in x and not _v15(x['tags']):
        return False
    if 'tag_options' in x and not _v31(x['tag_options']):
        return False
    if 'principals' in x and not _v32(x['principals']):
        return False
    if 'products' in x and not _v32(x['products']):
        return False
    if 'share' in x and not _v33(x['share']):
        return False
    if 'constraints' in x and not _v39(x['constraints']):
        return False
    return True


def _v28(x):
    # /properties/portfolios/items/properties/display_name
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 100:
        return False
    if _p10.search(x) is None:
        return False
    return True


def _v29(x):
    # /properties/portfolios/items/properties/provider
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 50:
        return False
    if _p10.search(x) is None:
        return False
    return True


def _v30(x):
    # /properties/portfolios/items/properties/description
    if not isinstance(x, str):
        return False
    if len(x) > 2000:
        return False
    if _p11.search(x) is None:
        return False
    return True


def _v31(x):
    # /properties/portfolios/items/properties/tag_options
    if not isinstance(x, list):
        return False
    if not all(map(_v16, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v32(x):
    # /properties/portfolios/items/properties/principals
    if not isinstance(x, list):
        return False
    if not all(map(_v23, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v33(x):
    # /properties/portfolios/items/properties/share
    if not isinstance(x, dict):
        return False
    if not _k14.issuperset(x):
        return False
    if 'accounts' in x and not _v34(x['accounts']):
        return False
    if 'organizational_units' in x and not _v36(x['organizational_units']):
        return False
    if 'share_tag_options' in x and not _v38(x['share_tag_options']):
        return False
    return True


def _v34(x):
    # /properties/portfolios/items/properties/share/properties/accounts
    if not isinstance(x, list):
        return False
    if not all(map(_v35, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v35(x):
    # /properties/portfolios/items/properties/share/properties/accounts/items
    if not isinstance(x, str):
        return False
    if len(x) > 12:
        return False
    if _p12.search(x) is None:
        return False
    return True


def _v36(x):
    # /properties/portfolios/items/properties/share/properties/organizational_units
    if not isinstance(x, list):
        return False
    if not all(map(_v37, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v37(x):
    # /properties/portfolios/items/properties/share/properties/organizational_units/items
    if not isinstance(x, str):
        return False
    if len(x) > 68:
        return False
    if _p13.search(x) is None:
        return False
    return True


def _v38(x):
    # /properties/portfolios/items/properties/share/properties/share_tag_options
    if not isinstance(x, bool):
        return False
    return True


def _v39(x):
    # /properties/portfolios/items/properties/constraints
    if not isinstance(x, list):
        return False
    if not all(map(_v40, x)):
        return False
    return True


def _v40(x):
    # /properties/portfolios/items/properties/constraints/items
    if not isinstance(x, dict):
        return False
    if 'product' not in x:
        return False
    if not _k15.issuperset(x):
        return False
    if not _v23(x['product']):
        return False
    if 'description' in x and not _v30(x['description']):
        return False
    if 'launch' in x and not _v41(x['launch']):
        return False
    if 'template' in x and not _v46(x['template']):
        return False
    if 'tag_update' in x and not _v55(x['tag_update']):
        return False
    if 'notifications' in x and not _v56(x['notifications']):
        return False
    if 'stack_set' in x and not _v58(x['stack_set']):
        return False
    if (_v61(x) + _v62(x) + _v63(x) + _v64(x) + _v65(x)) != 1:
        return False
    return True


def _v41(x):
    # /properties/portfolios/items/properties/constraints/items/properties/launch
    if not isinstance(x, dict):
        return False
    if not _k16.issuperset(x):
        return False
    if 'role_arn' in x and not _v42(x['role_arn']):
        return False
    if 'local_role_name' in x and not _v43(x['local_role_name']):
        return False
    if (_v44(x) + _v45(x)) != 1:
        return False
    return True


def _v42(x):
    # /properties/portfolios/items/properties/constraints/items/properties/launch/properties/role_arn
    if not isinstance(x, str):
        return False
    if len(x) > 2048:
        return False
    if _p14.search(x) is None:
        return False
    return True


def _v43(x):
    # /properties/portfolios/items/properties/constraints/items/properties/launch/properties/local_role_name
    if not isinstance(x, str):
        return False
    if len(x) > 64:
        return False
    if _p15.search(x) is None:
        return False
    return True


def _v44(x):
    # /properties/portfolios/items/properties/constraints/items/properties/launch/oneOf/0
    if isinstance(x, dict):
        if 'role_arn' not in x:
            return False
    return True


def _v45(x):
    # /properties/portfolios/items/properties/constraints/items/properties/launch/oneOf/1
    if isinstance(x, dict):
        if 'local_role_name' not in x:
            return False
    return True


def _v46(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template
    if not isinstance(x, dict):
        return False
    if 'rules' not in x:
        return False
    if not _k17.issuperset(x):
        return False
    if not _v47(x['rules']):
        return False
    return True


def _v47(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules
    if not isinstance(x, dict):
        return False
    if len(x) < 1:
        return False
    if not all(map(_v48, x)):
        return False
    if not all(map(_v49, x.values())):
        return False
    return True


def _v48(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/propertyNames
    if isinstance(x, str):
        if len(x) > 255:
            return False
        if _p16.search(x) is None:
            return False
    return True


def _v49(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/additionalProperties
    if not isinstance(x, dict):
        return False
    if 'assertions' not in x:
        return False
    if not _k18.issuperset(x):
        return False
    if 'condition' in x and not _v50(x['condition']):
        return False
    if not _v52(x['assertions']):
        return False
    return True


def _v50(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/additionalProperties/properties/condition
    if not isinstance(x, dict):
        return False
    if len(x) < 1:
        return False
    if len(x) > 1:
        return False
    if not all(map(_v51, x)):
        return False
    return True


def _v51(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/additionalProperties/properties/condition/propertyNames
    if not (x in _s20 if x.__class__ in _PLAIN else _any_equal(x, _e19)):
        return False
    return True


def _v52(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/additionalProperties/properties/assertions
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if not all(map(_v53, x)):
        return False
    return True


def _v53(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/additionalProperties/properties/assertions/items
    if not isinstance(x, dict):
        return False
    if 'assert' not in x:
        return False
    if not _k21.issuperset(x):
        return False
    if not _v50(x['assert']):
        return False
    if 'description' in x and not _v54(x['description']):
        return False
    return True


def _v54(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/additionalProperties/properties/assertions/items/properties/description
    if not isinstance(x, str):
        return False
    if len(x) > 1000:
        return False
    if _p11.search(x) is None:
        return False
    return True


def _v55(x):
    # /properties/portfolios/items/properties/constraints/items/properties/tag_update
    if not (x in _s23 if x.__class__ in _PLAIN else _any_equal(x, _e22)):
        return False
    return True


def _v56(x):
    # /properties/portfolios/items/properties/constraints/items/properties/notifications
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if len(x) > 5:
        return False
    if not all(map(_v57, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v57(x):
    # /properties/portfolios/items/properties/constraints/items/properties/notifications/items
    if not isinstance(x, str):
        return False
    if len(x) > 1224:
        return False
    if _p17.search(x) is None:
        return False
    return True


def _v58(x):
    # /properties/portfolios/items/properties/constraints/items/properties/stack_set
    if not isinstance(x, dict):
        return False
    if 'accounts' not in x or 'regions' not in x or 'admin_role' not in x or 'execution_role' not in x:
        return False
    if not _k24.issuperset(x):
        return False
    if not _v59(x['accounts']):
        return False
    if not _v60(x['regions']):
        return False
    if not _v42(x['admin_role']):
        return False
    if not _v43(x['execution_role']):
        return False
    if 'instance_control' in x and not _v55(x['instance_control']):
        return False
    return True


def _v59(x):
    # /properties/portfolios/items/properties/constraints/items/properties/stack_set/properties/accounts
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if not all(map(_v35, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v60(x):
    # /properties/portfolios/items/properties/constraints/items/properties/stack_set/properties/regions
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if not all(map(_v3, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v61(x):
    # /properties/portfolios/items/properties/constraints/items/oneOf/0
    if isinstance(x, dict):
        if 'launch' not in x:
            return False
    return True


def _v62(x):
    # /properties/portfolios/items/properties/constraints/items/oneOf/1
    if isinstance(x, dict):
        if 'template' not in x:
            return False
    return True


def _v63(x):
    # /properties/portfolios/items/properties/constraints/items/oneOf/2
    if isinstance(x, dict):
        if 'tag_update' not in x:
            return False
    return True


def _v64(x):
    # /properties/portfolios/items/properties/constraints/items/oneOf/3
    if isinstance(x, dict):
        if 'notifications' not in x:
            return False
    return True


def _v65(x):
    # /properties/portfolios/items/properties/constraints/items/oneOf/4
    if isinstance(x, dict):
        if 'stack_set' not in x:
            return False
    return True


def _v66(x):
    # /properties/products
    if not isinstance(x, list):
        return False
    if not all(map(_v67, x)):
        return False
    return True


def _v67(x):
    # /properties/products/items
    if not isinstance(x, dict):
        return False
    if 'name' not in x or 'owner' not in x or 'versions' not in x:
        return False
    if not _k25.issuperset(x):
        return False
    if not _v23(x['name']):
        return False
    if 'display_name' in x and not _v68(x['display_name']):
        return False
    if not _v68(x['owner']):
        return False
    if 'description' in x and not _v69(x['description']):
        return False
    if 'distributor' in x and not _v70(x['distributor']):
        return False
    if 'support' in x and not _v71(x['support']):
        return False
    if 'tags' in x and not _v15(x['tags']):
        return False
    if 'tag_options' in x and not _v31(x['tag_options']):
        return False
    if not _v74(x['versions']):
        return False
    return True


def _v68(x):
    # /properties/products/items/properties/display_name
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 8191:
        return False
    if _p10.search(x) is None:
        return False
    return True


def _v69(x):
    # /properties/products/items/properties/description
    if not isinstance(x, str):
        return False
    if len(x) > 8191:
        return False
    if _p11.search(x) is None:
        return False
    return True


def _v70(x):
    # /properties/products/items/properties/distributor
    if not isinstance(x, str):
        return False
    if len(x) > 8191:
        return False
    if _p10.search(x) is None:
        return False
    return True


def _v71(x):
    # /properties/products/items/properties/support
    if not isinstance(x, dict):
        return False
    if not _k26.issuperset(x):
        return False
    if 'email' in x and not _v72(x['email']):
        return False
    if 'url' in x and not _v73(x['url']):
        return False
    if 'description' in x and not _v69(x['description']):
        return False
    return True


def _v72(x):
    # /properties/products/items/properties/support/properties/email
    if not isinstance(x, str):
        return False
    if len(x) > 254:
        return False
    if _p18.search(x) is None:
        return False
    return True


def _v73(x):
    # /properties/products/items/properties/support/properties/url
    if not isinstance(x, str):
        return False
    if len(x) > 2083:
        return False
    if _p19.search(x) is None:
        return False
    return True


def _v74(x):
    # /properties/products/items/properties/versions
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if not all(map(_v75, x)):
        return False
    return True


def _v75(x):
    # /properties/products/items/properties/versions/items
    if not isinstance(x, dict):
        return False
    if 'name' not in x or 'template' not in x:
        return False
    if not _k27.issuperset(x):
        return False
    if not _v76(x['name']):
        return False
    if 'description' in x and not _v77(x['description']):
        return False
    if 'active' in x and not _v38(x['active']):
        return False
    if not _v78(x['template']):
        return False
    return True


def _v76(x):
    # /properties/products/items/properties/versions/items/properties/name
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 100:
        return False
    if _p20.search(x) is None:
        return False
    return True


def _v77(x):
    # /properties/products/items/properties/versions/items/properties/description
    if not isinstance(x, str):
        return False
    if len(x) > 8192:
        return False
    if _p11.search(x) is None:
        return False
    return True


def _v78(x):
    # /properties/products/items/properties/versions/items/properties/template
    if not isinstance(x, dict):
        return False
    if not _k28.issuperset(x):
        return False
    if 'builtin' in x and not _v79(x['builtin']):
        return False
    if 'file' in x and not _v80(x['file']):
        return False
    if 'url' in x and not _v81(x['url']):
        return False
    if (_v82(x) + _v83(x) + _v84(x)) != 1:
        return False
    return True


def _v79(x):
    # /properties/products/items/properties/versions/items/properties/template/properties/builtin
    if not (x in _s30 if x.__class__ in _PLAIN else _any_equal(x, _e29)):
        return False
    return True


def _v80(x):
    # /properties/products/items/properties/versions/items/properties/template/properties/file
    if not isinstance(x, str):
        return False
    if len(x) > 1024:
        return False
    if _p21.search(x) is None:
        return False
    return True


def _v81(x):
    # /properties/products/items/properties/versions/items/properties/template/properties/url
    if not isinstance(x, str):
        return False
    if len(x) > 2048:
        return False
    if _p22.search(x) is None:
        return False
    return True


def _v82(x):
    # /properties/products/items/properties/versions/items/properties/template/oneOf/0
    if isinstance(x, dict):
        if 'builtin' not in x:
            return False
    return True


def _v83(x):
    # /properties/products/items/properties/versions/items/properties/template/oneOf/1
    if isinstance(x, dict):
        if 'file' not in x:
            return False
    return True


def _v84(x):
    # /properties/products/items/properties/versions/items/properties/template/oneOf/2
    if isinstance(x, dict):
        if 'url' not in x:
            return False
    return True


def _v85(x):
    # /properties/hotfix
    if not isinstance(x, dict):
        return False
    if 'repositories' not in x:
        return False
    if not _k31.issuperset(x):
        return False
    if 'reconcile_schedule' in x and not _v86(x['reconcile_schedule']):
        return False
    if 'reserved_concurrency' in x and not _v38(x['reserved_concurrency']):
        return False
    if 'developers' in x and not _v87(x['developers']):
        return False
    if not _v88(x['repositories']):
        return False
    return True


def _v86(x):
    # /properties/hotfix/properties/reconcile_schedule
    if not isinstance(x, str):
        return False
    if len(x) > 256:
        return False
    if _p23.search(x) is None:
        return False
    return True


def _v87(x):
    # /properties/hotfix/properties/developers
    if not isinstance(x, list):
        return False
    if not all(map(_v23, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v88(x):
    # /properties/hotfix/properties/repositories
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if not all(map(_v89, x)):
        return False
    return True


def _v89(x):
    # /properties/hotfix/properties/repositories/items
    if not isinstance(x, dict):
        return False
    if 'name' not in x or 'product' not in x or 'portfolio' not in x or 'parameters' not in x:
        return False
    if not _k32.issuperset(x):
        return False
    if not _v90(x['name']):
        return False
    if 'create' in x and not _v38(x['create']):
        return False
    if 'provider' in x and not _v91(x['provider']):
        return False
    if 'full_repository_id' in x and not _v92(x['full_repository_id']):
        return False
    if 'connection_arn' in x and not _v93(x['connection_arn']):
        return False
    if 'create_connection' in x and not _v38(x['create_connection']):
        return False
    if 'webhook_secret' in x and not _v94(x['webhook_secret']):
        return False
    if 'api_token' in x and not _v94(x['api_token']):
        return False
    if 'api_url' in x and not _v95(x['api_url']):
        return False
    if 'branch_prefix' in x and not _v96(x['branch_prefix']):
        return False
    if not _v23(x['product']):
        return False
    if not _v23(x['portfolio']):
        return False
    if 'merge_into' in x and not _v97(x['merge_into']):
        return False
    if 'approvers' in x and not _v32(x['approvers']):
        return False
    if 'approval_notifications' in x and not _v99(x['approval_notifications']):
        return False
    if not _v100(x['parameters']):
        return False
    return True


def _v90(x):
    # /properties/hotfix/properties/repositories/items/properties/name
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 100:
        return False
    if _p24.search(x) is None:
        return False
    return True


def _v91(x):
    # /properties/hotfix/properties/repositories/items/properties/provider
    if not (x in _s34 if x.__class__ in _PLAIN else _any_equal(x, _e33)):
        return False
    return True


def _v92(x):
    # /properties/hotfix/properties/repositories/items/properties/full_repository_id
    if not isinstance(x, str):
        return False
    if len(x) < 3:
        return False
    if len(x) > 255:
        return False
    if _p25.search(x) is None:
        return False
    return True


def _v93(x):
    # /properties/hotfix/properties/repositories/items/properties/connection_arn
    if not isinstance(x, str):
        return False
    if len(x) > 256:
        return False
    if _p26.search(x) is None:
        return False
    return True


def _v94(x):
    # /properties/hotfix/properties/repositories/items/properties/webhook_secret
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 512:
        return False
    if _p27.search(x) is None:
        return False
    return True


def _v95(x):
    # /properties/hotfix/properties/repositories/items/properties/api_url
    if not isinstance(x, str):
        return False
    if len(x) > 2048:
        return False
    if _p28.search(x) is None:
        return False
    return True


def _v96(x):
    # /properties/hotfix/properties/repositories/items/properties/branch_prefix
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 50:
        return False
    if _p29.search(x) is None:
        return False
    return True


def _v97(x):
    # /properties/hotfix/properties/repositories/items/properties/merge_into
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if len(x) > 10:
        return False
    if not all(map(_v98, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v98(x):
    # /properties/hotfix/properties/repositories/items/properties/merge_into/items
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 256:
        return False
    if _p30.search(x) is None:
        return False
    return True


def _v99(x):
    # /properties/hotfix/properties/repositories/items/properties/approval_notifications
    if not isinstance(x, list):
        return False
    if not all(map(_v72, x)):
        return False
    if len(set(x)) != len(x):
        return False
    return True


def _v100(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters
    if not isinstance(x, dict):
        return False
    if 'application_name' not in x:
        return False
    if not _k35.issuperset(x):
        return False
    if not _v101(x['application_name']):
        return False
    if 'ecr_repository' in x and not _v102(x['ecr_repository']):
        return False
    if 'build_image' in x and not _v103(x['build_image']):
        return False
    if 'container' in x and not _v104(x['container']):
        return False
    return True


def _v101(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/application_name
    if not isinstance(x, str):
        return False
    if len(x) > 20:
        return False
    if _p31.search(x) is None:
        return False
    return True


def _v102(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/ecr_repository
    if not isinstance(x, str):
        return False
    if len(x) < 2:
        return False
    if len(x) > 256:
        return False
    if _p32.search(x) is None:
        return False
    return True


def _v103(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/build_image
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 255:
        return False
    if _p33.search(x) is None:
        return False
    return True


def _v104(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/container
    if not isinstance(x, dict):
        return False
    if not _k36.issuperset(x):
        return False
    if 'port' in x and not _v105(x['port']):
        return False
    if 'cpu' in x and not _v106(x['cpu']):
        return False
    if 'memory' in x and not _v107(x['memory']):
        return False
    if 'desired_count' in x and not _v108(x['desired_count']):
        return False
    return True


def _v105(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/container/properties/port
    if not _integer(x):
        return False
    if x < 1:
        return False
    if x > 65535:
        return False
    return True


def _v106(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/container/properties/cpu
    if not (x in _s38 if x.__class__ in _PLAIN else _any_equal(x, _e37)):
        return False
    return True


def _v107(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/container/properties/memory
    if not _integer(x):
        return False
    if x < 512:
        return False
    if x > 30720:
        return False
    return True


def _v108(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/container/properties/desired_count
    if not _integer(x):
        return False
    if x < 0:
        return False
    if x > 10:
        return False
    return True
