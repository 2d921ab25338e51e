from . import test_sms_alerts
from . import test_i18n
