"""SFTP the way Amazon runs it: key-pair login, one folder to upload into, one to download from,
unique file names, files removed once picked up.

``SftpTransport`` is the vendor's client. ``LoopbackSftpServer`` is the far end on 127.0.0.1 for
the simulator and the tests: per-partner home folders holding ``to-amazon/`` (the vendor
uploads there) and ``from-amazon/`` (Amazon's files for the vendor to download and remove).

Built on paramiko (LGPL-2.1). asyncssh was the alternative; it is EPL-2.0 (GPL-2.0-or-later as
secondary licence), an asyncio API, and adds nothing we need here.
"""
import base64
import contextlib
import errno
import hashlib
import io
import logging
import os
import posixpath
import secrets
import socket
import stat
import threading

import paramiko
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from .errors import EdiTransportError
from .identity import load_private_key

_logger = logging.getLogger(__name__)

UPLOAD_FOLDER = "to-amazon"
DOWNLOAD_FOLDER = "from-amazon"
TEMP_PREFIX = "."
TEMP_SUFFIX = ".part"
MAX_DOWNLOAD = 200 * 1024 * 1024



class _QuietDisconnects(logging.Filter):
    """paramiko logs at ERROR, from its own thread, what reaches the caller anyway as an
    EdiTransportError in plain words (a peer closing its socket, a banner that never came,
    with a traceback line by line): keep those lines at DEBUG."""

    def filter(self, record):
        if record.levelno >= logging.WARNING:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


_client_logger = logging.getLogger(__name__ + ".paramiko")
_client_logger.addFilter(_QuietDisconnects())
_server_logger = logging.getLogger(__name__ + ".server")
_server_logger.addFilter(_QuietDisconnects())


# --------------------------------------------------------------------------- keys and names

def to_paramiko_key(private_key_pem, passphrase=None):
    """A paramiko key from PEM text in any format cryptography reads (PKCS#8, traditional,
    OpenSSH); RSA, ECDSA and Ed25519 keys."""
    try:
        key = load_private_key(private_key_pem, passphrase)
    except (ValueError, TypeError) as exc:
        raise EdiTransportError(
            "The SFTP private key cannot be read: it must be a PEM or OpenSSH private key"
            " (and its passphrase, when it has one, must be right).", "config") from exc
    if isinstance(key, rsa.RSAPrivateKey):
        return paramiko.RSAKey(key=key)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return paramiko.ECDSAKey(vals=(key, key.public_key()))
    if isinstance(key, ed25519.Ed25519PrivateKey):
        text = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption()).decode()
        return paramiko.Ed25519Key(file_obj=io.StringIO(text))
    raise EdiTransportError(
        "The SFTP private key type is not supported: use RSA, ECDSA or Ed25519.", "config")


