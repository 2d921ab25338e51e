-- A copied database keeps no Amazon customer's name, street or phone (nor the labels, packing
-- slips and customer invoices that print them). Accounts that could reach Amazon are archived
-- by acorn_amazon_vendor's neutralize.sql; their Direct Fulfillment is switched off too.
UPDATE amazon_vendor_df_address
   SET name = 'Neutralized', attention = NULL, street = NULL, street2 = NULL, phone = NULL,
       purged = true, purged_at = NOW() AT TIME ZONE 'UTC'
 WHERE purged IS NOT TRUE;
DELETE FROM ir_attachment
 WHERE res_model = 'stock.picking' AND description = 'amazon_df_personal';
UPDATE amazon_vendor_account
   SET df_enabled = false
 WHERE environment != 'simulation'
    OR COALESCE(endpoint_override, '') != ''
    OR COALESCE(lwa_endpoint_override, '') != '';
