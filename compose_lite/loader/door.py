"""The loader's one door: a request in, the canonical model and the bound project out.

``load`` goes through the memo (a repeated load whose inputs did not change costs a file stat per
input); the bound project is made (and the binder imported) on first use, so `config` never pays
for binding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from compose_lite.errors import ConfigError
from compose_lite.loader.memo import LoadMemo
from compose_lite.loader.request import LoadedProject, LoadRequest

if TYPE_CHECKING:
    from compose_lite.model import Project


@dataclass
class LoadResult:
    """What a load produced: the canonical model (as `config` prints it), its warnings, and the
    typed project every other command works from."""

    loaded: LoadedProject
    memo: LoadMemo = field(repr=False)

    @property
    def model(self) -> dict[str, Any]:
        return self.loaded.model

    @property
    def warnings(self) -> list[ConfigError]:
        return self.loaded.warnings

    def rendered(self, variant: str, render: Callable[[LoadedProject], str]) -> str:
        """``render(loaded)``, remembered with the load (what `config` prints, per format)."""
        return self.memo.rendered(variant, render)

    @cached_property
    def project(self) -> Project:
        from compose_lite.loader.bind import bind  # the typed model costs ~15 ms to import: not for `config`

        loaded = self.loaded
        return bind(loaded.model, working_dir=loaded.working_dir, config_files=tuple(loaded.config_files),
                    environment=loaded.environment, disabled_services=tuple(loaded.disabled_services))


def load(request: LoadRequest) -> LoadResult:
    memo = LoadMemo(request)
    return LoadResult(memo.project(), memo)
