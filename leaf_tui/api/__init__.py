"""The async service layer for the Leaf API: httpx and the standard library only, never Textual."""

from leaf_tui.api import _httpx_cli  # noqa: F401  (first: keeps httpx's CLI out of start-up)
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
