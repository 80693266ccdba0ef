"""Saved branding presets and the wizard's remembered choices, in one JSON file in the config dir.

Textual-free. A damaged or hand-edited file never breaks the wizard: what cannot be read is ignored
(and a damaged file is kept aside as `.bad` so nothing is silently destroyed)."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaf_tui.api.models import EXPIRES_IN_MAX, EXPIRES_IN_MIN, LinkKind, LinkSettings
from leaf_tui.common import paths
from leaf_tui.common.files import write_atomically

FILE_NAME = "link-presets.json"
MAX_NAME = 60


@dataclass(frozen=True)
class BrandingPreset:
    name: str
    settings: LinkSettings


@dataclass(frozen=True)
class LastUsed:
    """The wizard's defaults next time; None/empty where nothing was remembered."""

    kind: LinkKind | None = None
    providers: tuple[str, ...] = ()
    expires_in: int | None = None


def validate_preset_name(name: str) -> str | None:
    if not name.strip():
        return "Give the preset a name"
    if len(name) > MAX_NAME:
        return f"Keep the name to {MAX_NAME} characters or fewer"
    if not all(ch.isprintable() for ch in name):
        return "Use printable characters only"
    return None


class PresetStore:
    """Reads on every call (the file is tiny) so two windows never overwrite each other's saves
    with stale copies; writes are atomic (temp file + rename)."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path

    @property
    def path(self) -> Path:
        return self._path or paths.config_dir() / FILE_NAME

    # -- branding ---------------------------------------------------------------------------
    def branding(self) -> list[BrandingPreset]:
        """Saved presets, sorted by name (case-insensitive)."""
        raw = self._load().get("branding")
        presets: list[BrandingPreset] = []
        if isinstance(raw, Mapping):
            for name, settings in raw.items():
                if isinstance(name, str) and isinstance(settings, Mapping):
                    presets.append(BrandingPreset(name, LinkSettings.from_json(settings)))
        return sorted(presets, key=lambda p: p.name.casefold())

    def get_branding(self, name: str) -> BrandingPreset | None:
        return next((p for p in self.branding() if p.name == name), None)

    def save_branding(self, name: str, settings: LinkSettings) -> BrandingPreset:
        """Save (or replace) a preset; raises ValueError for a bad name."""
        error = validate_preset_name(name)
        if error:
            raise ValueError(error)
        name = name.strip()
        data = self._load()
        branding = data.get("branding")
        if not isinstance(branding, dict):
            branding = {}
        # disconnectEnabled belongs to the link kind, not the brand.
        body = settings.to_json()
        body.pop("disconnectEnabled", None)
        branding[name] = body
        data["branding"] = branding
        self._write(data)
        return BrandingPreset(name, LinkSettings.from_json(body))

    def delete_branding(self, name: str) -> None:
        data = self._load()
        branding = data.get("branding")
        if isinstance(branding, dict) and name in branding:
            del branding[name]
            self._write(data)

    # -- last used --------------------------------------------------------------------------
    def last_used(self) -> LastUsed:
        raw = self._load().get("lastUsed")
        if not isinstance(raw, Mapping):
            return LastUsed()
        kind = None
        if isinstance(raw.get("kind"), str):
            with contextlib.suppress(ValueError):
                kind = LinkKind.from_path(raw["kind"])
        providers = raw.get("providers")
        expires_in = raw.get("expiresIn")
        valid_expiry = (
            isinstance(expires_in, int)
            and not isinstance(expires_in, bool)
            and EXPIRES_IN_MIN <= expires_in <= EXPIRES_IN_MAX
        )
        return LastUsed(
            kind=kind,
            providers=tuple(p for p in providers if isinstance(p, str))
            if isinstance(providers, list)
            else (),
            expires_in=expires_in if valid_expiry else None,
        )

    def remember(self, kind: LinkKind, providers: tuple[str, ...], expires_in: int | None) -> None:
        data = self._load()
        previous = data.get("lastUsed")
        entry: dict[str, Any] = {"kind": kind.path, "expiresIn": expires_in}
        # A file-upload link has no providers: keep the ones remembered before.
        if kind is LinkKind.FILE_UPLOAD and isinstance(previous, Mapping):
            entry["providers"] = previous.get("providers", [])
        else:
            entry["providers"] = list(providers)
        data["lastUsed"] = entry
        self._write(data)

    # -- file -------------------------------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:  # missing or unreadable: start empty
            return {}
        try:
            data = json.loads(text)
        except ValueError:
            with contextlib.suppress(OSError):
                os.replace(self.path, self.path.with_suffix(".json.bad"))
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: Mapping[str, Any]) -> None:
        paths.ensure(self.path.parent)
        write_atomically(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")
