import { registry } from "@web/core/registry";

function chartDatasets() {
    const canvas = document.querySelector(".o_graph_renderer canvas");
    const chart = window.Chart && window.Chart.getChart(canvas);
    if (!chart) {
        throw new Error("The forecast graph has no Chart.js chart");
    }
    return Object.fromEntries(chart.data.datasets.map((dataset) => [dataset.label, dataset]));
}

function known(value) {
    return value !== null && value !== undefined;
}

// The forecast graph draws each series only where it has data: Amazon's orders stop at last
// week, the forecasts start with the open week, nothing falls to a false zero.
registry.category("web_tour.tours").add("acorn_amazon_vendor_forecast_chart_gaps", {
    steps: () => [
        {
            content: "The forecast graph is drawn",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Series end where their data ends",
            trigger: ".o_graph_renderer canvas",
            run() {
                const datasets = chartDatasets();
                const history = datasets["Amazon orders"];
                const own = datasets["Own forecast"];
                const amazon = datasets["Amazon sell-through (mean)"];
                if (!history || !own || !amazon) {
                    throw new Error(`Missing series: ${Object.keys(datasets).join(", ")}`);
                }
                if (!history.data.some((value) => value === 0)) {
                    throw new Error("A week without Amazon orders is a real 0");
                }
                history.data.forEach((value, index) => {
                    if (known(value) && known(own.data[index])) {
                        throw new Error(`Week ${index}: history and forecast overlap`);
                    }
                });
                if (known(history.data.at(-1)) || !history.data.some(known)) {
                    throw new Error(`Amazon orders drawn into the future: ${history.data}`);
                }
                if (known(own.data[0]) || own.data.filter(known).some((value) => value <= 0)) {
                    throw new Error(`Own forecast drawn outside its horizon: ${own.data}`);
                }
                if (!known(amazon.data.at(-1)) || amazon.data.at(-1) !== 40) {
                    throw new Error(`Amazon's last week lost its value: ${amazon.data}`);
                }
                for (const dataset of Object.values(datasets)) {
                    if (dataset.spanGaps !== false) {
                        throw new Error(`${dataset.label} would join its gaps`);
                    }
                }
                document.body.classList.add("o_acorn_chart_gaps_checked");
            },
        },
        {
            content: "The check ran",
            trigger: "body.o_acorn_chart_gaps_checked",
        },
    ],
});
