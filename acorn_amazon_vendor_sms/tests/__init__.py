from . import test_sms_alerts
