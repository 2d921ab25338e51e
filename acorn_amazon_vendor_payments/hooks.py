def post_init_hook(env):
    env["amazon.vendor.deduction.rule"]._amazon_vendor_create_defaults()
    env["amazon.vendor.account"].with_context(active_test=False).search([])\
        ._amazon_vendor_set_payment_defaults()
