"""The one exception the EDI transports raise, in plain words."""


class EdiTransportError(Exception):
    """A failed SFTP or AS2 exchange.

    ``kind`` classifies the failure for people and for retry decisions:

    * SFTP and HTTP: ``auth`` (login refused), ``host_key`` (the server is not the one
      configured), ``unreachable``, ``timeout``, ``permission``, ``exists`` (a file of that name
      is already there), ``not_found``, ``protocol``, ``config`` (our own settings are unusable);
    * AS2: ``http`` (the partner answered with an HTTP error), ``refused`` (the MDN says
      the partner did not process the message), ``mdn`` (no usable MDN: unsigned, wrong
      signature, other message id), ``mic`` (the MDN confirms a different content), and the
      RFC 4130 dispositions raised while reading an incoming message: ``decryption-failed``,
      ``authentication-failed``, ``integrity-check-failed``, ``insufficient-message-security``,
      ``unknown-trading-partner``, ``unexpected-processing-error``.

    ``may_have_arrived`` is True when the partner may hold the file or message although we
    got no confirmation (timeout after sending, connection lost during the rename): such a
    document must not be resent blindly. The message never contains a key or a password.
    """

    RETRYABLE_KINDS = frozenset({"unreachable", "timeout", "protocol", "http"})

    def __init__(self, message, kind, *, may_have_arrived=False, details=None):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.may_have_arrived = may_have_arrived
        self.details = details

    @property
    def retryable(self):
        return self.kind in self.RETRYABLE_KINDS and not self.may_have_arrived

    def __str__(self):
        return self.message
