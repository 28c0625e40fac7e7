"""Encoding archives beyond one machine with Spark (optional: ``photoorg[spark]``)."""
