"""A small OpenID Connect provider for tests: discovery, authorize, token, JWKS and userinfo on a
free loopback port, in a thread, signing ID tokens (RS256) with a key made for the test run.

The authorize endpoint logs in whoever the test put in `next_login` (no page to fill in) and
sends the browser back with a code; the token endpoint checks the client's secret, the
redirect URI and the PKCE verifier before it answers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "milepost-test"
CLIENT_SECRET = secrets.token_urlsafe(24)
KEY_ID = "test-key-1"


@dataclass
class Grant:
    claims: dict[str, Any]
    nonce: str
    redirect_uri: str
    code_challenge: str


@dataclass
class Provider:
    """The running provider; `issuer` is its base URL."""

    issuer: str = ""
    next_login: dict[str, Any] = field(default_factory=dict)
    audience: str = CLIENT_ID  # who ID tokens are issued to (a test may change it)
    grants: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: int = 0
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def authorize(self, query: dict[str, str]) -> str:
        """The redirect back to the client, with a fresh code for `next_login`."""
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            claims=dict(self.next_login),
            nonce=query.get("nonce", ""),
            redirect_uri=query["redirect_uri"],
            code_challenge=query.get("code_challenge", ""),
        )
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.token_requests += 1
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        grant = self.grants.pop(form.get("code", ""), None)
        if grant is None or grant.redirect_uri != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if grant.code_challenge and challenge.decode() != grant.code_challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        id_token = jwt.encode(
            {
                "iss": self.issuer,
                "aud": self.audience,
                "sub": grant.claims.get("sub", grant.claims.get("email", "someone")),
                "iat": now,
                "exp": now + 300,
                "nonce": grant.nonce,
                **grant.claims,
            },
            self.key,
            algorithm="RS256",
            headers={"kid": KEY_ID},
        )
        access = secrets.token_urlsafe(16)
        self.access_tokens[access] = grant.claims
        return 200, {"access_token": access, "token_type": "Bearer", "id_token": id_token}

    def userinfo(self, authorization: str) -> tuple[int, dict[str, Any]]:
        claims = self.access_tokens.get(authorization.removeprefix("Bearer "))
        return (200, claims) if claims is not None else (401, {"error": "invalid_token"})


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            encoded = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.discovery())
            elif url.path == "/jwks":
                self._json(200, provider.jwks())
            elif url.path == "/authorize":
                self.send_response(302)
                self.send_header("Location", provider.authorize(query))
                self.end_headers()
            elif url.path == "/userinfo":
                self._json(*provider.userinfo(self.headers.get("Authorization", "")))
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {
                key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()
            }
            if urlparse(self.path).path == "/token":
                self._json(*provider.token(form))
            else:
                self._json(404, {"error": "not_found"})

    return Handler


class RunningProvider:
    """Context manager: the provider serving on 127.0.0.1 until the block ends."""

    def __init__(self) -> None:
        self.provider = Provider()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.provider))
        self.provider.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self.thread.start()
        return self.provider

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
