"""Unsealing cost per record, both seals side by side: ``python -m bench.seal_bench [--records N]``.

The records are the sync benchmark's interview, sealed as the tablet seals them
(``seal_ecdh``: ECDH-ES-P256 + HKDF-SHA256 + AES-256-GCM; ``seal``: the old
RSA-OAEP-3072 wrap of an AES-256-GCM key). Each is opened by the server's
``unseal``, in the same run; the figure is the best of three passes. The old seal
is the baseline: one core can open at most 1 / (its cost) records per second.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from survey.sync.keys import KEY_BITS, KeyPair
from survey.sync.sealing import Sealed, seal, seal_ecdh, unseal
from tests.sync_support import plaintext


def per_record(records: list[dict[str, Any]], pair: KeyPair, passes: int = 3) -> float:
    """Seconds per record to parse and unseal, best of ``passes``."""
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for record in records:
            unseal(Sealed.from_json(record), pair)
        best = min(best, (time.perf_counter() - start) / len(records))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    count = parser.parse_args().records
    pair = KeyPair(rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS),
                   ec.generate_private_key(ec.SECP256R1()))
    sealers: dict[str, Callable[[], dict[str, str]]] = {
        "RSA-OAEP-3072 (old, baseline)": lambda: seal(plaintext(), pair.public),
        "ECDH-ES-P256 + HKDF (new)": lambda: seal_ecdh(plaintext(), pair.ec_public),
    }
    costs = {name: per_record([make() for _ in range(count)], pair) for name, make in sealers.items()}
    baseline = next(iter(costs.values()))
    print(f"unseal cost per record, {count} records, best of 3 passes")
    print(f"{'seal':32} {'ms/record':>10} {'records/s/core':>15} {'vs old':>8}")
    for name, cost in costs.items():
        print(f"{name:32} {cost * 1000:10.3f} {1 / cost:15,.0f} {baseline / cost:7.1f}x")


if __name__ == "__main__":
    main()
