"""What the server remembers: tokens (with expiry) and the sessions of each token.

Tokens and session ids are derived from the seed and a counter, so two emulators
with the same seed (and clock) hand out the same ones, in the same order.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass, field

from robotui.emulator.config import EmulatorConfig
from robotui.emulator.conversation import Conversation

__all__ = ["AuthFailure", "ServerState", "Session", "Token"]


@dataclass(slots=True)
class Token:
    """An access token: valid from `issued_at` until `expires_at` unless revoked."""

    value: str
    serial: int
    issued_at: float
    expires_at: float
    # Prompts whose per-request `/fault 401` this token has already paid for.
    exempt_prompts: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Session:
    """One conversation with the agents, owned by the token that created it."""

    sid: str
    owner: str
    created_at: float
    conversation: Conversation


@dataclass(frozen=True, slots=True)
class AuthFailure:
    """Why a request's credentials were refused (the 401 `detail`)."""

    detail: str


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class ServerState:
    """Tokens and sessions of one emulator instance."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.tokens: dict[str, Token] = {}
        self.sessions: dict[str, Session] = {}
        self._token_serial = 0
        self._session_serial = 0
        self._secret = hashlib.sha256(f"robocoders-emulator:{config.seed}".encode()).digest()
        # Prompts whose `/fault 401` fired: the next token issued is exempt from them,
        # so a client that fetches a new token and retries gets through.
        self._pending_exemptions: set[str] = set()

    def now(self) -> float:
        """The configured clock's time."""
        return self.config.clock()

    # -------------------------------------------------------------- tokens

    def issue_token(self) -> Token:
        """A new JWT-shaped token, valid for `config.token_ttl` seconds."""
        self._token_serial += 1
        serial = self._token_serial
        now = self.now()
        digest = hashlib.sha256(f"{self.config.seed}:token:{serial}".encode()).digest()
        header = {"alg": "HS256", "typ": "JWT"}
        claims = {
            "sub": str(uuid.UUID(bytes=digest[:16], version=4)),
            "iss": "https://api.robocoders.ai",
            "iat": int(now),
            "exp": int(now + self.config.token_ttl),
            "jti": digest[16:24].hex(),
        }
        signing_input = (
            _b64url(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + _b64url(json.dumps(claims, separators=(",", ":")).encode())
        )
        signature = hmac.new(self._secret, signing_input.encode(), hashlib.sha256).digest()
        token = Token(
            value=f"{signing_input}.{_b64url(signature)}",
            serial=serial,
            issued_at=now,
            expires_at=now + self.config.token_ttl,
            exempt_prompts=set(self._pending_exemptions),
        )
        self._pending_exemptions.clear()
        self.tokens[token.value] = token
        return token

    def authenticate(self, authorization: str | None) -> Token | AuthFailure:
        """The token of an `Authorization: Bearer …` header, or why it is refused."""
        if not authorization:
            return AuthFailure("Not authenticated")
        scheme, _, credentials = authorization.partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            return AuthFailure("Invalid authentication credentials")
        token = self.tokens.get(credentials)
        if token is None:
            return AuthFailure("Invalid or expired token")
        if self.now() >= token.expires_at:
            self.revoke(token)
            return AuthFailure("Token has expired")
        if "401" in self.config.faults:
            return AuthFailure("Token has expired")
        return token

    def revoke(self, token: Token) -> None:
        """Forget `token` and every session it owns."""
        self.tokens.pop(token.value, None)
        for sid in [sid for sid, session in self.sessions.items() if session.owner == token.value]:
            del self.sessions[sid]

    def expire_by_fault(self, token: Token, prompt: str) -> bool:
        """A per-request `/fault 401`: True (and `token` revoked) unless already paid for.

        It fires once per prompt and token lineage: the token issued next is exempt
        from that prompt, so a client that refreshes its token and retries succeeds.
        """
        if prompt in token.exempt_prompts:
            token.exempt_prompts.discard(prompt)
            return False
        self.revoke(token)
        self._pending_exemptions.add(prompt)
        return True

    # ------------------------------------------------------------ sessions

    def create_session(self, token: Token) -> Session:
        """A new session owned by `token`."""
        self._session_serial += 1
        digest = hashlib.sha256(f"{self.config.seed}:session:{self._session_serial}".encode())
        sid = str(uuid.UUID(bytes=digest.digest()[:16], version=4))
        session = Session(
            sid=sid,
            owner=token.value,
            created_at=self.now(),
            conversation=Conversation(self.config.seed),
        )
        self.sessions[sid] = session
        return session

    def find_session(self, sid: str, token: Token) -> Session | None:
        """The session `sid` if `token` owns it; another token's session is not found."""
        session = self.sessions.get(sid)
        if session is None or session.owner != token.value:
            return None
        return session
