import Foundation

/// GET /api/runs: one page of the runs table.
struct RunsTableResponse: Encodable {
    struct Row: Encodable {
        /// The run's id (its path under the results folder without ".h5"), study and step.
        let id, study, step: String
        /// One word for the page's styles, and the words it shows ("running, epoch 3 of 10").
        let state, status: String
        /// Seconds since 1970 of when the run finished (or was created), for the age column.
        let time: Double?
        /// Where it ran: the CPU and the instruction-set path of the kernels.
        let cpu, isa: String
        /// The reports that name the run.
        let reports: [ReportFolder]
        /// Only the config columns and metrics the query asked for.
        let config: [String: String]
        let metrics: [String: MetricSummary]
    }

    /// How many runs pass the filter, and which page of them this is.
    let total, page, pageSize: Int
    /// Grows whenever the results folder changed: the page redraws when it does.
    let generation: Int
    /// Every config key and metric name of the index, for the column pickers.
    let configKeys, metricNames: [String]
    let rows: [Row]

    init(_ query: RunQuery, snapshot: IndexSnapshot) {
        let (total, page) = query.apply(to: snapshot.runs)
        self.total = total
        self.page = query.page
        pageSize = query.pageSize
        generation = snapshot.generation
        configKeys = snapshot.configKeys
        metricNames = snapshot.metricNames
        rows = page.map { run in
            let contents = run.contents
            return Row(id: run.id, study: contents?.study ?? "", step: contents?.step ?? "", state: run.state.kind,
                       status: run.state.label, time: contents?.created?.timeIntervalSince1970,
                       cpu: contents?.cpu ?? "", isa: contents?.isa ?? "", reports: run.reports,
                       config: contents.map { contents in contents.config.filter { query.configColumns.contains($0.key) } } ?? [:],
                       metrics: contents.map { contents in contents.summaries.filter { query.metrics.contains($0.key) } } ?? [:])
        }
    }
}
