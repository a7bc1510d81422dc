"""The demo city is built by loaders each app registers in AppConfig.ready(); `shishi demo`
runs them in order (`--only appeals,projects` runs those and what they stand on). Every
loader is idempotent."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Loader:
    order: int
    name: str  # what `shishi demo --only` calls it
    label: str
    load: Callable[[], str]  # returns one line saying what it did


_LOADERS: list[Loader] = []
# Every part stands on the organisation; the summary is always recounted last.
ALWAYS = ("orgs", "summary")


def register(*, order: int, name: str, label: str, load: Callable[[], str]) -> None:
    _LOADERS.append(Loader(order, name, label, load))


def loaders(only: Iterable[str] = ()) -> list[Loader]:
    """The loaders in order; with `only`, those named and the ones every part needs. An
    unknown name raises ValueError naming the known ones."""
    wanted = set(only)
    known = {loader.name for loader in _LOADERS}
    if unknown := wanted - known:
        raise ValueError(
            f"没有演示数据“{'、'.join(sorted(unknown))}”，可选：{'、'.join(sorted(known))}"
        )
    chosen = [
        loader
        for loader in _LOADERS
        if not wanted or loader.name in wanted or loader.name in ALWAYS
    ]
    return sorted(chosen, key=lambda loader: loader.order)
