"""Reading a form file: the pure-Python YAML parser against libyaml's, same run.

    .venv/bin/python bench/yaml_bench.py [--form forms/priorities.yaml] [--rounds 30]

Both use the project's constructors (line marks, YAML 1.2 core scalars, checked
tags); the script checks that they give the same values before it times them,
and prints the median of each and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from survey import yaml_source  # noqa: E402
from survey.forms.loader import default_registry, form_from_data  # noqa: E402


def median_ms(text: str, loader: type, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        yaml_source.load(text, loader)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--form", default=str(PROJECT / "forms" / "priorities.yaml"))
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    text = Path(args.form).read_text(encoding="utf-8")
    loaders = {loader.__name__: loader for loader in yaml_source.LOADERS}
    if "_CLoader" not in loaders:
        sys.exit("PyYAML has no libyaml here: only the pure parser is available")
    values = [yaml_source.load(text, loader) for loader in loaders.values()]
    assert values[0] == values[1], "the parsers disagree"
    pure, c = median_ms(text, loaders["_Loader"], args.rounds), median_ms(text, loaders["_CLoader"], args.rounds)
    start = time.perf_counter()
    form_from_data(values[0], args.form, default_registry())
    checks = (time.perf_counter() - start) * 1000
    print(f"{Path(args.form).name}: {len(text.encode()):,} bytes, median of {args.rounds}")
    print(f"  pure-Python SafeLoader  {pure:7.1f} ms")
    print(f"  libyaml CSafeLoader     {c:7.1f} ms   ({pure / c:.1f}x faster)")
    print(f"  the loader's checks     {checks:7.1f} ms   (after parsing, either parser)")


if __name__ == "__main__":
    main()
