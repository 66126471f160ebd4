"""The demo's figures: computed once every other package has added its demo
cases and signals (`registry.add_demo(..., order=1000)`)."""

from . import facts


def seed(demo) -> None:
    facts.refresh()
