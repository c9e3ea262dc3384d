"""How much ``--jobs`` speeds up ``boilerstrip clean`` on a folder of synthetic documents.

Makes ``--docs`` documents (default 2,000, about 4 KB each: a body of prose wrapped in
navigation, share buttons, related links, comments and a footer) in a temporary folder, then
times ``boilerstrip clean FOLDER -o OUT -q --jobs N`` as a subprocess for each N, best of
``--repeat`` interleaved runs, and prints the wall-clock times and their ratio::

    python -m benchmarks.batch_speed --jobs 1 2
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "the council approved new budget after long debate schools roads spending rises percent officials "
    "said plan relied forecasts warned taxes revenue opposition members city residents year million "
    "report district water housing transport agreed vote week month public meeting local government"
).split()
NOISE = [
    "Home > News > Local", "Share news", "Share on Facebook", "Tweet", "Related articles", "Most read",
    "Sign up for our newsletter", "0 comments", "Advertisement", "© 2024 Example Media. All rights reserved.",
    "Privacy policy", "Cookie settings", "Read more", "Tags: budget, council", "Photo: Reuters",
]


def document(rng: random.Random) -> str:
    """One synthetic scraped page: noise, a title, paragraphs of prose, more noise."""
    def sentence() -> str:
        words = rng.choices(WORDS, k=rng.randint(12, 28))
        return " ".join(words).capitalize() + "."

    lines = rng.sample(NOISE, 4) + [" ".join(rng.choices(WORDS, k=6)).title(), ""]
    for _ in range(rng.randint(6, 14)):
        lines += [" ".join(sentence() for _ in range(rng.randint(1, 3))), ""]
    lines += rng.sample(NOISE, 6)
    return "\n".join(lines) + "\n"


def make_corpus(folder: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` documents in 20 sub-folders; returns the total bytes."""
    rng = random.Random(seed)
    total = 0
    for i in range(count):
        path = folder / f"part{i % 20:02d}" / f"doc{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = document(rng).encode()
        path.write_bytes(data)
        total += len(data)
    return total


def time_run(source: Path, out: Path, jobs: int) -> float:
    """Seconds of one ``boilerstrip clean`` run, process start included."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "boilerstrip", "clean", str(source), "-o", str(out), "-q", "--jobs", str(jobs)],
        check=True,
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "corpus"
        size = make_corpus(source, args.docs)
        print(f"{args.docs:,} documents, {size / 1e6:.1f} MB")
        runs: dict[int, list[float]] = {jobs: [] for jobs in args.jobs}
        for r in range(args.repeat):  # interleaved, so a change in machine load hits every setting
            for jobs in args.jobs:
                runs[jobs].append(time_run(source, Path(tmp) / f"out-{jobs}-{r}", jobs))
        best = {jobs: min(times) for jobs, times in runs.items()}
        for jobs in args.jobs:
            print(f"--jobs {jobs}: {best[jobs]:.2f} s (best of {args.repeat}), {args.docs / best[jobs]:,.0f} documents/s")
        base = best[args.jobs[0]]
        for jobs in args.jobs[1:]:
            print(f"--jobs {jobs} is {base / best[jobs]:.2f}x as fast as --jobs {args.jobs[0]}")


if __name__ == "__main__":
    main()
