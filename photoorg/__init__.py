"""PhotoOrg: a local photo organizer with CLIP search and zero-shot tagging."""

__version__ = "0.1.0"
