"""Waiting, made visible: a live progress bar on a terminal (rich), plain lines otherwise.

Results (what each stack did) are printed by the caller on stdout either
way; this module only shows CloudFormation working through a stack's
resources while the run waits.

Every line goes through ``printable``: a stack event's reason is AWS's text
about the user's template (it can quote a property value) and a custom
resource writes its own, so it is shown, never obeyed. On a terminal rich
is told it is plain text: CloudFormation's reasons hold brackets
(``[#/BucketName: ...]``) that rich's markup would swallow, or choke on.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

from ..printable import printable
from .stacks import Watch

DONE_SUFFIXES = ("_COMPLETE", "_FAILED", "_SKIPPED")


def _is_resource_done(event: dict, stack_name: str) -> bool:
    return event.get("LogicalResourceId") != stack_name and str(event.get("ResourceStatus", "")).endswith(DONE_SUFFIXES)


class Plain:
    """Lines for logs: a resource that failed, as it happens; the caller prints the rest."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def line(self, text: str) -> None:
        print(printable(text), file=self.stream, flush=True)

    def _failed(self, event: dict) -> None:
        if str(event.get("ResourceStatus", "")).endswith("_FAILED"):
            self.line(f"    {event.get('LogicalResourceId')} {event.get('ResourceStatus')}: "
                      f"{event.get('ResourceStatusReason', '')}")

    @contextmanager
    def stack(self, stack_name: str, total: int):
        """While CloudFormation works on ``total`` resource changes of the stack."""
        yield Watch(self._failed)


class Live(Plain):
    """A rich progress bar on stderr while CloudFormation works; results still go to stdout."""

    def __init__(self, stream=None) -> None:
        super().__init__(stream)
        from rich.console import Console

        self.console = Console(stderr=True)

    @contextmanager
    def stack(self, stack_name: str, total: int):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = (SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=self.console, transient=True) as bar:
            task = bar.add_task(stack_name, total=max(total, 1))
            done = set()

            def on_event(event: dict) -> None:
                if _is_resource_done(event, stack_name):
                    done.add(event.get("LogicalResourceId"))
                    bar.update(task, completed=min(len(done), max(total, 1)))
                status = printable(f"{event.get('LogicalResourceId')} {event.get('ResourceStatus')}")
                bar.update(task, description=f"{stack_name}: {status}")
                if str(event.get("ResourceStatus", "")).endswith("_FAILED"):
                    bar.console.print(printable(f"    {status}: {event.get('ResourceStatusReason', '')}"),
                                      markup=False, highlight=False)

            yield Watch(on_event)


def reporter(stream=None):
    """Live progress when stderr is a terminal, plain lines when it is a pipe or a file."""
    return Live(stream) if sys.stderr.isatty() else Plain(stream)
