"""The unit tree as arrays: depths, ancestor lists and children, with an organisation row on top.

Unit index `n_units` is a virtual organisation root above every real root, so "the whole
organisation" is just one more row in every aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from milepost.engines.gaps.inputs import NO_PARENT, GapInputError, IntArray


@dataclass(frozen=True)
class UnitTree:
    parent: npt.NDArray[np.int32]  # length n_units + 1; real roots point at the organisation row
    depth: npt.NDArray[np.int32]  # organisation row is depth 0, real roots depth 1
    ancestor_indptr: npt.NDArray[np.int64]  # CSR: unit -> itself, its parent, ..., organisation
    ancestors: npt.NDArray[np.int32]
    child_indptr: npt.NDArray[np.int64]  # CSR: unit -> direct children
    children: npt.NDArray[np.int32]
    bottom_up: npt.NDArray[np.int32]  # every real unit, deepest first

    @property
    def organisation(self) -> int:
        return len(self.parent) - 1

    def ancestors_of(self, unit: int) -> npt.NDArray[np.int32]:
        return self.ancestors[self.ancestor_indptr[unit] : self.ancestor_indptr[unit + 1]]

    def children_of(self, unit: int) -> npt.NDArray[np.int32]:
        return self.children[self.child_indptr[unit] : self.child_indptr[unit + 1]]


def build_tree(unit_parent: IntArray) -> UnitTree:
    """Depths and ancestor lists by walking all units up one level at a time (vectorised)."""
    n = len(unit_parent)
    organisation = n
    parent = np.append(np.where(unit_parent == NO_PARENT, organisation, unit_parent), -1).astype(
        np.int32
    )
    # Walk every unit up together; each step records (unit, ancestor) pairs.
    pair_unit = [np.arange(n + 1, dtype=np.int32)]
    pair_ancestor = [np.arange(n + 1, dtype=np.int32)]
    depth = np.zeros(n + 1, dtype=np.int32)
    walking = np.arange(n, dtype=np.int32)
    position = walking.copy()
    steps = 0
    while len(walking):
        steps += 1
        if steps > n + 1:
            raise GapInputError(f"unit_parent has a cycle through unit {int(walking[0])}")
        position = parent[position]
        pair_unit.append(walking)
        pair_ancestor.append(position)
        depth[walking] += 1
        still = position != organisation
        walking, position = walking[still], position[still]
    units = np.concatenate(pair_unit)
    ancestors = np.concatenate(pair_ancestor)
    # Order each unit's ancestors from itself upwards (deepest first).
    order = np.lexsort((-depth[ancestors], units))
    ancestor_indptr = np.zeros(n + 2, dtype=np.int64)
    np.cumsum(np.bincount(units, minlength=n + 1), out=ancestor_indptr[1:])

    has_parent = np.arange(n, dtype=np.int32)
    by_parent = np.argsort(parent[:n], kind="stable")
    child_indptr = np.zeros(n + 2, dtype=np.int64)
    np.cumsum(np.bincount(parent[:n], minlength=n + 1), out=child_indptr[1:])
    return UnitTree(
        parent=parent,
        depth=depth,
        ancestor_indptr=ancestor_indptr,
        ancestors=ancestors[order].astype(np.int32),
        child_indptr=child_indptr,
        children=has_parent[by_parent],
        bottom_up=np.argsort(-depth[:n], kind="stable").astype(np.int32),
    )


def roll_up(tree: UnitTree, direct: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
    """Turn per-unit rows (direct members only) into subtree rows in place, deepest units first.

    A Python loop over units (not people): one row addition per unit, which beats grouped
    reductions over the whole matrix because each row is touched exactly once.
    """
    parent = tree.parent.tolist()
    for unit in tree.bottom_up.tolist():
        direct[parent[unit]] += direct[unit]
    return direct
