"""The demo city is built by loaders each app registers in AppConfig.ready(); `shishi demo`
runs them in order. Every loader is idempotent."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Loader:
    order: int
    label: str
    load: Callable[[], str]  # returns one line saying what it did


_LOADERS: list[Loader] = []


def register(*, order: int, label: str, load: Callable[[], str]) -> None:
    _LOADERS.append(Loader(order, label, load))


def loaders() -> list[Loader]:
    return sorted(_LOADERS, key=lambda loader: loader.order)
