-- A copied database must never talk to Vendor Central: archive live accounts and drop secrets.
UPDATE amazon_vendor_account
   SET active = false,
       lwa_client_secret = NULL,
       lwa_refresh_token = NULL
 WHERE environment != 'simulation';
