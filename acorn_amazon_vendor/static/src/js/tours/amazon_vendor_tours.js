import { registry } from "@web/core/registry";

// An administrator opens a Vendor account and checks its connection to the simulator.
registry.category("web_tour.tours").add("acorn_amazon_vendor_test_connection", {
    steps: () => [
        {
            content: "Open the account",
            trigger: ".o_data_row td.o_data_cell:contains('Amazon US (tour)')",
            run: "click",
        },
        {
            content: "The form says AWS keys are no longer needed",
            trigger: ".o_notebook .nav-link:contains('Credentials')",
            run: "click",
        },
        {
            trigger: ".alert-info:contains('no longer needed')",
        },
        {
            content: "Test the connection",
            trigger: "button[name='action_test_connection']",
            run: "click",
        },
        {
            content: "Amazon (the simulator) answered",
            trigger: ".o_notification:contains('Connection OK')",
        },
        {
            trigger: ".alert-success:contains('Connected to')",
        },
    ],
});

// Sales/ops: fetch Amazon's purchase orders, review one and acknowledge it.
registry.category("web_tour.tours").add("acorn_amazon_vendor_sync", {
    steps: () => [
        {
            trigger: ".o_data_row td.o_data_cell:contains('Amazon US (tour)')",
            run: "click",
        },
        {
            content: "Fetch the purchase orders now",
            trigger: "button[name='action_sync_now']",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('1 new')",
        },
    ],
});

registry.category("web_tour.tours").add("acorn_amazon_vendor_acknowledge", {
    steps: () => [
        {
            content: "Open the Amazon purchase order",
            trigger: ".o_data_row td.o_data_cell:contains('PT000001')",
            run: "click",
        },
        {
            content: "The Amazon details are on the order",
            trigger: ".o_notebook .nav-link:contains('Amazon')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='amazon_vendor_ship_to_code']:contains('ABE2')",
        },
        {
            content: "Decide per line",
            trigger: "button[name='action_amazon_vendor_acknowledge']",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row .o_data_cell[name='code']:contains('Accept')",
        },
        {
            content: "Confirm and send the acknowledgement",
            trigger: ".modal button[name='action_send']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
        {
            trigger: ".o_field_widget[name='amazon_vendor_ack_state']:contains('Acknowledgement Sent')",
        },
    ],
});

// Warehouse: validate the Amazon delivery; the ASN goes out by itself.
registry.category("web_tour.tours").add("acorn_amazon_vendor_validate_delivery", {
    steps: () => [
        {
            content: "Validate the delivery",
            trigger: ".o_statusbar_buttons button[name='button_validate']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});

registry.category("web_tour.tours").add("acorn_amazon_vendor_asn_accepted", {
    steps: () => [
        {
            trigger: ".o_notebook .nav-link:contains('Amazon')",
            run: "click",
        },
        {
            content: "Amazon accepted the ASN",
            trigger: ".o_field_widget[name='amazon_vendor_asn_state']:contains('Accepted')",
        },
    ],
});

// Accounting: post the invoice; Amazon's answer shows on it.
registry.category("web_tour.tours").add("acorn_amazon_vendor_post_invoice", {
    steps: () => [
        {
            content: "Confirm the invoice",
            trigger: ".o_statusbar_buttons button[name='action_post']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Posted')",
        },
    ],
});

registry.category("web_tour.tours").add("acorn_amazon_vendor_invoice_accepted", {
    steps: () => [
        {
            content: "Amazon accepted the invoice",
            trigger: ".alert-success:contains('Amazon accepted this invoice')",
        },
    ],
});
