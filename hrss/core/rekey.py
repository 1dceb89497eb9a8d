"""Re-encryption hooks for ciphertexts ``hrss keys rotate`` cannot find by itself.

The rotation command re-encrypts every ``EncryptedTextField`` column on its own. Ciphertexts
kept elsewhere (inside a JSON document, such as the service hall's sealed form answers) are
re-encrypted by a rekeyer their app registers in ``AppConfig.ready()``, so core never
imports a domain app::

    register_rekeyer("servicehall.Application sealed form answers", reseal_applications)

A rekeyer is called as ``fn(batch_size=...)``: it re-encrypts under the active key
(``keyring()[0]``) every ciphertext it owns that is under another key id, commits in
batches, returns how many rows it changed, and changes nothing when run again.
"""

from __future__ import annotations

from collections.abc import Callable

Rekeyer = Callable[..., int]  # called as fn(batch_size=...), returns the rows changed

_REKEYERS: dict[str, Rekeyer] = {}


def register_rekeyer(name: str, fn: Rekeyer) -> None:
    """Register ``fn`` under ``name`` (the label the rotation command prints); re-registering replaces."""
    _REKEYERS[name] = fn


def rekeyers() -> dict[str, Rekeyer]:
    return dict(_REKEYERS)
