"""Errors raised where a rule lives, each with a stable id (ZITADEL style: ``QUERY-1kIjX``).

The domain knows nothing of gRPC: ``Kind`` names match gRPC status codes so that the error
middleware can map them one to one. Clients see ``"<message> (<id>)"`` plus a
``zitadel.v1.ErrorDetail{id, message}`` detail.
"""

from __future__ import annotations

import enum


class Kind(enum.Enum):
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL = "INTERNAL"
    UNIMPLEMENTED = "UNIMPLEMENTED"
    ABORTED = "ABORTED"


class DomainError(Exception):
    def __init__(self, kind: Kind, error_id: str, message: str) -> None:
        super().__init__(f"{message} ({error_id})")
        self.kind = kind
        self.id = error_id
        self.message = message


def invalid_argument(error_id: str, message: str) -> DomainError:
    return DomainError(Kind.INVALID_ARGUMENT, error_id, message)


def not_found(error_id: str, message: str) -> DomainError:
    return DomainError(Kind.NOT_FOUND, error_id, message)


def already_exists(error_id: str, message: str) -> DomainError:
    return DomainError(Kind.ALREADY_EXISTS, error_id, message)


def precondition_failed(error_id: str, message: str) -> DomainError:
    return DomainError(Kind.FAILED_PRECONDITION, error_id, message)


def permission_denied(error_id: str, message: str) -> DomainError:
    return DomainError(Kind.PERMISSION_DENIED, error_id, message)


def unauthenticated(error_id: str, message: str) -> DomainError:
    return DomainError(Kind.UNAUTHENTICATED, error_id, message)


def internal(error_id: str, message: str) -> DomainError:
    return DomainError(Kind.INTERNAL, error_id, message)
