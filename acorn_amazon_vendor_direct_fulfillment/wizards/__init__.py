from . import amazon_vendor_df_status_wizard
