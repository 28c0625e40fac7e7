"""The project's own exceptions.

Every failure a user can cause or meet (a missing folder, a broken photo, an unreadable
catalog, a model that is not on disk) is one of these, with a message that can be shown
as it is. Anything else reaching the top level is a bug.
"""


class PhotoOrgError(Exception):
    """Base class: an expected failure with a message fit for the user."""


class UsageError(PhotoOrgError):
    """The user asked for something malformed (bad query, unknown label, bad date)."""


class NotEncodedError(UsageError):
    """A search by description before any photo has a vector from the model. The CLI
    says how to index; the window encodes waiting photos by itself and says so."""


class OutsideLibraryError(UsageError):
    """Photos would be moved to a folder under no library root: their catalog entries
    (and decisions) would be lost at the next scan. Add the folder as a root first."""


class CatalogError(PhotoOrgError):
    """The catalog cannot be opened or written (damaged, read-only, newer version)."""


class CatalogDamagedError(CatalogError):
    """The catalog file is damaged (SQLite says corrupt, or not a database at all)."""


class ImageError(PhotoOrgError):
    """A file cannot be read as a photo. The message says why."""


class ModelError(PhotoOrgError):
    """A CLIP model cannot be loaded (missing weights, bad folder, unsafe file)."""


class Cancelled(PhotoOrgError):
    """A long job was cancelled by the user."""
