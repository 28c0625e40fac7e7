"""PhotoOrg: a local photo organizer with CLIP search and zero-shot tagging."""

import os

__version__ = "0.1.0"

# numpy's OpenBLAS threads spin for a while after every product, waiting for more work,
# and on a small machine they take the cores from torch's next forward pass: a text query
# took twice as long right after the relevance cutoff's product (147 -> 66 ms on two
# cores, benchmarks/bench_search.py). Set before anything imports numpy; the exponent
# makes them sleep after 2**4 cycles instead of spinning.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")
