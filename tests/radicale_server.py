"""A real CalDAV/CardDAV server for the sharing tests: Radicale, started by the test on
127.0.0.1 at a free port, with its own storage folder and htpasswd users, stopped after.

``radicale`` is in the ``test`` extra, so ``make test`` on a clean clone runs these tests.
"""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RadicaleServer:
    """One Radicale process; ``stop()`` and ``start()`` again keep its storage (a server
    that goes away in the middle of a sync and comes back)."""

    def __init__(self, folder: Path, users: dict[str, str], *,
                 certificate: tuple[Path, Path] | None = None, port: int | None = None):
        self.folder = folder
        self.port = port or _free_port()
        self.users = folder / "users"
        self.users.write_text("".join(f"{u}:{p}\n" for u, p in users.items()))
        self._process: subprocess.Popen[str] | None = None
        self.log: list[str] = []
        #: (certificate, key) PEM files: the server speaks HTTPS with them
        self.certificate = certificate

    @property
    def url(self) -> str:
        scheme = "https" if self.certificate else "http"
        host = "localhost" if self.certificate else "127.0.0.1"
        return f"{scheme}://{host}:{self.port}/"

    def start(self) -> None:
        """Start the server and wait (without sleeping) until it says it listens."""
        self._process = subprocess.Popen(
            [sys.executable, "-m", "radicale",
             "--server-hosts", f"127.0.0.1:{self.port}",
             "--storage-filesystem-folder", str(self.folder / "collections"),
             "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(self.users),
             "--auth-htpasswd-encryption", "plain",
             "--rights-type", "owner_only", "--logging-level", "info",
             *(["--server-ssl", "--server-certificate", str(self.certificate[0]),
                "--server-key", str(self.certificate[1])] if self.certificate else [])],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._pump, args=(self._process.stdout, lines),
                                        daemon=True)
        self._reader.start()
        while True:
            try:
                line = lines.get(timeout=30)
            except queue.Empty:
                pytest.fail("Radicale did not say it listens within 30 s:\n"
                            + "".join(self.log))
            if line is None:
                pytest.fail("Radicale stopped at start:\n" + "".join(self.log))
            if "Listening on" in line:
                return

    def _pump(self, stream, lines: queue.Queue[str | None]) -> None:
        for line in stream:
            self.log.append(line)
            lines.put(line)
        lines.put(None)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._reader.join(timeout=10)  # it has read to the end of the output
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None


@pytest.fixture
def radicale(tmp_path: Path):
    """Radicale with users ana (password "ana-secret") and ben ("ben-secret")."""
    folder = tmp_path / "radicale"
    folder.mkdir()
    server = RadicaleServer(folder, {"ana": "ana-secret", "ben": "ben-secret"})
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def radicale_at_403(tmp_path: Path):
    """``radicale`` at a port with "403" in its number (40300 to 40399), an address that
    reads like an HTTP status; the next such port when another program holds one."""
    import random

    folder = tmp_path / "radicale-403"
    folder.mkdir()
    for port in random.sample(range(40300, 40400), 10):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue  # taken
        server = RadicaleServer(folder, {"ana": "ana-secret", "ben": "ben-secret"},
                                port=port)
        try:
            server.start()
        except pytest.fail.Exception:  # taken meanwhile
            server.stop()
            continue
        try:
            yield server
        finally:
            server.stop()
        return
    pytest.fail("no free port from 40300 to 40399 for Radicale")


def self_signed(folder: Path, name: str = "localhost") -> tuple[Path, Path]:
    """A new self-signed certificate for ``name`` and its key, as PEM files in
    ``folder`` (``cryptography``, as a household's own server would have one)."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(days=1))
                   .not_valid_after(now + timedelta(days=30))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def fingerprint_of(cert_path: Path) -> str:
    """The certificate's SHA-256 fingerprint as a person compares it ("AB:CD:…")."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    digest = x509.load_pem_x509_certificate(cert_path.read_bytes()).fingerprint(
        hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


@pytest.fixture
def radicale_tls(tmp_path: Path):
    """Radicale on HTTPS (https://localhost:<port>/) with a self-signed certificate;
    users as ``radicale``'s."""
    folder = tmp_path / "radicale-tls"
    folder.mkdir()
    server = RadicaleServer(folder, {"ana": "ana-secret", "ben": "ben-secret"},
                            certificate=self_signed(folder / "tls"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


class _LocalServer:
    """A small HTTP server on a free port of 127.0.0.1, serving ``handler`` on a thread
    until ``stop``."""

    def _serve(self, handler) -> None:
        from http.server import ThreadingHTTPServer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


class Redirector(_LocalServer):
    """A server that sends every request on (HTTP 307) to ``target`` at the same path,
    on another port of 127.0.0.1: a server address that moved to another server. It
    keeps whether each request carried a password (``authorized``)."""

    def __init__(self, target: str):
        from http.server import BaseHTTPRequestHandler

        owner = self
        self.authorized: list[bool] = []

        class Handler(BaseHTTPRequestHandler):
            def _send_on(self) -> None:
                owner.authorized.append("Authorization" in self.headers)
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                self.send_response(307)
                self.send_header("Location", target.rstrip("/") + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_PUT = do_DELETE = do_OPTIONS = do_REPORT = do_PROPFIND = _send_on
            do_HEAD = do_POST = do_MKCOL = do_MKCALENDAR = do_PROPPATCH = _send_on

            def log_message(self, *args) -> None:  # (quiet)
                pass

        self._serve(Handler)


@pytest.fixture
def redirector(radicale):  # the fixture above
    """An address that sends every request on to ``radicale`` (another port)."""
    server = Redirector(radicale.url)
    try:
        yield server
    finally:
        server.stop()


class DigestChallenger(_LocalServer):
    """A server that asks for a Digest password on every request and never accepts one;
    it keeps the Authorization header of each request ("" when none came)."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler

        owner = self
        self.authorizations: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def _challenge(self) -> None:
                owner.authorizations.append(self.headers.get("Authorization", ""))
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Digest realm="other", '
                                 'nonce="0123456789abcdef", qop="auth", algorithm=MD5')
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_PUT = do_DELETE = do_OPTIONS = do_REPORT = _challenge
            do_PROPFIND = do_HEAD = do_POST = do_PROPPATCH = _challenge

            def log_message(self, *args) -> None:  # (quiet)
                pass

        self._serve(Handler)


@pytest.fixture
def digest_elsewhere():
    """An address that sends every request on to a server asking for Digest:
    (the redirector, the Digest server)."""
    other = DigestChallenger()
    front = Redirector(other.url)
    try:
        yield front, other
    finally:
        front.stop()
        other.stop()
