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
    if 'stack_prefix' in x:
        v = x['stack_prefix']
        if not (isinstance(v, str) and len(v) <= 8 and _p0.search(v) is not None):
            return False
    v = x['region']
    if not (isinstance(v, str) and len(v) <= 32 and _p1.search(v) is not None):
        return False
    if not _v2(x['accounts']):
        return False
    if 'deploy' in x:
        if not _v4(x['deploy']):
            return False
    if 'tags' in x:
        if not _v8(x['tags']):
            return False
    if 'tag_options' in x:
        if not _v9(x['tag_options']):
            return False
    if 'principals' in x:
        if not _v12(x['principals']):
            return False
    if not _v15(x['portfolios']):
        return False
    if not _v39(x['products']):
        return False
    if 'hotfix' in x:
        if not _v46(x['hotfix']):
            return False
    return True


def _v1(x):
    # /properties/version
    if not (x in _s2 if x.__class__ in _PLAIN else _any_equal(x, _e1)):
        return False
    return True


def _v2(x):
    # /properties/accounts
    if not isinstance(x, dict):
        return False
    if 'tools' not in x or 'stage' not in x or 'prod' not in x:
        return False
    if not _k3.issuperset(x):
        return False
    if not _v3(x['tools']):
        return False
    if not _v3(x['stage']):
        return False
    if not _v3(x['prod']):
        return False
    if 'qa' in x:
        if not _v3(x['qa']):
            return False
    return True


def _v3(x):
    # /properties/accounts/properties/tools
    if not isinstance(x, dict):
        return False
    if 'id' not in x:
        return False
    if not _k4.issuperset(x):
        return False
    v = x['id']
    if not (isinstance(v, str) and len(v) <= 12 and _p2.search(v) is not None):
        return False
    if 'region' in x:
        v = x['region']
        if not (isinstance(v, str) and len(v) <= 32 and _p1.search(v) is not None):
            return False
    if 'deploy_role' in x:
        v = x['deploy_role']
        if not (isinstance(v, str) and len(v) <= 512 and _p3.search(v) is not None):
            return False
    return True


def _v4(x):
    # /properties/deploy
    if not isinstance(x, dict):
        return False
    if 'artifacts_bucket' not in x:
        return False
    if not _k5.issuperset(x):
        return False
    v = x['artifacts_bucket']
    if not (isinstance(v, str) and len(v) <= 63 and _p4.search(v) is not None):
        return False
    if 'artifacts_prefix' in x:
        v = x['artifacts_prefix']
        if not (isinstance(v, str) and len(v) <= 200 and _p5.search(v) is not None):
            return False
    if 'stack_set' in x:
        if not _v5(x['stack_set']):
            return False
    return True


def _v5(x):
    # /properties/deploy/properties/stack_set
    if not isinstance(x, dict):
        return False
    if 'organizational_units' not in x:
        return False
    if not _k6.issuperset(x):
        return False
    if not _v6(x['organizational_units']):
        return False
    if 'call_as' in x:
        if not _v7(x['call_as']):
            return False
    return True


