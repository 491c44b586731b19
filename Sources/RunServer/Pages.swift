import Foundation

/// The three pages: one HTML shell each, filled in by ClientScript (plain JavaScript, no
/// build step) from the JSON API. Every page's state is in its URL.
enum Pages {
    enum Page: String {
        case runs, compare, run

        var title: String {
            switch self {
            case .runs: return "runs"
            case .compare: return "compare runs"
            case .run: return "run"
            }
        }
    }

    static func html(_ page: Page) -> ServeResponse {
        let text = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>experiments · \(page.title)</title>
        <link rel="stylesheet" href="/assets/dygraph.min.css">
        <link rel="stylesheet" href="/assets/serve.css">
        <script src="/assets/dygraph.min.js"></script>
        <script src="/assets/serve.js" defer></script>
        </head>
        <body data-page="\(page.rawValue)">
        <nav><a href="/">experiments</a> · <a href="/">runs</a> · <span id="live" title="checks the results folder every 2 s">live</span></nav>
        <main id="main"><p>loading…</p></main>
        </body>
        </html>
        """
        return ServeResponse(contentType: "text/html; charset=utf-8", body: Data(text.utf8),
                             headers: ["Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'"])
    }

    static var script: ServeResponse {
        ServeResponse(contentType: "text/javascript; charset=utf-8", body: Data(ClientScript.source.utf8))
    }

    static var style: ServeResponse {
        ServeResponse(contentType: "text/css; charset=utf-8", body: Data(stylesheet.utf8))
    }

    private static let stylesheet = """
    body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
    nav { background: #234; color: #fff; padding: 6px 12px; }
    nav a { color: #fff; }
    main { padding: 10px 14px; }
    table { border-collapse: collapse; margin: 8px 0; }
    th, td { border-bottom: 1px solid #ddd; padding: 3px 7px; text-align: left; white-space: nowrap; }
    th.sortable { cursor: pointer; color: #135; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    td.cpu { max-width: 14em; overflow: hidden; text-overflow: ellipsis; }
    table.pairs td { white-space: normal; overflow-wrap: anywhere; max-width: 70em; }
    .controls, .pager { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 6px 0; }
    .controls input[type=text] { width: 16em; }
    .state-running { color: #06c; font-weight: bold; }
    .state-interrupted, .state-diverged { color: #b60; }
    .state-failed, .state-unreadable { color: #c00; }
    .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: middle; }
    #chart { width: 100%; max-width: 1100px; height: 440px; }
    .error { color: #c00; }
    img.figure { max-width: 560px; border: 1px solid #ddd; margin: 4px; }
    #live.changed { color: #7df; }
    """
}
