import { GraphRenderer } from "@web/views/graph/graph_renderer";

/** Draws the gaps of GapGraphModel as gaps and keeps them out of the tooltips. */
export class GapGraphRenderer extends GraphRenderer {
    getLineChartData() {
        const data = super.getLineChartData();
        for (const dataset of data.datasets) {
            dataset.spanGaps = false;
        }
        return data;
    }

    getTooltipItems(data, metaData, tooltipModel) {
        const dataPoints = tooltipModel.dataPoints.filter(
            (point) => point.raw !== null && point.raw !== undefined
        );
        return super.getTooltipItems(data, metaData, { ...tooltipModel, dataPoints });
    }
}
