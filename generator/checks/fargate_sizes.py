"""Container cpu and memory form a task size Fargate offers.

Amazon ECS developer guide, "Troubleshoot Amazon ECS task definition invalid
CPU or memory errors", and the RegisterTaskDefinition 'memory' parameter
(botocore's ECS model documents the same table): 256 CPU units take 512,
1024 or 2048 MiB; 512 take 1024 to 4096 in 1024 steps; 1024 take 2048 to
8192; 2048 take 4096 to 16384; 4096 take 8192 to 30720, each in 1024
steps. Any other pair fails when the stack registers the task definition.
"""

from __future__ import annotations

from .finding import Finding

CODE = "semantic/fargate-size"

MEMORY_BY_CPU = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
}


def _offered(memory: tuple[int, ...]) -> str:
    if len(memory) <= 4:
        return ", ".join(map(str, memory))
    return f"{memory[0]} to {memory[-1]} in steps of {memory[1] - memory[0]}"


def check(cat, ctx):
    if not cat.hotfix:
        return
    for repo in cat.hotfix.repositories:
        container = repo.parameters.container
        offered = MEMORY_BY_CPU.get(container.cpu)
        if offered is not None and container.memory not in offered:
            yield Finding(repo.path + ("parameters", "container", "memory"),
                f"hotfix repository '{repo.name}' (line {ctx.line(repo.path)}) asks Fargate for {container.cpu} CPU units and "
                f"{container.memory} MiB, a task size Fargate does not offer; with {container.cpu} CPU units, memory is "
                f"{_offered(offered)} MiB")