def fingerprint(key):
    """OpenSSH's SHA256 fingerprint of a paramiko public key: ``SHA256:base64``."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def _fingerprint_matches(key, expected):
    """Compare with a fingerprint as people paste it: ``SHA256:...`` (OpenSSH), bare base64,
    or the legacy MD5 hex form (``MD5:aa:bb:...`` or ``aa:bb:...``)."""
    expected = (expected or "").strip()
    blob = key.asbytes()
    if expected.upper().startswith("MD5:") or (":" in expected and len(expected) == 47):
        wanted = expected.split(":", 1)[1] if expected.upper().startswith("MD5:") else expected
        return hashlib.md5(blob).hexdigest() == wanted.replace(":", "").lower()  # noqa: S324
    if expected.upper().startswith("SHA256:"):
        expected = expected[7:]
    return secrets.compare_digest(
        base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("="),
        expected.rstrip("="))


def _public_key_blobs(authorized):
    """Key blobs from OpenSSH public key lines (one or several, text or list) or paramiko
    keys."""
    if authorized is None:
        return set()
    items = authorized if isinstance(authorized, list | tuple | set) else [authorized]
    blobs = set()
    for item in items:
        if isinstance(item, paramiko.PKey):
            blobs.add(item.asbytes())
            continue
        for line in str(item).splitlines():
            parts = line.split()
            if len(parts) >= 2:
                blobs.add(base64.b64decode(parts[1]))
    return blobs


def check_file_name(name):
    """A plain file name: no folder part, nothing hidden, nothing the far end could read as a
    path."""
    if (not name or name in (".", "..") or name.startswith(TEMP_PREFIX)
            or any(ch in name for ch in "/\\\0") or len(name) > 255 or name != name.strip()):
        raise EdiTransportError(
            f"{name!r} is not a usable file name: use a plain name without folders, leading dot"
            " or surrounding spaces.", "config")
    return name


# --------------------------------------------------------------------------- client

class SftpTransport:
    """One SFTP session with a partner. Use as a context manager; the session opens on first
    use and closes on exit.

    ``host_key_fingerprint`` (``SHA256:...``), when set, must match the server's host key
    before any credential is sent. ``private_key_pem`` (with ``private_key_passphrase`` when
    it has one) or ``password`` log in."""

    def __init__(self, host, port=22, username=None, private_key_pem=None, *, password=None,
                 private_key_passphrase=None, host_key_fingerprint=None,
                 upload_dir=UPLOAD_FOLDER, download_dir=DOWNLOAD_FOLDER, timeout=30.0):
        if not host or not username:
            raise EdiTransportError("The SFTP host and user name are required.", "config")
        if not private_key_pem and not password:
            raise EdiTransportError(
                "The SFTP login needs a private key (Amazon's model) or a password.", "config")
        self.host = host
        self.port = int(port or 22)
        self.username = username
        self._pkey = to_paramiko_key(private_key_pem, private_key_passphrase) \
            if private_key_pem else None
        self._password = password
        self.host_key_fingerprint = (host_key_fingerprint or "").strip() or None
        self.upload_dir = upload_dir or "."
        self.download_dir = download_dir or "."
        self.timeout = float(timeout)
        self.server_fingerprint = None
        self._transport = None
        self._sftp = None

    def __repr__(self):  # never the key nor the password
        return f"<SftpTransport {self.username}@{self.host}:{self.port}>"

    # -- session
    def __enter__(self):
        self._session()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        if self._sftp is not None:
            # Closing a dead session is not an error.
            with contextlib.suppress(Exception):
                self._sftp.close()
            self._sftp = None
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    @property
    def where(self):
        return f"{self.host}:{self.port}"

    def _session(self):
        if self._sftp is not None and self._transport is not None \
                and self._transport.is_active():
            return self._sftp
        self.close()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except TimeoutError as exc:
            raise EdiTransportError(
                f"The SFTP server {self.where} did not answer within {self.timeout:g} seconds.",
                "timeout") from exc
        except socket.gaierror as exc:
            raise EdiTransportError(
                f"The SFTP host name {self.host!r} cannot be found: check the address.",
                "unreachable") from exc
        except OSError as exc:
            raise EdiTransportError(
                f"The SFTP server {self.where} cannot be reached"
                f" ({exc.strerror or exc}): check the address, the port and the firewall.",
                "unreachable") from exc
        transport = paramiko.Transport(sock)
        transport.set_log_channel(__name__ + ".paramiko")
        # paramiko's own limits a little later than ours, so that ours speak first.
        transport.banner_timeout = transport.handshake_timeout = self.timeout + 1
        transport.auth_timeout = self.timeout
        self._transport = transport
        try:
            try:
                transport.start_client(timeout=self.timeout)
            except (paramiko.SSHException, EOFError, OSError) as exc:
                raise self._translate(exc, "while opening the SSH session") from exc
            if not transport.is_active() or not transport.initial_kex_done:
                raise EdiTransportError(
                    f"The SFTP server {self.where} did not open an SSH session within"
                    f" {self.timeout:g} seconds.", "timeout")
            server_key = transport.get_remote_server_key()
            self.server_fingerprint = fingerprint(server_key)
            if self.host_key_fingerprint and not _fingerprint_matches(
                    server_key, self.host_key_fingerprint):
                raise EdiTransportError(
                    f"The SFTP server {self.where} presented host key"
                    f" {self.server_fingerprint}, not the configured fingerprint"
                    f" {self.host_key_fingerprint}. Nothing was sent: confirm the fingerprint"
                    " with the partner before connecting, this may be another server.",
                    "host_key")
            try:
                if self._pkey is not None:
                    transport.auth_publickey(self.username, self._pkey)
                else:
                    transport.auth_password(self.username, self._password)
            except paramiko.AuthenticationException as exc:
                how = "key" if self._pkey is not None else "password"
                raise EdiTransportError(
                    f"The SFTP server {self.where} refused the login of user"
                    f" {self.username!r} with this {how}: check the user name and that the"
                    " partner has our current public key.", "auth") from exc
            except (paramiko.SSHException, EOFError, OSError) as exc:
                raise self._translate(exc, "while logging in") from exc
            try:
                sftp = paramiko.SFTPClient.from_transport(transport)
            except (paramiko.SSHException, EOFError, OSError) as exc:
                raise self._translate(exc, "while starting SFTP") from exc
            sftp.get_channel().settimeout(self.timeout)
            self._sftp = sftp
            return sftp
        except BaseException:
            self.close()
            raise

    def _translate(self, exc, doing, path=None, *, may_have_arrived=False):
        """One plain-words EdiTransportError for whatever paramiko or the socket raised."""
        if isinstance(exc, EdiTransportError):
            return exc
        target = f" ({path})" if path else ""
        if isinstance(exc, TimeoutError | socket.timeout):
            return EdiTransportError(
                f"The SFTP server {self.where} stopped answering {doing}{target}"
                f" (no reply within {self.timeout:g} seconds).", "timeout",
                may_have_arrived=may_have_arrived)
        if isinstance(exc, PermissionError) or getattr(exc, "errno", None) == errno.EACCES:
            return EdiTransportError(
                f"The SFTP server {self.where} denied permission {doing}{target}: check the"
                " folder names and the rights of this user.", "permission")
        if isinstance(exc, FileNotFoundError) or getattr(exc, "errno", None) == errno.ENOENT:
            return EdiTransportError(
                f"Not found on the SFTP server {self.where} {doing}{target}.", "not_found")
        if isinstance(exc, paramiko.SSHException) and "banner" in str(exc).lower():
            return EdiTransportError(
                f"{self.where} does not speak SSH/SFTP (no SSH banner): check the port.",
                "protocol")
        return EdiTransportError(
            f"The SFTP exchange with {self.where} failed {doing}{target}:"
            f" {exc or type(exc).__name__}.",
            "protocol", may_have_arrived=may_have_arrived)

    def _call(self, doing, path, func, *args, may_have_arrived=False):
        sftp = self._session()
        try:
            return func(sftp, *args)
        except (OSError, paramiko.SSHException, EOFError) as exc:
            raise self._translate(exc, doing, path, may_have_arrived=may_have_arrived) from exc

    # -- operations
    def _exists(self, sftp, path):
        try:
            sftp.stat(path)
        except FileNotFoundError:
            return False
        return True

    def upload(self, name, data):
        """Put ``data`` in the upload folder as ``name``: written under a hidden temporary name
        first, then renamed, so the partner never picks up half a file. A file already named
        ``name`` is never replaced. Returns the remote path."""
        check_file_name(name)
        if not isinstance(data, bytes | bytearray):
            raise EdiTransportError("SFTP uploads take bytes.", "config")
        final = posixpath.join(self.upload_dir, name)
        temp = posixpath.join(
            self.upload_dir, f"{TEMP_PREFIX}{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")

        def exists_error():
            return EdiTransportError(
                f"A file named {name!r} is already in the SFTP upload folder"
                f" {self.upload_dir!r} on {self.where}: file names must be unique, nothing was"
                " replaced.", "exists")

        if self._call("while checking the upload folder", final, self._exists, final):
            raise exists_error()

        def write(sftp):
            with sftp.open(temp, "wbx") as handle:
                handle.set_pipelined(True)
                handle.write(bytes(data))
            size = sftp.stat(temp).st_size
            if size != len(data):
                raise EdiTransportError(
                    f"The SFTP server {self.where} stored {size} bytes of {len(data)} for"
                    f" {name!r}.", "protocol")

        try:
            self._call("while writing the file", temp, write)
        except EdiTransportError:
            self._discard(temp)
            raise
        sftp = self._session()
        try:
            sftp.rename(temp, final)
        except FileNotFoundError as exc:
            self._discard(temp)
            raise self._translate(exc, "while renaming the file", final) from exc
        except PermissionError as exc:
            self._discard(temp)
            raise self._translate(exc, "while renaming the file", final) from exc
        except OSError as exc:
            if isinstance(exc, TimeoutError | socket.timeout):
                raise self._translate(exc, "while renaming the file", final,
                                      may_have_arrived=True) from exc
            taken = False
            with contextlib.suppress(OSError, paramiko.SSHException, EOFError):
                taken = self._exists(sftp, final)
            self._discard(temp)
            if taken:
                raise exists_error() from exc
            raise self._translate(exc, "while renaming the file", final) from exc
        except (paramiko.SSHException, EOFError) as exc:
            raise self._translate(exc, "while renaming the file", final,
                                  may_have_arrived=True) from exc
        _logger.info("SFTP %s: uploaded %s (%d bytes)", self.where, final, len(data))
        return final

    def _discard(self, path):
        if self._sftp is not None:
            with contextlib.suppress(OSError, paramiko.SSHException, EOFError):
                self._sftp.remove(path)

    def list_incoming(self):
        """Names of the complete files waiting in the download folder, oldest first (hidden
        and temporary names skipped)."""
        entries = self._call("while listing the download folder", self.download_dir,
                             lambda sftp: sftp.listdir_attr(self.download_dir))
        files = [e for e in entries
                 if stat.S_ISREG(e.st_mode or 0) and not e.filename.startswith(TEMP_PREFIX)
                 and not e.filename.endswith(TEMP_SUFFIX)]
        files.sort(key=lambda e: (e.st_mtime or 0, e.filename))
        return [e.filename for e in files]

    def download(self, name, max_size=MAX_DOWNLOAD):
        """The content of ``name`` in the download folder."""
        check_file_name(name)
        path = posixpath.join(self.download_dir, name)

        def read(sftp):
            size = sftp.stat(path).st_size or 0
            if size > max_size:
                raise EdiTransportError(
                    f"{name!r} on {self.where} is {size} bytes, more than the {max_size} this"
                    " account accepts.", "protocol")
            with sftp.open(path, "rb") as handle:
                handle.prefetch(size)
                data = handle.read()
            if len(data) != size:
                raise EdiTransportError(
                    f"Only {len(data)} of {size} bytes of {name!r} came from {self.where}.",
                    "protocol")
            return data

        return self._call("while downloading", path, read)

    def remove(self, name):
        """Delete ``name`` from the download folder once it is safely stored (Amazon's model:
        what stays there is what has not been picked up)."""
        check_file_name(name)
        path = posixpath.join(self.download_dir, name)
        self._call("while removing the downloaded file", path,
                   lambda sftp: sftp.remove(path))

    def test_connection(self):
        """Open the session, look at both folders and say what was found, in plain words.
        A session opened only for this test is closed again."""
        was_open = self._sftp is not None
        try:
            return self._test_connection()
        finally:
            if not was_open:
                self.close()

    def _test_connection(self):
        sftp = self._session()
        if self.host_key_fingerprint:
            key_words = f"its host key {self.server_fingerprint} matches the configured one"
        else:
            key_words = (f"its host key is {self.server_fingerprint} (not pinned: enter this"
                         " fingerprint on the account once the partner has confirmed it)")
        try:
            sftp.stat(self.upload_dir)
        except (OSError, paramiko.SSHException, EOFError) as exc:
            raise self._translate(exc, "while opening the upload folder",
                                  self.upload_dir) from exc
        waiting = len(self.list_incoming())
        return (f"Connected to {self.where} as {self.username!r}; {key_words}. Upload folder"
                f" {self.upload_dir!r} found; download folder {self.download_dir!r} holds"
                f" {waiting} file(s) waiting.")


# --------------------------------------------------------------------------- loopback server

class _Partner:
    def __init__(self, username, public_keys, password, home):
        self.username = username
        self.public_keys = public_keys
        self.password = password
        self.home = home


class _SshServer(paramiko.ServerInterface):
    def __init__(self, owner):
        self.owner = owner
        self.partner = None

    def get_allowed_auths(self, username):
        partner = self.owner._partners.get(username)
        methods = ["publickey"]
        if partner is not None and partner.password:
            methods.append("password")
        return ",".join(methods)

    def check_auth_publickey(self, username, key):
        partner = self.owner._partners.get(username)
        if partner is not None and key.asbytes() in partner.public_keys:
            self.partner = partner
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_auth_password(self, username, password):
        partner = self.owner._partners.get(username)
        if partner is not None and partner.password and secrets.compare_digest(
                partner.password.encode(), (password or "").encode()):
            self.partner = partner
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class _Handle(paramiko.SFTPHandle):
    def stat(self):
        try:
            return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)

    def chattr(self, attr):
        return paramiko.SFTP_OK


class _RootedSftp(paramiko.SFTPServerInterface):
    """The partner's home folder as ``/``; writes only in the upload folder, removals in
    both; a rename never replaces an existing file (OpenSSH's behaviour)."""

    def __init__(self, server, *args, owner=None, **kwargs):
        super().__init__(server, *args, **kwargs)
        self.ssh = server
        self.owner = owner

    @property
    def home(self):
        return self.ssh.partner.home

    def _rel(self, path):
        rel = posixpath.normpath(posixpath.join("/", path or "/")).lstrip("/")
        return "" if rel == "." else rel

    def _real(self, path):
        rel = self._rel(path)
        real = os.path.realpath(os.path.join(self.home, rel))
        if real != self.home and not real.startswith(self.home + os.sep):
            raise PermissionError(errno.EACCES, "outside the home folder")
        return real

    def _writable(self, path):
        rel = self._rel(path)
        folder = rel.split("/", 1)[0]
        return folder == self.owner.upload_folder and "/" in rel

    def _removable(self, path):
        rel = self._rel(path)
        folder = rel.split("/", 1)[0]
        return folder in (self.owner.upload_folder, self.owner.download_folder) and "/" in rel

    def _event(self, *event):
        self.owner._record(self.ssh.partner.username, *event)

    def canonicalize(self, path):
        return "/" + self._rel(path)

    def list_folder(self, path):
        try:
            real = self._real(path)
            out = []
            for name in sorted(os.listdir(real)):
                attr = paramiko.SFTPAttributes.from_stat(os.stat(os.path.join(real, name)))
                attr.filename = name
                out.append(attr)
            return out
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)

    def stat(self, path):
        try:
            return paramiko.SFTPAttributes.from_stat(os.stat(self._real(path)))
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)

    lstat = stat

    def open(self, path, flags, attr):
        writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC)
        if writing and not self._writable(path):
            return paramiko.SFTP_PERMISSION_DENIED
        try:
            real = self._real(path)
            fd = os.open(real, flags | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)
        if writing:
            mode = "ab" if flags & os.O_APPEND else ("r+b" if flags & os.O_RDWR else "wb")
        else:
            mode = "rb"
        fobj = os.fdopen(fd, mode)
        handle = _Handle(flags)
        handle.filename = real
        handle.readfile = fobj
        if writing:
            handle.writefile = fobj
        self._event("open", self._rel(path), "w" if writing else "r")
        return handle

    def remove(self, path):
        if not self._removable(path):
            return paramiko.SFTP_PERMISSION_DENIED
        try:
            os.remove(self._real(path))
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)
        self._event("remove", self._rel(path))
        return paramiko.SFTP_OK

    def rename(self, oldpath, newpath):
        if not (self._writable(oldpath) and self._writable(newpath)):
            return paramiko.SFTP_PERMISSION_DENIED
        try:
            old, new = self._real(oldpath), self._real(newpath)
            os.link(old, new)  # fails with EEXIST: never replaces a file
            os.unlink(old)
        except FileExistsError:
            return paramiko.SFTP_FAILURE
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)
        self._event("rename", self._rel(oldpath), self._rel(newpath))
        self.owner._uploaded(self.ssh.partner, self._rel(newpath), new)
        return paramiko.SFTP_OK

    def posix_rename(self, oldpath, newpath):
        return self.rename(oldpath, newpath)

    def mkdir(self, path, attr):
        return paramiko.SFTP_PERMISSION_DENIED

    def rmdir(self, path):
        return paramiko.SFTP_PERMISSION_DENIED

    def chattr(self, path, attr):
        return paramiko.SFTP_OK


