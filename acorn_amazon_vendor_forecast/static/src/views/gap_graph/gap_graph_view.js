import { registry } from "@web/core/registry";
import { graphView } from "@web/views/graph/graph_view";
import { GapGraphModel } from "./gap_graph_model";
import { GapGraphRenderer } from "./gap_graph_renderer";

/** A graph view whose line charts leave gaps where a series has no data (js_class). */
export const gapGraphView = {
    ...graphView,
    Model: GapGraphModel,
    Renderer: GapGraphRenderer,
};

registry.category("views").add("acorn_gap_graph", gapGraphView);
