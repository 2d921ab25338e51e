import { registry } from "@web/core/registry";

// A planner reviews a stock-out risk: the plan, its forecast graph, then why the reordering
// rule proposes its quantity.
registry.category("web_tour.tours").add("acorn_amazon_vendor_forecast_planner", {
    steps: () => [
        {
            content: "The product at risk is listed",
            trigger: ".o_data_row td.o_data_cell:contains('Tour lamp')",
            run: "click",
        },
        {
            content: "The plan says when it runs out",
            trigger: ".alert-danger:contains('Stock-out risk')",
        },
        {
            trigger: ".o_field_widget[name='lead_days']:contains('35')",
        },
        {
            content: "Open the forecast graph",
            trigger: "button[name='action_open_chart']",
            run: "click",
        },
        {
            content: "History, forecasts and Amazon's quantiles on one graph",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});

registry.category("web_tour.tours").add("acorn_amazon_vendor_forecast_explain", {
    steps: () => [
        {
            content: "Ask how the rule reached its quantity",
            trigger: ".o_data_row:contains('Tour lamp') button[name='action_amazon_vendor_explain']",
            run: "click",
        },
        {
            content: "The explanation shows the lead time and the safety stock",
            trigger: ".modal .o_amazon_vendor_explain:contains('Safety stock')",
        },
        {
            trigger: ".modal .o_amazon_vendor_explain:contains('35 days')",
        },
        {
            trigger: ".modal button:contains('Close')",
            run: "click",
        },
    ],
});
