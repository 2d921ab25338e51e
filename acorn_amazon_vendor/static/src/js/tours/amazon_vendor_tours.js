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
