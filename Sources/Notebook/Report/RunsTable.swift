import RunStore

/// The report's table of runs: one row per run with its step (linked to its file), its
/// status, the config keys that differ between the report's runs (flattened to dotted keys,
/// as `compare` lists them; the keys a sweep varies first) and the final value of the runs' headline metrics. Each run's
/// full config stays one click away, below the table.
struct RunsTable {
    /// More columns than this and the table no longer reads on a page.
    static let keyColumns = 6
    static let metricColumns = 4

    let content: TableContent

    init(runs: [StoredRun], link: (StoredRun) -> String) {
        let configs = runs.map { flattenConfig($0.attribute("config") ?? "{}") }
        let differing = differingConfigKeys(among: configs)
        // The keys whose value changes between the runs that have them (a sweep's axes, the
        // options a study compares); keys that only some runs have, each with one value, tell
        // the steps' kinds apart and stay in the configs below. With none varying, the others.
        let varying = differing.filter { key in Set(configs.compactMap { $0[key] }).count > 1 }
        let shown = varying.isEmpty ? differing : varying
        let keys = Array(shown.prefix(Self.keyColumns))
        let (metrics, metricCount) = Self.headlineMetrics(of: runs)
        let rows = zip(runs, configs).map { run, config -> [Cell] in
            let finals = metrics.map { name -> Cell in
                .number(run.file.metricNames.contains(name) ? (try? run.file.metric(name))?.last : nil, missing: "—")
            }
            return ["[`\(run.step)`](\(link(run)))", .text(run.attribute("status") ?? "?")] + keys.map { .text(config[$0] ?? "—") } + finals
        }
        var notes: [String] = []
        if differing.count > keys.count {
            notes.append("\(differing.count - keys.count) more config keys differ between the runs (or are set in only some of them): see each run's config below.")
        }
        if metricCount > metrics.count {
            notes.append("The final value of \(metrics.count) of the runs' \(metricCount) metrics; `experiments show <run file>` lists every one.")
        }
        content = TableContent(columns: ["run", "status"] + keys + metrics.map { "\($0) (final)" }, rows: rows, notes: notes)
    }

    /// The metrics worth a column, in the order the runs record them, and how many there
    /// are: axes (`epoch`, `k`, `layer`) number the points of the others and are left out;
    /// when there are too many, accuracies, errors, losses and costs come first.
    static func headlineMetrics(of runs: [StoredRun]) -> (names: [String], count: Int) {
        let axes: Set = ["epoch", "k", "layer"]
        var names: [String] = []
        for run in runs {
            for name in run.file.metricNames where !axes.contains(name) && !names.contains(name) { names.append(name) }
        }
        guard names.count > metricColumns else { return (names, names.count) }
        let headline = ["accuracy", "error", "loss", "cost"]
        let rank = { (name: String) in headline.firstIndex { name.contains($0) } ?? headline.count }
        let chosen = names.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }
            .prefix(metricColumns).sorted { $0.offset < $1.offset }.map(\.element)
        return (chosen, names.count)
    }
}
