"""Keys and certificates made on the fly for tests, the simulator and the demo.

Nothing here is a secret worth keeping: every identity is generated when asked for and lives
only as long as the process (or the test) that made it."""
import dataclasses
import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.x509.oid import NameOID


@dataclasses.dataclass(frozen=True)
class TestIdentity:
    """An RSA key pair with a self-signed certificate (PEM text), usable for AS2 and SSH."""

    __test__ = False  # not a pytest test class

    common_name: str
    key_pem: str
    cert_pem: str

    @property
    def ssh_public_key(self):
        """The public key as an OpenSSH ``authorized_keys`` line (``ssh-rsa AAAA...``)."""
        return ssh_public_key_line(self.key_pem)


def make_test_identity(common_name, days=365, *, not_before=None, key_size=2048):
    """A fresh RSA key and a self-signed certificate valid ``days`` days from ``not_before``
    (default: one hour ago), as PEM text."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    start = not_before or (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1))
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ACORN test identity"),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=True,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False),
            critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    return TestIdentity(common_name, key_pem, cert_pem)


def make_ssh_key():
    """A fresh Ed25519 key: ``(private key in OpenSSH PEM, public ``ssh-ed25519`` line)``."""
    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption()).decode()
    return private, ssh_public_key_line(private)


def ssh_public_key_line(private_key_pem, password=None):
    """The OpenSSH public key line of a private key given as PEM text (any format)."""
    key = load_private_key(private_key_pem, password)
    return key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def load_private_key(pem, password=None):
    """A private key from PEM text: PKCS#8, traditional RSA/EC, or OpenSSH format."""
    data = pem.encode() if isinstance(pem, str) else pem
    secret = password.encode() if isinstance(password, str) else password
    if b"OPENSSH PRIVATE KEY" in data:
        return serialization.load_ssh_private_key(data, secret)
    return serialization.load_pem_private_key(data, secret)
