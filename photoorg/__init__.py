"""PhotoOrg: a local photo organizer with CLIP search and zero-shot tagging."""

import os

__version__ = "0.1.0"

# numpy's OpenBLAS threads spin for a while after every product, waiting for more work,
# and on a small machine they take the cores from torch's next forward pass: a text query
# took twice as long right after the relevance cutoff's product (147 -> 66 ms on two
# cores, benchmarks/bench_search.py). Set before anything imports numpy; the exponent
# makes them sleep after 2**4 cycles instead of spinning.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

# torch's OpenMP threads (libgomp) likewise spin after each parallel region, by default
# for ~300,000 cycles. While indexing, the decode threads share the cores with the model:
# a spinning thread takes a core that a decode thread could use, and the pipeline falls
# short of what the two could do together (benchmarks/bench_encode.py). PASSIVE makes
# them sleep at once; a forward pass's regions are long enough that waking costs little.
# Must be set before torch is imported (libgomp reads it when it loads).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
