"""SP-API transport: the only code that imports python-amazon-sp-api."""
from .api import VendorApi, iso, windows  # noqa: F401
from .config import LWA_ENDPOINT, SPAPI_ENDPOINTS, TransportConfig, default_endpoint  # noqa: F401
from .errors import AmazonApiError  # noqa: F401
from .factory import SpApiClientFactory  # noqa: F401
from .lwa import clear_token_cache  # noqa: F401