def _v6(x):
    # /properties/deploy/properties/stack_set/properties/organizational_units
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    for v in x:
        if not (isinstance(v, str) and len(v) <= 68 and _p6.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v7(x):
    # /properties/deploy/properties/stack_set/properties/call_as
    if not (x in _s8 if x.__class__ in _PLAIN else _any_equal(x, _e7)):
        return False
    return True


def _v8(x):
    # /properties/tags
    if not isinstance(x, dict):
        return False
    if len(x) > 20:
        return False
    for v in x:
        if not (isinstance(v, str) and 1 <= len(v) <= 128 and _p7.search(v) is not None):
            return False
    for v in x.values():
        if not (isinstance(v, str) and 1 <= len(v) <= 256 and _p7.search(v) is not None):
            return False
    return True


def _v9(x):
    # /properties/tag_options
    if not isinstance(x, list):
        return False
    if len(x) > 100:
        return False
    if not all(map(_v10, x)):
        return False
    return True


def _v10(x):
    # /properties/tag_options/items
    if not isinstance(x, dict):
        return False
    if 'key' not in x or 'values' not in x:
        return False
    if not _k9.issuperset(x):
        return False
    v = x['key']
    if not (isinstance(v, str) and 1 <= len(v) <= 128 and _p7.search(v) is not None):
        return False
    if not _v11(x['values']):
        return False
    return True


def _v11(x):
    # /properties/tag_options/items/properties/values
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if len(x) > 100:
        return False
    for v in x:
        if not (isinstance(v, str) and 1 <= len(v) <= 256 and _p7.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v12(x):
    # /properties/principals
    if not isinstance(x, list):
        return False
    if not all(map(_v13, x)):
        return False
    return True


def _v13(x):
    # /properties/principals/items
    if not isinstance(x, dict):
        return False
    if 'name' not in x or 'type' not in x or 'arn' not in x:
        return False
    if not _k10.issuperset(x):
        return False
    v = x['name']
    if not (isinstance(v, str) and 1 <= len(v) <= 64 and _p8.search(v) is not None):
        return False
    if not _v14(x['type']):
        return False
    v = x['arn']
    if not (isinstance(v, str) and len(v) <= 1000 and _p9.search(v) is not None):
        return False
    return True


def _v14(x):
    # /properties/principals/items/properties/type
    if not (x in _s12 if x.__class__ in _PLAIN else _any_equal(x, _e11)):
        return False
    return True


def _v15(x):
    # /properties/portfolios
    if not isinstance(x, list):
        return False
    if not all(map(_v16, x)):
        return False
    return True


def _v16(x):
    # /properties/portfolios/items
    if not isinstance(x, dict):
        return False
    if 'name' not in x or 'display_name' not in x or 'provider' not in x:
        return False
    if not _k13.issuperset(x):
        return False
    v = x['name']
    if not (isinstance(v, str) and 1 <= len(v) <= 64 and _p8.search(v) is not None):
        return False
    v = x['display_name']
    if not (isinstance(v, str) and 1 <= len(v) <= 100 and _p10.search(v) is not None):
        return False
    v = x['provider']
    if not (isinstance(v, str) and 1 <= len(v) <= 50 and _p10.search(v) is not None):
        return False
    if 'description' in x:
        v = x['description']
        if not (isinstance(v, str) and len(v) <= 2000 and _p11.search(v) is not None):
            return False
    if 'tags' in x:
        if not _v8(x['tags']):
            return False
    if 'tag_options' in x:
        if not _v17(x['tag_options']):
            return False
    if 'principals' in x:
        if not _v18(x['principals']):
            return False
    if 'products' in x:
        if not _v18(x['products']):
            return False
    if 'share' in x:
        if not _v19(x['share']):
            return False
    if 'constraints' in x:
        if not _v23(x['constraints']):
            return False
    return True


def _v17(x):
    # /properties/portfolios/items/properties/tag_options
    if not isinstance(x, list):
        return False
    for v in x:
        if not (isinstance(v, str) and 1 <= len(v) <= 128 and _p7.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v18(x):
    # /properties/portfolios/items/properties/principals
    if not isinstance(x, list):
        return False
    for v in x:
        if not (isinstance(v, str) and 1 <= len(v) <= 64 and _p8.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v19(x):
    # /properties/portfolios/items/properties/share
    if not isinstance(x, dict):
        return False
    if not _k14.issuperset(x):
        return False
    if 'accounts' in x:
        if not _v20(x['accounts']):
            return False
    if 'organizational_units' in x:
        if not _v21(x['organizational_units']):
            return False
    if 'share_tag_options' in x:
        if not _v22(x['share_tag_options']):
            return False
    return True


def _v20(x):
    # /properties/portfolios/items/properties/share/properties/accounts
    if not isinstance(x, list):
        return False
    for v in x:
        if not (isinstance(v, str) and len(v) <= 12 and _p12.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v21(x):
    # /properties/portfolios/items/properties/share/properties/organizational_units
    if not isinstance(x, list):
        return False
    for v in x:
        if not (isinstance(v, str) and len(v) <= 68 and _p13.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v22(x):
    # /properties/portfolios/items/properties/share/properties/share_tag_options
    if not isinstance(x, bool):
        return False
    return True


def _v23(x):
    # /properties/portfolios/items/properties/constraints
    if not isinstance(x, list):
        return False
    if not all(map(_v24, x)):
        return False
    return True


def _v24(x):
    # /properties/portfolios/items/properties/constraints/items
    if not isinstance(x, dict):
        return False
    if 'product' not in x:
        return False
    if not _k15.issuperset(x):
        return False
    v = x['product']
    if not (isinstance(v, str) and 1 <= len(v) <= 64 and _p8.search(v) is not None):
        return False
    if 'description' in x:
        v = x['description']
        if not (isinstance(v, str) and len(v) <= 2000 and _p11.search(v) is not None):
            return False
    if 'launch' in x:
        if not _v25(x['launch']):
            return False
    if 'template' in x:
        if not _v26(x['template']):
            return False
    if 'tag_update' in x:
        if not _v34(x['tag_update']):
            return False
    if 'notifications' in x:
        if not _v35(x['notifications']):
            return False
    if 'stack_set' in x:
        if not _v36(x['stack_set']):
            return False
    if (('launch' in x) + ('template' in x) + ('tag_update' in x) + ('notifications' in x) + ('stack_set' in x)) != 1:
        return False
    return True


def _v25(x):
    # /properties/portfolios/items/properties/constraints/items/properties/launch
    if not isinstance(x, dict):
        return False
    if not _k16.issuperset(x):
        return False
    if 'role_arn' in x:
        v = x['role_arn']
        if not (isinstance(v, str) and len(v) <= 2048 and _p14.search(v) is not None):
            return False
    if 'local_role_name' in x:
        v = x['local_role_name']
        if not (isinstance(v, str) and len(v) <= 64 and _p15.search(v) is not None):
            return False
    if (('role_arn' in x) + ('local_role_name' in x)) != 1:
        return False
    return True


def _v26(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template
    if not isinstance(x, dict):
        return False
    if 'rules' not in x:
        return False
    if not _k17.issuperset(x):
        return False
    if not _v27(x['rules']):
        return False
    return True


def _v27(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules
    if not isinstance(x, dict):
        return False
    if len(x) < 1:
        return False
    if not all(map(_v28, x)):
        return False
    if not all(map(_v29, x.values())):
        return False
    return True


def _v28(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/propertyNames
    if isinstance(x, str):
        if len(x) > 255:
            return False
        if _p16.search(x) is None:
            return False
    return True


def _v29(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/additionalProperties
    if not isinstance(x, dict):
        return False
    if 'assertions' not in x:
        return False
    if not _k18.issuperset(x):
        return False
    if 'condition' in x:
        if not _v30(x['condition']):
            return False
    if not _v32(x['assertions']):
        return False
    return True


def _v30(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/additionalProperties/properties/condition
    if not isinstance(x, dict):
        return False
    if len(x) < 1:
        return False
    if len(x) > 1:
        return False
    if not all(map(_v31, x)):
        return False
    return True


def _v31(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/additionalProperties/properties/condition/propertyNames
    if not (x in _s20 if x.__class__ in _PLAIN else _any_equal(x, _e19)):
        return False
    return True


def _v32(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/additionalProperties/properties/assertions
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if not all(map(_v33, x)):
        return False
    return True


def _v33(x):
    # /properties/portfolios/items/properties/constraints/items/properties/template/properties/rules/additionalProperties/properties/assertions/items
    if not isinstance(x, dict):
        return False
    if 'assert' not in x:
        return False
    if not _k21.issuperset(x):
        return False
    if not _v30(x['assert']):
        return False
    if 'description' in x:
        v = x['description']
        if not (isinstance(v, str) and len(v) <= 1000 and _p11.search(v) is not None):
            return False
    return True


def _v34(x):
    # /properties/portfolios/items/properties/constraints/items/properties/tag_update
    if not (x in _s23 if x.__class__ in _PLAIN else _any_equal(x, _e22)):
        return False
    return True


def _v35(x):
    # /properties/portfolios/items/properties/constraints/items/properties/notifications
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if len(x) > 5:
        return False
    for v in x:
        if not (isinstance(v, str) and len(v) <= 1224 and _p17.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v36(x):
    # /properties/portfolios/items/properties/constraints/items/properties/stack_set
    if not isinstance(x, dict):
        return False
    if 'accounts' not in x or 'regions' not in x or 'admin_role' not in x or 'execution_role' not in x:
        return False
    if not _k24.issuperset(x):
        return False
    if not _v37(x['accounts']):
        return False
    if not _v38(x['regions']):
        return False
    v = x['admin_role']
    if not (isinstance(v, str) and len(v) <= 2048 and _p14.search(v) is not None):
        return False
    v = x['execution_role']
    if not (isinstance(v, str) and len(v) <= 64 and _p15.search(v) is not None):
        return False
    if 'instance_control' in x:
        if not _v34(x['instance_control']):
            return False
    return True


def _v37(x):
    # /properties/portfolios/items/properties/constraints/items/properties/stack_set/properties/accounts
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    for v in x:
        if not (isinstance(v, str) and len(v) <= 12 and _p12.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v38(x):
    # /properties/portfolios/items/properties/constraints/items/properties/stack_set/properties/regions
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    for v in x:
        if not (isinstance(v, str) and len(v) <= 32 and _p1.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v39(x):
    # /properties/products
    if not isinstance(x, list):
        return False
    if not all(map(_v40, x)):
        return False
    return True


def _v40(x):
    # /properties/products/items
    if not isinstance(x, dict):
        return False
    if 'name' not in x or 'owner' not in x or 'versions' not in x:
        return False
    if not _k25.issuperset(x):
        return False
    v = x['name']
    if not (isinstance(v, str) and 1 <= len(v) <= 64 and _p8.search(v) is not None):
        return False
    if 'display_name' in x:
        v = x['display_name']
        if not (isinstance(v, str) and 1 <= len(v) <= 8191 and _p10.search(v) is not None):
            return False
    v = x['owner']
    if not (isinstance(v, str) and 1 <= len(v) <= 8191 and _p10.search(v) is not None):
        return False
    if 'description' in x:
        v = x['description']
        if not (isinstance(v, str) and len(v) <= 8191 and _p11.search(v) is not None):
            return False
    if 'distributor' in x:
        v = x['distributor']
        if not (isinstance(v, str) and len(v) <= 8191 and _p10.search(v) is not None):
            return False
    if 'support' in x:
        if not _v41(x['support']):
            return False
    if 'tags' in x:
        if not _v8(x['tags']):
            return False
    if 'tag_options' in x:
        if not _v17(x['tag_options']):
            return False
    if not _v42(x['versions']):
        return False
    return True


def _v41(x):
    # /properties/products/items/properties/support
    if not isinstance(x, dict):
        return False
    if not _k26.issuperset(x):
        return False
    if 'email' in x:
        v = x['email']
        if not (isinstance(v, str) and len(v) <= 254 and _p18.search(v) is not None):
            return False
    if 'url' in x:
        v = x['url']
        if not (isinstance(v, str) and len(v) <= 2083 and _p19.search(v) is not None):
            return False
    if 'description' in x:
        v = x['description']
        if not (isinstance(v, str) and len(v) <= 8191 and _p11.search(v) is not None):
            return False
    return True


def _v42(x):
    # /properties/products/items/properties/versions
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if not all(map(_v43, x)):
        return False
    return True


def _v43(x):
    # /properties/products/items/properties/versions/items
    if not isinstance(x, dict):
        return False
    if 'name' not in x or 'template' not in x:
        return False
    if not _k27.issuperset(x):
        return False
    v = x['name']
    if not (isinstance(v, str) and 1 <= len(v) <= 100 and _p20.search(v) is not None):
        return False
    if 'description' in x:
        v = x['description']
        if not (isinstance(v, str) and len(v) <= 8192 and _p11.search(v) is not None):
            return False
    if 'active' in x:
        if not _v22(x['active']):
            return False
    if not _v44(x['template']):
        return False
    return True


def _v44(x):
    # /properties/products/items/properties/versions/items/properties/template
    if not isinstance(x, dict):
        return False
    if not _k28.issuperset(x):
        return False
    if 'builtin' in x:
        if not _v45(x['builtin']):
            return False
    if 'file' in x:
        v = x['file']
        if not (isinstance(v, str) and len(v) <= 1024 and _p21.search(v) is not None):
            return False
    if 'url' in x:
        v = x['url']
        if not (isinstance(v, str) and len(v) <= 2048 and _p22.search(v) is not None):
            return False
    if (('builtin' in x) + ('file' in x) + ('url' in x)) != 1:
        return False
    return True


def _v45(x):
    # /properties/products/items/properties/versions/items/properties/template/properties/builtin
    if not (x in _s30 if x.__class__ in _PLAIN else _any_equal(x, _e29)):
        return False
    return True


def _v46(x):
    # /properties/hotfix
    if not isinstance(x, dict):
        return False
    if 'repositories' not in x:
        return False
    if not _k31.issuperset(x):
        return False
    if 'reconcile_schedule' in x:
        v = x['reconcile_schedule']
        if not (isinstance(v, str) and len(v) <= 256 and _p23.search(v) is not None):
            return False
    if 'reserved_concurrency' in x:
        if not _v22(x['reserved_concurrency']):
            return False
    if 'developers' in x:
        if not _v47(x['developers']):
            return False
    if not _v48(x['repositories']):
        return False
    return True


def _v47(x):
    # /properties/hotfix/properties/developers
    if not isinstance(x, list):
        return False
    for v in x:
        if not (isinstance(v, str) and 1 <= len(v) <= 64 and _p8.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v48(x):
    # /properties/hotfix/properties/repositories
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if not all(map(_v49, x)):
        return False
    return True


def _v49(x):
    # /properties/hotfix/properties/repositories/items
    if not isinstance(x, dict):
        return False
    if 'name' not in x or 'product' not in x or 'portfolio' not in x or 'parameters' not in x:
        return False
    if not _k32.issuperset(x):
        return False
    v = x['name']
    if not (isinstance(v, str) and 1 <= len(v) <= 100 and _p24.search(v) is not None):
        return False
    if 'create' in x:
        if not _v22(x['create']):
            return False
    if 'provider' in x:
        if not _v50(x['provider']):
            return False
    if 'full_repository_id' in x:
        v = x['full_repository_id']
        if not (isinstance(v, str) and 3 <= len(v) <= 255 and _p25.search(v) is not None):
            return False
    if 'connection_arn' in x:
        v = x['connection_arn']
        if not (isinstance(v, str) and len(v) <= 256 and _p26.search(v) is not None):
            return False
    if 'create_connection' in x:
        if not _v22(x['create_connection']):
            return False
    if 'webhook_secret' in x:
        v = x['webhook_secret']
        if not (isinstance(v, str) and 1 <= len(v) <= 512 and _p27.search(v) is not None):
            return False
    if 'api_token' in x:
        v = x['api_token']
        if not (isinstance(v, str) and 1 <= len(v) <= 512 and _p27.search(v) is not None):
            return False
    if 'api_url' in x:
        v = x['api_url']
        if not (isinstance(v, str) and len(v) <= 2048 and _p28.search(v) is not None):
            return False
    if 'branch_prefix' in x:
        v = x['branch_prefix']
        if not (isinstance(v, str) and 1 <= len(v) <= 50 and _p29.search(v) is not None):
            return False
    v = x['product']
    if not (isinstance(v, str) and 1 <= len(v) <= 64 and _p8.search(v) is not None):
        return False
    v = x['portfolio']
    if not (isinstance(v, str) and 1 <= len(v) <= 64 and _p8.search(v) is not None):
        return False
    if 'merge_into' in x:
        if not _v51(x['merge_into']):
            return False
    if 'approvers' in x:
        if not _v18(x['approvers']):
            return False
    if 'approval_notifications' in x:
        if not _v52(x['approval_notifications']):
            return False
    if not _v53(x['parameters']):
        return False
    return True


def _v50(x):
    # /properties/hotfix/properties/repositories/items/properties/provider
    if not (x in _s34 if x.__class__ in _PLAIN else _any_equal(x, _e33)):
        return False
    return True


def _v51(x):
    # /properties/hotfix/properties/repositories/items/properties/merge_into
    if not isinstance(x, list):
        return False
    if len(x) < 1:
        return False
    if len(x) > 10:
        return False
    for v in x:
        if not (isinstance(v, str) and 1 <= len(v) <= 256 and _p30.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v52(x):
    # /properties/hotfix/properties/repositories/items/properties/approval_notifications
    if not isinstance(x, list):
        return False
    for v in x:
        if not (isinstance(v, str) and len(v) <= 254 and _p18.search(v) is not None):
            return False
    if len(set(x)) != len(x):
        return False
    return True


def _v53(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters
    if not isinstance(x, dict):
        return False
    if 'application_name' not in x:
        return False
    if not _k35.issuperset(x):
        return False
    v = x['application_name']
    if not (isinstance(v, str) and len(v) <= 20 and _p31.search(v) is not None):
        return False
    if 'ecr_repository' in x:
        v = x['ecr_repository']
        if not (isinstance(v, str) and 2 <= len(v) <= 256 and _p32.search(v) is not None):
            return False
    if 'build_image' in x:
        v = x['build_image']
        if not (isinstance(v, str) and 1 <= len(v) <= 255 and _p33.search(v) is not None):
            return False
    if 'container' in x:
        if not _v54(x['container']):
            return False
    return True


def _v54(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/container
    if not isinstance(x, dict):
        return False
    if not _k36.issuperset(x):
        return False
    if 'port' in x:
        if not _v55(x['port']):
            return False
    if 'cpu' in x:
        if not _v56(x['cpu']):
            return False
    if 'memory' in x:
        if not _v57(x['memory']):
            return False
    if 'desired_count' in x:
        if not _v58(x['desired_count']):
            return False
    return True


def _v55(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/container/properties/port
    if not _integer(x):
        return False
    if x < 1:
        return False
    if x > 65535:
        return False
    return True


def _v56(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/container/properties/cpu
    if not (x in _s38 if x.__class__ in _PLAIN else _any_equal(x, _e37)):
        return False
    return True


def _v57(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/container/properties/memory
    if not _integer(x):
        return False
    if x < 512:
        return False
    if x > 30720:
        return False
    return True


def _v58(x):
    # /properties/hotfix/properties/repositories/items/properties/parameters/properties/container/properties/desired_count
    if not _integer(x):
        return False
    if x < 0:
        return False
    if x > 10:
        return False
    return True
