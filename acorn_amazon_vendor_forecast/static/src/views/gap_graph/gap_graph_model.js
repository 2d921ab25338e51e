import { GraphModel } from "@web/views/graph/graph_model";

/**
 * A line chart point exists only where the read_group returned records for it.
 *
 * Odoo's graph model fills every (x, series) pair without records with 0, and the
 * read_group's fill_temporal adds empty weeks: a forecast series then drops to 0 where it
 * ends and Amazon's orders show 0 for every future week. Here a point without records is
 * null (a gap, Chart.js draws no line through it) and a series without any record is left
 * out. A week whose records sum to 0 stays a real 0.
 */
export class GapGraphModel extends GraphModel {
    _getData(dataPoints, forceUseAllDataPoints) {
        const data = super._getData(dataPoints, forceUseAllDataPoints);
        if (this.metaData.mode !== "line") {
            return data;
        }
        const present = new Map();
        for (const dataPoint of dataPoints) {
            if (!dataPoint.count || dataPoint.labelIndex === undefined) {
                continue;
            }
            const label = this._getDatasetLabel(dataPoint);
            if (!present.has(label)) {
                present.set(label, new Set());
            }
            present.get(label).add(dataPoint.labelIndex);
        }
        data.datasets = data.datasets.filter((dataset) => present.has(dataset.label));
        for (const dataset of data.datasets) {
            const indexes = present.get(dataset.label);
            dataset.data = dataset.data.map((value, index) => (indexes.has(index) ? value : null));
        }
        return data;
    }
}
