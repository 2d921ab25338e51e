-- A copied database keeps no Amazon customer's name, street or phone, and sends nothing to
-- Amazon's Direct Fulfillment on its own.
UPDATE amazon_vendor_df_address
   SET name = 'Neutralized', attention = NULL, street = NULL, street2 = NULL, phone = NULL,
       purged = true, purged_at = NOW() AT TIME ZONE 'UTC'
 WHERE purged IS NOT TRUE;
DELETE FROM ir_attachment
 WHERE res_model = 'stock.picking' AND description = 'amazon_df_personal';
UPDATE amazon_vendor_account SET df_enabled = false;
