"""The SFTP transport against the loopback SFTP server, as Amazon's model runs it."""
import logging
import os
import socket
import threading

import pytest
from cryptography.hazmat.primitives import serialization

from odoo.addons.acorn_amazon_vendor_edi.lib.transport import (
    EdiTransportError,
    LoopbackSftpServer,
    SftpTransport,
    make_ssh_key,
    make_test_identity,
)
from odoo.addons.acorn_amazon_vendor_edi.lib.transport.identity import load_private_key

PASSWORD = "very-secret-sftp-password"


@pytest.fixture(scope="module")
def keys():
    client_key, client_public = make_ssh_key()
    host_key, _host_public = make_ssh_key()
    return {"client": client_key, "client_public": client_public, "host": host_key}


@pytest.fixture()
def server(tmp_path, keys):
    uploads = []
    srv = LoopbackSftpServer(
        str(tmp_path), keys["client_public"], keys["host"],
        on_upload=lambda user, name, path: uploads.append(
            (user, name, open(path, "rb").read())))
    srv.uploads = uploads
    with srv:
        yield srv


def client(server, keys, **kwargs):
    options = {"host_key_fingerprint": server.host_key_fingerprint, "timeout": 5}
    options.update(kwargs)
    return SftpTransport("127.0.0.1", server.port, "vendor", keys["client"], **options)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_upload_list_download_remove(server, keys):
    server.deliver("850_0001.edi", b"ISA*00*...~")
    server.deliver("850_0002.edi", b"ISA*00*second~")
    with client(server, keys) as sftp:
        assert sftp.upload("855_0001.edi", b"ISA*855~") == "to-amazon/855_0001.edi"
        assert sftp.list_incoming() == ["850_0001.edi", "850_0002.edi"]
        assert sftp.download("850_0002.edi") == b"ISA*00*second~"
        sftp.remove("850_0002.edi")
        assert sftp.list_incoming() == ["850_0001.edi"]
    with open(os.path.join(server.upload_path(), "855_0001.edi"), "rb") as handle:
        assert handle.read() == b"ISA*855~"
    assert server.uploads == [("vendor", "855_0001.edi", b"ISA*855~")]
    assert os.listdir(server.download_path()) == ["850_0001.edi"]


def test_upload_writes_a_temporary_name_then_renames(server, keys):
    data = os.urandom(300_000)  # several SFTP packets
    with client(server, keys) as sftp:
        sftp.upload("856_big.edi", data)
    writes = [e for e in server.events if e[1] in ("open", "rename")]
    assert len(writes) == 2
    (_u, op, temp, mode), (_u2, op2, src, dst) = writes
    assert (op, mode, op2) == ("open", "w", "rename")
    assert temp.startswith("to-amazon/.856_big.edi.") and temp.endswith(".part")
    assert (src, dst) == (temp, "to-amazon/856_big.edi")
    # Amazon's side only ever saw the complete file under its final name.
    assert server.uploads == [("vendor", "856_big.edi", data)]
    assert os.listdir(server.upload_path()) == ["856_big.edi"]


def test_upload_refuses_an_existing_name(server, keys):
    with client(server, keys) as sftp:
        sftp.upload("810_1.edi", b"first")
        with pytest.raises(EdiTransportError) as err:
            sftp.upload("810_1.edi", b"second")
    assert err.value.kind == "exists"
    assert "already in the SFTP upload folder" in str(err.value)
    with open(os.path.join(server.upload_path(), "810_1.edi"), "rb") as handle:
        assert handle.read() == b"first"
    assert os.listdir(server.upload_path()) == ["810_1.edi"]  # no temporary file left


def test_incomplete_and_hidden_files_are_not_listed(server, keys):
    folder = server.download_path()
    with open(os.path.join(folder, ".850_3.edi.part"), "wb") as handle:
        handle.write(b"ISA*half")
    os.mkdir(os.path.join(folder, "archive"))
    server.deliver("850_3.edi", b"ISA*whole~")
    with client(server, keys) as sftp:
        assert sftp.list_incoming() == ["850_3.edi"]


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b.edi", ".hidden", "", " x.edi"])
def test_unusable_names_are_refused_before_anything_is_sent(server, keys, name):
    with client(server, keys) as sftp, pytest.raises(EdiTransportError) as err:
        sftp.upload(name, b"x")
    assert err.value.kind == "config"
    assert not [e for e in server.events if e[1] == "open"]


def test_host_key_mismatch_is_refused_in_plain_words(server, keys):
    other_host, _ = make_ssh_key()
    from odoo.addons.acorn_amazon_vendor_edi.lib.transport.sftp import (
        fingerprint,
        to_paramiko_key,
    )
    expected = fingerprint(to_paramiko_key(other_host))
    sftp = client(server, keys, host_key_fingerprint=expected)
    with pytest.raises(EdiTransportError) as err:
        sftp.test_connection()
    assert err.value.kind == "host_key"
    message = str(err.value)
    assert server.host_key_fingerprint in message and expected in message
    assert "Nothing was sent" in message
    assert server.events == []


