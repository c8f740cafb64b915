"""API keys: created, listed and revoked from the command line, checked on every request.

A token is 32 random bytes (``prov_`` and URL-safe base64); the store holds only its SHA-256,
so a token is shown once, at creation, and never again. ``admin`` grants every other scope.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from provenance.clock import as_utc, utcnow
from provenance.db import session_scope
from provenance.models import ApiKey

TOKEN_PREFIX = "prov_"
MAX_NAME_CHARS = 255
"""A key's name is recorded as the actor of its editorial actions (``editorial_action.actor``)."""


class Scope(StrEnum):
    """What a key may do."""

    READ = "read"  # read the store (needed only when PROVENANCE_READS=keyed)
    WRITE = "write"  # ingest articles, and any other write no other scope is named for
    REVIEW = "review"  # editorial decisions: confirm, reject, merge, detach
    ADMIN = "admin"  # everything


class ApiKeyError(ValueError):
    """A key that cannot be created or revoked as asked (a name taken, an unknown name)."""


@dataclass(frozen=True)
class Key:
    """A stored key as it may be shown: never its token."""

    id: int
    name: str
    scopes: frozenset[Scope]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def grants(self, scope: Scope) -> bool:
        """Whether the key holds ``scope`` (``admin`` holds them all)."""
        return scope in self.scopes or Scope.ADMIN in self.scopes

    def state(self, now: datetime) -> str:
        """``valid``, ``expired`` or ``revoked`` at ``now``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at is not None and self.expires_at <= now else "valid"

    def refusal(self, now: datetime) -> str | None:
        """Why the key is refused at ``now``, or ``None`` while it is valid."""
        state = self.state(now)
        if state == "revoked":
            return f"the API key {self.name!r} was revoked"
        if state == "expired":
            return f"the API key {self.name!r} expired at {self.expires_at}"
        return None


def hash_token(token: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    engine: Engine, name: str, scopes: set[Scope], expires_at: datetime | None = None
) -> tuple[Key, str]:
    """Store a new key; returns it with its token, which nothing can show again."""
    if not scopes:
        raise ApiKeyError("a key needs at least one scope")
    if not name.strip() or len(name) > MAX_NAME_CHARS or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise ApiKeyError(
            f"a key's name is 1 to {MAX_NAME_CHARS} characters, not blank, no control characters"
        )
    if expires_at is not None and (as_utc(expires_at) or expires_at) <= utcnow():
        raise ApiKeyError(f"a key cannot expire in the past ({expires_at.isoformat()})")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        name=name,
        token_hash=hash_token(token),
        scopes=" ".join(sorted(scopes)),
        expires_at=as_utc(expires_at),
    )
    try:
        with session_scope(engine) as session:
            session.add(row)
            session.flush()
            key = _key(row)
    except IntegrityError as exc:
        raise ApiKeyError(f"a key named {name!r} exists already") from exc
    return key, token


def listed(engine: Engine) -> list[Key]:
    """Every key, revoked and expired ones too, oldest first."""
    with Session(engine) as session:
        return [_key(row) for row in session.scalars(select(ApiKey).order_by(ApiKey.id))]  # type: ignore[arg-type]


def revoke(engine: Engine, name: str) -> Key:
    """Revoke the key named ``name`` from now on (revoking it again changes nothing)."""
    with session_scope(engine) as session:
        row = session.scalars(select(ApiKey).where(ApiKey.name == name)).one_or_none()  # type: ignore[arg-type]
        if row is None:
            raise ApiKeyError(f"no key named {name!r}")
        row.revoked_at = row.revoked_at or utcnow()
        return _key(row)


def find(engine: Engine, token: str) -> Key | None:
    """The key a token stands for, valid or not, or ``None`` when no key has that token."""
    with Session(engine) as session:
        row = session.scalars(
            select(ApiKey).where(ApiKey.token_hash == hash_token(token))  # type: ignore[arg-type]
        ).one_or_none()
        return None if row is None else _key(row)


def _key(row: ApiKey) -> Key:
    assert row.id is not None
    return Key(
        id=row.id,
        name=row.name,
        scopes=frozenset(Scope(s) for s in row.scopes.split()),
        created_at=as_utc(row.created_at) or row.created_at,
        expires_at=as_utc(row.expires_at),
        revoked_at=as_utc(row.revoked_at),
    )
