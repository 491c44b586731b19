import ArgumentParser

struct Experiments: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiments",
        abstract: "A reproducible notebook for neural-network experiments: run a study, keep every number, redraw every figure.",
        discussion: """
        A study trains or computes runs, stores each run in its own HDF5 file under
        results/<study>/runs/, draws its figures with gnuplot and writes
        results/<study>/report.md and report.html.

        Examples:
          experiments list                        the studies, one line each
          experiments run knn-baseline --quick    seconds: compute, draw, report
          experiments run knn-baseline            the default profile (minutes)
          experiments report knn-baseline         redraw from the stored runs
          experiments show results/knn-baseline/runs/seed000-<hash>.h5
          experiments compare run1.h5 run2.h5     config diff, metrics, overlaid curves
          experiments verify                      this machine computes the committed bits, on every path
          experiments prune                       runs of an older engine, with their size (--yes removes them)
          experiments serve                       a local web page: every run, compare curves, live

        'experiments <command> --help' explains each command's options.
        """,
        version: "0.1.0",
        subcommands: [ListStudies.self, RunStudy.self, ReportStudy.self, SubmitStudy.self, ShowRun.self, CompareRuns.self,
                      VerifyArithmetic.self, PruneRuns.self, ServeRuns.self])
}