def test_wrong_key_is_refused_in_plain_words(server, keys):
    stranger, _ = make_ssh_key()
    with pytest.raises(EdiTransportError) as err:
        SftpTransport("127.0.0.1", server.port, "vendor", stranger, timeout=5).test_connection()
    assert err.value.kind == "auth"
    assert "refused the login of user 'vendor'" in str(err.value)
    assert "public key" in str(err.value)


def test_unknown_user_is_refused(server, keys):
    with pytest.raises(EdiTransportError) as err:
        SftpTransport("127.0.0.1", server.port, "somebody", keys["client"],
                      timeout=5).test_connection()
    assert err.value.kind == "auth"


def test_unreachable_port():
    key, _ = make_ssh_key()
    port = free_port()
    with pytest.raises(EdiTransportError) as err:
        SftpTransport("127.0.0.1", port, "vendor", key, timeout=5).test_connection()
    assert err.value.kind == "unreachable"
    assert f"127.0.0.1:{port} cannot be reached" in str(err.value)
    assert err.value.retryable


def test_silent_server_times_out():
    key, _ = make_ssh_key()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        with pytest.raises(EdiTransportError) as err:
            SftpTransport("127.0.0.1", port, "vendor", key, timeout=0.5).test_connection()
    assert err.value.kind == "timeout"
    assert "within 0.5 seconds" in str(err.value)


def test_something_else_on_the_port_is_named():
    key, _ = make_ssh_key()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]

        def answer():
            conn, _ = listener.accept()
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
            conn.close()

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        with pytest.raises(EdiTransportError) as err:
            SftpTransport("127.0.0.1", port, "vendor", key, timeout=2).test_connection()
        thread.join(2)
    assert err.value.kind in ("protocol", "timeout")
    assert "127.0.0.1" in str(err.value)


def test_permission_denied_in_plain_words(server, keys):
    with client(server, keys, upload_dir="from-amazon") as sftp:
        with pytest.raises(EdiTransportError) as err:
            sftp.upload("855.edi", b"x")
    assert err.value.kind == "permission"
    assert "denied permission" in str(err.value)


def test_missing_file_and_missing_folder(server, keys):
    with client(server, keys) as sftp:
        with pytest.raises(EdiTransportError) as err:
            sftp.download("nothing.edi")
        assert err.value.kind == "not_found"
    with client(server, keys, download_dir="nowhere") as sftp:
        with pytest.raises(EdiTransportError) as err:
            sftp.list_incoming()
        assert err.value.kind == "not_found"


def test_test_connection_summary(server, keys):
    server.deliver("850_9.edi", b"ISA~")
    pinned = client(server, keys).test_connection()
    assert "matches the configured one" in pinned
    assert "holds 1 file(s) waiting" in pinned
    unpinned = client(server, keys, host_key_fingerprint=None).test_connection()
    assert server.host_key_fingerprint in unpinned and "not pinned" in unpinned


def test_rsa_pkcs8_and_encrypted_keys_log_in(tmp_path):
    identity = make_test_identity("vendor ssh")
    protected = load_private_key(identity.key_pem).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.BestAvailableEncryption(b"passphrase")).decode()
    host, _ = make_ssh_key()
    with LoopbackSftpServer(str(tmp_path), identity.ssh_public_key, host) as srv:
        with SftpTransport("127.0.0.1", srv.port, "vendor", identity.key_pem, timeout=5) as s:
            s.upload("a.edi", b"a")
        with SftpTransport("127.0.0.1", srv.port, "vendor", protected, timeout=5,
                           private_key_passphrase="passphrase") as s:
            s.upload("b.edi", b"b")
    with pytest.raises(EdiTransportError) as err:
        SftpTransport("127.0.0.1", 22, "vendor", protected, private_key_passphrase="wrong")
    assert err.value.kind == "config"


def test_password_login_never_logs_the_secret(tmp_path, caplog):
    host, _ = make_ssh_key()
    caplog.set_level(logging.DEBUG)
    with LoopbackSftpServer(str(tmp_path), None, host, password=PASSWORD) as srv:
        sftp = SftpTransport("127.0.0.1", srv.port, "vendor", password=PASSWORD, timeout=5)
        with sftp:
            sftp.upload("x.edi", b"x")
        with pytest.raises(EdiTransportError) as err:
            SftpTransport("127.0.0.1", srv.port, "vendor", password="wrong-" + PASSWORD,
                          timeout=5).test_connection()
        assert err.value.kind == "auth"
    assert PASSWORD not in caplog.text and PASSWORD not in repr(sftp)
    assert PASSWORD not in str(err.value)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_partners_have_their_own_folders(server, keys):
    other_key, other_public = make_ssh_key()
    server.add_partner("vendor-eu", other_public)
    with SftpTransport("127.0.0.1", server.port, "vendor-eu", other_key, timeout=5) as sftp:
        sftp.upload("ORDRSP_1.edi", b"UNB+UNOC:3~")
        assert sftp.list_incoming() == []
    assert os.listdir(server.upload_path("vendor-eu")) == ["ORDRSP_1.edi"]
    assert os.listdir(server.upload_path("vendor")) == []
    assert server.uploads == [("vendor-eu", "ORDRSP_1.edi", b"UNB+UNOC:3~")]
