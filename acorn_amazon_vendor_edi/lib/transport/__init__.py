"""EDI transports, plain Python: SFTP (paramiko) and AS2 (cryptography + asn1crypto), with
loopback servers playing Amazon's side for the simulator and the tests."""
from .errors import EdiTransportError
from .identity import TestIdentity, make_ssh_key, make_test_identity
from .sftp import LoopbackSftpServer, SftpTransport
from .as2 import (
    As2Receipt,
    IncomingMessage,
    LoopbackAs2Server,
    Mdn,
    build_mdn,
    build_message,
    certificate_warnings,
    parse_incoming,
    read_mdn,
    send,
    send_message,
)
