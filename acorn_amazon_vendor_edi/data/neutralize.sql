-- A copied database must never send EDI files to Amazon nor keep the keys to do so.
UPDATE amazon_vendor_account
   SET edi_sftp_private_key = NULL,
       edi_sftp_password = NULL,
       edi_as2_private_key = NULL,
       edi_channel_orders = 'api',
       edi_channel_acknowledgement = 'api',
       edi_channel_shipment = 'api',
       edi_channel_invoice = 'api',
       edi_enabled = false;