class LoopbackSftpServer:
    """An SFTP server on 127.0.0.1 playing Amazon's side.

    Each partner (vendor account) logs in with its key (or password) into its own home folder
    ``root_dir/<username>/`` holding ``to-amazon/`` (uploads) and ``from-amazon/`` (files
    for the vendor). ``on_upload(username, name, path)`` is called once an uploaded file is
    complete (renamed to its final name). ``events`` lists what clients did, in order."""

    def __init__(self, root_dir, authorized_public_key, host_key, port=0, *,
                 username="vendor", password=None, upload_folder=UPLOAD_FOLDER,
                 download_folder=DOWNLOAD_FOLDER, on_upload=None):
        self.root_dir = os.path.realpath(root_dir)
        self.host_key = host_key if isinstance(host_key, paramiko.PKey) \
            else to_paramiko_key(host_key)
        self.requested_port = int(port or 0)
        self.port = None
        self.upload_folder = upload_folder
        self.download_folder = download_folder
        self.on_upload = on_upload
        self.events = []
        self._partners = {}
        self._lock = threading.Lock()
        self._sock = None
        self._thread = None
        self._transports = []
        self._stopping = threading.Event()
        self.add_partner(username, authorized_public_key, password)

    @property
    def host_key_fingerprint(self):
        return fingerprint(self.host_key)

    @property
    def address(self):
        return ("127.0.0.1", self.port)

    def add_partner(self, username, authorized_public_key=None, password=None):
        """Let ``username`` in with these public key line(s) and/or password; returns its
        home folder."""
        home = os.path.join(self.root_dir, username)
        for folder in (self.upload_folder, self.download_folder):
            os.makedirs(os.path.join(home, folder), exist_ok=True)
        self._partners[username] = _Partner(
            username, _public_key_blobs(authorized_public_key), password, home)
        return home

    def home(self, username="vendor"):
        return self._partners[username].home

    def upload_path(self, username="vendor"):
        """Where the partner's uploads land (Amazon reads from here)."""
        return os.path.join(self.home(username), self.upload_folder)

    def download_path(self, username="vendor"):
        """Where Amazon's files for the partner go (the partner downloads from here)."""
        return os.path.join(self.home(username), self.download_folder)

    def deliver(self, name, data, username="vendor"):
        """Amazon's side: put a complete file in the partner's download folder."""
        check_file_name(name)
        folder = self.download_path(username)
        temp = os.path.join(folder, f"{TEMP_PREFIX}{name}{TEMP_SUFFIX}")
        with open(temp, "wb") as handle:
            handle.write(data)
        os.link(temp, os.path.join(folder, name))
        os.unlink(temp)
        return os.path.join(folder, name)

    def _record(self, *event):
        with self._lock:
            self.events.append(event)

    def _uploaded(self, partner, rel, real):
        folder, _, name = rel.partition("/")
        if folder == self.upload_folder and name and "/" not in name \
                and not name.startswith(TEMP_PREFIX) and self.on_upload is not None:
            try:
                self.on_upload(partner.username, name, real)
            except Exception:
                _logger.exception("Loopback SFTP: the upload handler failed for %s", name)

    def start(self):
        if self._thread is not None:
            return self
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.requested_port))
        sock.listen(16)
        sock.settimeout(0.2)
        self._sock = sock
        self.port = sock.getsockname()[1]
        self._stopping.clear()
        self._thread = threading.Thread(target=self._serve, name=f"loopback-sftp-{self.port}",
                                        daemon=True)
        self._thread.start()
        return self

    def _serve(self):
        while not self._stopping.is_set():
            try:
                conn, _addr = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            try:
                transport = paramiko.Transport(conn)
                transport.set_log_channel(__name__ + ".server")
                transport.add_server_key(self.host_key)
                transport.set_subsystem_handler(
                    "sftp", paramiko.SFTPServer, _RootedSftp, owner=self)
                transport.start_server(event=threading.Event(), server=_SshServer(self))
                with self._lock:
                    self._transports = [t for t in self._transports if t.is_active()]
                    self._transports.append(transport)
            except Exception:  # noqa: BLE001 - one bad client never stops the server
                _logger.debug("Loopback SFTP: a connection failed to start", exc_info=True)
                conn.close()

    def stop(self):
        self._stopping.set()
        if self._sock is not None:
            self._sock.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            transports, self._transports = self._transports, []
        for transport in transports:
            transport.close()
        self._thread = None
        self._sock = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
