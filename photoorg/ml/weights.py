"""Model weights from the Hugging Face hub: are they here, and fetching them with progress.

open_clip downloads what it misses by itself, silently, and offline only fails after
huggingface_hub has tried the network. The app asks first (``missing``), which looks
at the local cache only, and downloads here, reporting bytes and honouring a cancel,
into the very cache open_clip reads afterwards: open_clip then finds every file and
downloads nothing. A cancelled download leaves huggingface_hub's partial file, and the
next attempt resumes it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from photoorg.errors import Cancelled, ModelError
from photoorg.ml.spec import ModelSpec

CONFIG_FILE = "open_clip_config.json"
SAFE_WEIGHTS = "open_clip_model.safetensors"
OPEN_CLIP_SAFE_ALT = "open_clip_pytorch_model.safetensors"
PICKLED_SUFFIXES = (".bin", ".pth", ".pt", ".ckpt")
PICKLED_WEIGHTS = "open_clip_pytorch_model.bin"

ByteProgress = Callable[[int, int], None]
"""``(bytes done, bytes in all)``; the total is 0 while unknown."""


@dataclass(frozen=True)
class HubFiles:
    repo: str
    choices: tuple[tuple[str, ...], ...]
    """Per needed file, the names it may have, preferred first (safetensors first)."""


def hub_files(spec: ModelSpec) -> HubFiles | None:
    """What ``spec`` needs from the hub, in open_clip's order; None when it needs nothing
    from there (a ``local-dir:`` folder, or weights open_clip fetches from a plain URL)."""
    if spec.local_dir is not None:
        return None
    if spec.hub_repo is not None:
        return HubFiles(spec.hub_repo, ((CONFIG_FILE,), (SAFE_WEIGHTS, PICKLED_WEIGHTS)))
    import open_clip

    hub = (open_clip.get_pretrained_cfg(spec.arch, spec.pretrained) or {}).get("hf_hub", "")
    if not hub:
        return None
    # open_clip's convention: "org/repo/" for its default file name, "org/repo/file.bin".
    repo, filename = os.path.split(hub)
    filename = filename or PICKLED_WEIGHTS
    names = (SAFE_WEIGHTS,) if filename == PICKLED_WEIGHTS else ()
    if filename != PICKLED_WEIGHTS and filename.endswith((".bin", ".pth")):
        names = (filename[:-4] + ".safetensors",)
    return HubFiles(repo, ((*names, filename),))


def missing(spec: ModelSpec) -> bool:
    """Whether a needed file is absent from the local Hugging Face cache (no network):
    the weights, and for a Hugging Face text tower its tokenizer and config too."""
    from photoorg.ml import hub_text

    if hub_text.missing_repos(spec):
        return True
    files = hub_files(spec)
    if files is None:
        return False
    from huggingface_hub import try_to_load_from_cache

    return not all(
        any(isinstance(try_to_load_from_cache(files.repo, name), str) for name in names)
        for names in files.choices
    )


def download(
    spec: ModelSpec, progress: ByteProgress, cancelled: Callable[[], bool] = lambda: False
) -> None:
    """Fetch what ``spec`` needs into the Hugging Face cache, reporting bytes.

    Raises ``Cancelled`` when ``cancelled()`` turns true (what came so far is kept for
    the next attempt), and ``ModelError``
    (saying what to fetch by hand) when the hub cannot be reached.
    """
    from photoorg.ml import hub_text

    files = hub_files(spec)
    if files is None and not hub_text.missing_repos(spec):
        return
    from huggingface_hub import hf_hub_download, try_to_load_from_cache
    from huggingface_hub.errors import EntryNotFoundError, LocalEntryNotFoundError

    if not hub_reachable():
        unreachable = ConnectionError(f"{_hub_address()[0]} cannot be reached")
        raise ModelError(cannot_fetch(spec, unreachable))
    bar = _progress_bar(progress, cancelled)
    try:  # the text tower's tokenizer and config: small, fetched first
        hub_text.download(spec, bar, cancelled)
    except Cancelled:
        raise
    except Exception as exc:
        raise ModelError(cannot_fetch(spec, exc)) from exc
    for names in files.choices if files is not None else ():
        if any(isinstance(try_to_load_from_cache(files.repo, n), str) for n in names):
            continue
        for name in names:
            try:
                hf_hub_download(files.repo, name, tqdm_class=bar)
                break
            except Cancelled:
                raise
            except EntryNotFoundError as exc:
                if isinstance(exc, LocalEntryNotFoundError):  # "not here, and offline"
                    raise ModelError(cannot_fetch(spec, exc)) from exc
                continue  # the repository has the next name on the list, not this one
            except Exception as exc:  # no network, a proxy, a full disk: all "cannot fetch"
                raise ModelError(cannot_fetch(spec, exc)) from exc
        else:
            raise ModelError(f"the Hugging Face repository {files.repo} has none of {names}")


def hub_reachable(timeout: float = 3.0) -> bool:
    """Whether the hub answers a TCP connection: seconds, where huggingface_hub's own
    retries take most of a minute to give up on a computer without a network."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on"):
        return False
    if any(os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")):
        return True  # only the proxy knows; let huggingface_hub go through it
    import socket

    try:
        with socket.create_connection(_hub_address(), timeout=timeout):
            return True
    except OSError:
        return False


def _hub_address() -> tuple[str, int]:
    from urllib.parse import urlsplit

    from huggingface_hub import constants

    url = urlsplit(constants.ENDPOINT)
    return url.hostname or "huggingface.co", url.port or (80 if url.scheme == "http" else 443)


def cannot_fetch(spec: ModelSpec, exc: BaseException) -> str:
    """What to tell a user whose model's weights are not here and could not be fetched."""
    from photoorg.ml import hub_text

    files = hub_files(spec)
    repo = files.repo if files else None
    where = f"the Hugging Face repository {repo}" if repo else "its weights"
    text_repos = hub_text.missing_repos(spec)
    if text_repos:  # a Hugging Face text tower: its tokenizer comes from the hub too
        where += " and the tokenizer files of " + ", ".join(text_repos)
    detail = str(exc).splitlines()[0] if str(exc) else "no detail"
    return (
        f"the weights of {spec.id} are not on this computer and could not be downloaded "
        f"({type(exc).__name__}: {detail}). Connect to the internet once, or download "
        f"{where} (e.g. `hf download {repo or 'ORG/REPO'}`) into the Hugging Face cache, "
        f"or pass --model local-dir:/path/to/folder with {CONFIG_FILE} and {SAFE_WEIGHTS}"
    )


def _progress_bar(progress: ByteProgress, cancelled: Callable[[], bool]) -> type:
    """A tqdm class for huggingface_hub that reports to ``progress`` and prints nothing."""
    from tqdm import tqdm

    class Bar(tqdm):
        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs["disable"] = True  # nothing on the terminal; n and total still kept
            super().__init__(*args, **kwargs)
            self.n = int(kwargs.get("initial") or 0)  # type: ignore[arg-type]
            self.total = int(kwargs.get("total") or 0)  # type: ignore[arg-type]

        def update(self, n: float | None = 1) -> bool | None:
            if cancelled():
                raise Cancelled("download cancelled")
            self.n += int(n or 0)
            progress(self.n, self.total or 0)
            return None

    return Bar


def check_local_dir(folder: Path) -> None:
    """A ModelError saying what is wrong unless ``folder`` is a usable open_clip model
    folder (no torch needed: the window checks a chosen folder before using it)."""
    if not folder.is_dir():
        raise ModelError(f"model folder not found: {folder}")
    if not (folder / "open_clip_config.json").is_file():
        raise ModelError(
            f"{folder} is not an open_clip model folder: open_clip_config.json is missing"
        )
    if (folder / SAFE_WEIGHTS).is_file() or (folder / OPEN_CLIP_SAFE_ALT).is_file():
        return  # open_clip's first two choices: nothing pickled is ever looked at
    pickled = [p.name for p in folder.iterdir() if p.suffix in PICKLED_SUFFIXES]
    if pickled and any(folder.glob("*.safetensors")):
        # open_clip ranks open_clip_pytorch_model.bin above model.safetensors, and any
        # known .bin name above an unknown .safetensors name: it would unpickle the .bin.
        raise ModelError(
            f"{folder} holds both .safetensors and pickled weights ({', '.join(sorted(pickled))}); "
            f"name the safetensors file {SAFE_WEIGHTS} or remove the pickled files"
        )
    if any(folder.glob("*.safetensors")):
        return
    if pickled:
        # torch.load(weights_only=True) refuses code, but a weights file that needs
        # unpickling is still more attack surface than we accept for a folder of photos.
        raise ModelError(
            f"{folder} holds only pickled weights; convert them to {SAFE_WEIGHTS} "
            "(safetensors cannot run code when loaded)"
        )
    raise ModelError(f"no weights in {folder}: {SAFE_WEIGHTS} is missing")
