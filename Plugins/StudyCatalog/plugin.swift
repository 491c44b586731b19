import PackagePlugin

/// Registers every study of experiments/Studies at build time: each file's top-level
/// `let name = Study(...)` joins `Catalog.studies`, so a new study file needs no list to be
/// edited and no study can be forgotten.
@main
struct StudyCatalog: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let studyFiles = target.sourceFiles(withSuffix: "swift").map(\.url)
            .filter { $0.deletingLastPathComponent().lastPathComponent == "Studies" }
        let output = context.pluginWorkDirectoryURL.appending(path: "Catalog+Studies.swift")
        return [.buildCommand(displayName: "Registering the studies of experiments/Studies",
                              executable: try context.tool(named: "StudyCatalogGenerator").url,
                              arguments: [output.path] + studyFiles.map(\.path),
                              inputFiles: studyFiles, outputFiles: [output])]
    }
}
