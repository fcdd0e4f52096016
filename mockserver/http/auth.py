"""Who sent a request: the one place a request's credential becomes an organisation, or the admin.

A credential is the Bearer token, looked up in the store's key registry (state/keys.py),
or, for a call a replay sends in-process, the tenant number it is sent as: the mock
holds no key to send it with.
"""

from __future__ import annotations

from ..backend import Backend
from ..state.keys import ADMIN
from ..state.organization import Organization
from .messages import HttpRequest


def tenant_number(backend: Backend, request: HttpRequest) -> int | None:
    """The caller's tenant number: its organisation's, ADMIN for the admin token, None for neither."""
    if request.tenant_number is not None:
        return request.tenant_number
    return backend.store.keys.number(request.bearer_token())


def organization(backend: Backend, request: HttpRequest) -> Organization | None:
    """The caller's organisation; None for the admin and for a caller with no valid key."""
    return backend.store.org_by_number(tenant_number(backend, request))


def is_admin(backend: Backend, request: HttpRequest) -> bool:
    return tenant_number(backend, request) == ADMIN


def refusal(request: HttpRequest) -> str:
    """Why a caller with no organisation is refused (the key it sent is never named)."""
    return "Authentication failed: " + ("no API key was sent" if not request.bearer_token()
                                        else "the API key is not valid")
