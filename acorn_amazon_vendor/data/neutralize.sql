-- A copied database must never talk to Vendor Central, nor to any host an administrator set:
-- archive live accounts and Simulation accounts with endpoint overrides, and drop their secrets.
-- Plain Simulation accounts (built-in loopback simulator, demo credentials) stay usable.
UPDATE amazon_vendor_account
   SET active = false,
       lwa_client_secret = NULL,
       lwa_refresh_token = NULL
 WHERE environment != 'simulation'
    OR COALESCE(endpoint_override, '') != ''
    OR COALESCE(lwa_endpoint_override, '') != '';
