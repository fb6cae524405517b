"""Consistent perturbation by the cell-key method (ABS TableBuilder, ONS Cantabular).

Each submission is given a random *record key* in ``[0, RANGE)`` when it is
stored (``Submission.record_key``). The counts kept for results carry, beside
each count, the sum of its contributors' record keys (``keys``). A published
cell's *cell key* is that sum modulo ``RANGE``, shifted by the *epoch* (below);
``P_TABLE`` maps (true count, cell key) to the count that is published.

So the same people always give the same published number, however the
question is asked; a cell with one person more or less has a different key,
and so fresh noise: two overlapping tables do not subtract to one person.
True counts of 1 and 2 are never published (they become 0 or 3), and the
noise is unbiased: on average a published count is the true count.

The *epoch* is the number of withdrawals recorded. Each withdrawal redraws
every cell key (``cell_key_in``), so all published numbers change a little at once and the
difference between the tables before and after a withdrawal is noise over
every cell, not the withdrawn participant's answers.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import itertools
import secrets

RANGE = 240
"""Record and cell keys are in ``[0, RANGE)``; every probability below is a multiple of 1/RANGE."""

# True count -> (published count, probability in 1/RANGE) for counts 0..4; from 5 on, the
# count plus an adjustment from LARGE. Each row adds up to RANGE and its mean is the true count.
SMALL: dict[int, tuple[tuple[int, int], ...]] = {
    0: ((0, 240),),
    1: ((0, 160), (3, 80)),
    2: ((0, 80), (3, 160)),
    3: ((0, 48), (3, 84), (4, 72), (5, 36)),
    4: ((0, 12), (3, 72), (4, 72), (5, 48), (6, 36)),
}
LARGE: tuple[tuple[int, int], ...] = ((-2, 36), (-1, 48), (0, 72), (1, 48), (2, 36))


def _row(count: int) -> tuple[tuple[int, int], ...]:
    if count in SMALL:
        return SMALL[count]
    return tuple((count + change, weight) for change, weight in LARGE)


def p_table(up_to: int = 6) -> list[tuple[int, int, int, int]]:
    """The published p-table: (true count, first cell key, last cell key, published count)."""
    found = []
    for count in range(up_to + 1):
        start = 0
        for published, weight in _row(count):
            found.append((count, start, start + weight - 1, published))
            start += weight
    return found


def perturb(count: int, keys: int, epoch: int = 0) -> int:
    """The published count of a cell of ``count`` people whose record keys add up to ``keys``."""
    if count <= 0:
        return 0
    cell_key = cell_key_in(keys, epoch)
    row = _row(count)
    uppers = list(itertools.accumulate(weight for _, weight in row))
    return row[bisect.bisect_right(uppers, cell_key)][0]


def cell_key_in(keys: int, epoch: int = 0) -> int:
    """The cell key of a cell whose record keys add up to ``keys``, after ``epoch`` withdrawals.

    Before the first withdrawal it is ``keys`` modulo ``RANGE``; after, that
    key is mixed with the epoch by a hash, so that every cell's noise is drawn
    afresh (a shift of every key by the same amount would leave most cells in
    the same row of the p-table, and the cells that change would be hers).
    """
    if epoch <= 0:
        return keys % RANGE
    digest = hashlib.sha256(f"survey.results.epoch:{epoch}:{keys % RANGE}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % RANGE


def new_record_key() -> int:
    return secrets.randbelow(RANGE)


def derived_record_key(secret: str, public_id: str) -> int:
    """A record key for a submission stored before keys were kept: secret, and stable."""
    digest = hmac.new(secret.encode(), public_id.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") % RANGE
