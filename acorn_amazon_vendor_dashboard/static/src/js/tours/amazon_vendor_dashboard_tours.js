import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

const EXPECTED_PARAM = "acorn_amazon_vendor_dashboard.tour_expected";

/** The dashboard's o-spreadsheet model, found in the component tree of the web client: the
 * grid and the figures are drawn on canvases, their values live in the model. */
function spreadsheetModel() {
    const stack = [odoo.__WOWL_DEBUG__.root.__owl__];
    while (stack.length) {
        const node = stack.pop();
        const model = node.component?.props?.model;
        if (model?.getters?.getEvaluatedCell) {
            return model;
        }
        stack.push(...Object.values(node.children || {}));
    }
    return null;
}

function cartesian(xc) {
    const [, letters, digits] = xc.match(/^([A-Z]+)(\d+)$/);
    let col = 0;
    for (const letter of letters) {
        col = col * 26 + letter.charCodeAt(0) - 64;
    }
    return { col: col - 1, row: Number(digits) - 1 };
}

function cellValue(model, sheetName, xc) {
    const sheetId = model.getters.getSheetIdByName(sheetName);
    return model.getters.getEvaluatedCell({ sheetId, ...cartesian(xc) }).value;
}

async function until(check, what, timeout = 20000) {
    const start = Date.now();
    let last;
    while (Date.now() - start < timeout) {
        last = check();
        if (last === true) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${what}: ${last}`);
}

registry.category("web_tour.tours").add("acorn_amazon_vendor_dashboard_figures", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Dashboards app",
            trigger: ".o_app[data-menu-xmlid='spreadsheet_dashboard.spreadsheet_dashboard_menu_root']",
            run: "click",
        },
        {
            content: "Open the Amazon Vendor dashboard",
            trigger: ".o_search_panel_category_value[data-name='Amazon Vendor']",
            run: "click",
        },
        {
            trigger: ".o_search_panel_category_value.active[data-name='Amazon Vendor']",
        },
        {
            content: "The filters are there",
            trigger: ".o_control_panel .o-filter-value[title='Vendor Account']",
        },
        {
            content: "The spreadsheet shows the database's figures",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet .o-figure canvas",
            run: async () => {
                const expected = JSON.parse(
                    await rpc("/web/dataset/call_kw/ir.config_parameter/get_param", {
                        model: "ir.config_parameter",
                        method: "get_param",
                        args: [EXPECTED_PARAM],
                        kwargs: {},
                    })
                );
                await until(() => !!spreadsheetModel(), "no spreadsheet model");
                const model = spreadsheetModel();
                for (const [sheet, xc, value, tolerance] of expected) {
                    await until(() => {
                        const shown = cellValue(model, sheet, xc);
                        const ok =
                            tolerance === null
                                ? shown === value
                                : typeof shown === "number" &&
                                  Math.abs(shown - value) <= tolerance;
                        return ok || `${sheet}!${xc} shows ${JSON.stringify(shown)}, ` +
                            `expected ${JSON.stringify(value)}`;
                    }, "wrong figure");
                }
                // Every Odoo chart got its points (one per week with data, none invented).
                const sheetId = model.getters.getSheetIdByName("Dashboard");
                for (const figure of model.getters.getFigures(sheetId)) {
                    const definition = model.getters.getChartDefinition(figure.id);
                    if (!definition.type.startsWith("odoo_")) {
                        continue;
                    }
                    await until(() => {
                        const runtime = model.getters.getChartRuntime(figure.id);
                        const points = runtime?.chartJsConfig?.data?.datasets?.[0]?.data || [];
                        return (points.length > 0 && points.every((p) => p !== 0)) ||
                            `chart "${definition.title.text}" has points ${JSON.stringify(points)}`;
                    }, "chart without data");
                }
            },
        },
    ],
});
