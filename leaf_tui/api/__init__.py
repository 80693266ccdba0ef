"""The async service layer for the Leaf API: httpx and the standard library only, never Textual.

The names below load on first use (PEP 562), so the light parts (models, errors) import without
httpx: the entry point reads the settings and starts the embedded sandbox before the HTTP stack
and Textual load, so the two start up side by side.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leaf_tui.api.client import LeafClient
    from leaf_tui.api.errors import (
        AuthError,
        Conflict,
        FieldError,
        Gone,
        Invalid,
        LeafError,
        NotFound,
        RateLimited,
        ServerError,
        Unreachable,
    )
    from leaf_tui.api.http import RetryPolicy
    from leaf_tui.api.models import (
        DEFAULT_BACKGROUND,
        EXPIRES_IN_DEFAULT,
        EXPIRES_IN_MAX,
        EXPIRES_IN_MIN,
        PROVIDERS,
        CreatedLink,
        LeafUser,
        LinkKind,
        LinkRequest,
        LinkSettings,
        MagicLink,
        SenteraCredential,
        SenteraEvent,
        Token,
        UserPage,
        parse_bool,
        parse_timestamp,
    )
    from leaf_tui.api.status import ConnectionStatus
    from leaf_tui.api.user_index import UserIndex

_NAMES_IN: dict[str, tuple[str, ...]] = {
    "client": ("LeafClient",),
    "errors": (
        "AuthError",
        "Conflict",
        "FieldError",
        "Gone",
        "Invalid",
        "LeafError",
        "NotFound",
        "RateLimited",
        "ServerError",
        "Unreachable",
    ),
    "http": ("RetryPolicy",),
    "models": (
        "DEFAULT_BACKGROUND",
        "EXPIRES_IN_DEFAULT",
        "EXPIRES_IN_MAX",
        "EXPIRES_IN_MIN",
        "PROVIDERS",
        "CreatedLink",
        "LeafUser",
        "LinkKind",
        "LinkRequest",
        "LinkSettings",
        "MagicLink",
        "SenteraCredential",
        "SenteraEvent",
        "Token",
        "UserPage",
        "parse_bool",
        "parse_timestamp",
    ),
    "status": ("ConnectionStatus",),
    "user_index": ("UserIndex",),
}
_MODULE_OF = {name: module for module, names in _NAMES_IN.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'leaf_tui.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"leaf_tui.api.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_BACKGROUND",
    "EXPIRES_IN_DEFAULT",
    "EXPIRES_IN_MAX",
    "EXPIRES_IN_MIN",
    "PROVIDERS",
    "AuthError",
    "Conflict",
    "ConnectionStatus",
    "CreatedLink",
    "FieldError",
    "Gone",
    "Invalid",
    "LeafClient",
    "LeafError",
    "LeafUser",
    "LinkKind",
    "LinkRequest",
    "LinkSettings",
    "MagicLink",
    "NotFound",
    "RateLimited",
    "RetryPolicy",
    "SenteraCredential",
    "SenteraEvent",
    "ServerError",
    "Token",
    "Unreachable",
    "UserIndex",
    "UserPage",
    "parse_bool",
    "parse_timestamp",
]
