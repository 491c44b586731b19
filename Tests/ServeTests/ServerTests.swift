import Foundation
import RunStore
@testable import RunServer
import XCTest

/// The real server on an ephemeral port, asked over a socket, over real run files.
final class ServerTests: XCTestCase {
    var fixture: ServeFixture!
    var server: WebServer!
    var http: RawHTTP!
    var index: RunIndex!
    var he = "", xavier = ""

    override func setUp() async throws {
        fixture = try ServeFixture("server")
        he = try fixture.writeRun(step: "cnn-he", config: ["weights": "he", "epochs": 3], accuracy: [0.5, 0.7, 0.9])
        xavier = try fixture.writeRun(step: "cnn-xavier", config: ["weights": "xavier", "epochs": 3], accuracy: [0.4, 0.6, 0.8])
        index = RunIndex(results: fixture.root)
        index.refresh()
        server = try await WebServer.start(router: ServeRouter(index: index, policy: AccessPolicy(bindHost: "127.0.0.1")),
                                           host: "127.0.0.1", port: 0)
        http = RawHTTP(port: server.port)
    }

    override func tearDown() async throws {
        await server.stop()
        fixture = nil
    }

    func testRunsTableListsEveryRunWithItsSummaries() throws {
        let response = try http.get("/api/runs?sort=metric:test_accuracy:best&cols=weights&metrics=test_accuracy")
        XCTAssertEqual(response.status, 200)
        let body = try response.json()
        XCTAssertEqual(body["total"] as? Int, 2)
        let rows = body["rows"] as? [[String: Any]] ?? []
        XCTAssertEqual(rows.map { $0["id"] as? String }, [he, xavier])
        XCTAssertEqual((rows.first?["config"] as? [String: String]), ["weights": "he"])
        let summary = (rows.first?["metrics"] as? [String: [String: Double]])?["test_accuracy"]
        XCTAssertEqual(summary?["best"], 0.9)
        XCTAssertEqual(summary?["min"], 0.5)
        XCTAssertEqual(try http.get("/api/runs?page=zero").status, 400)
    }

    func testSeriesHasBothCurvesRawAndSmoothed() throws {
        let response = try http.get("/api/series?ids=\(he),\(xavier)&metric=test_accuracy&smooth=0.5")
        XCTAssertEqual(response.status, 200)
        let curves = try response.json()["curves"] as? [[String: Any]] ?? []
        XCTAssertEqual(curves.map { ($0["run"] as? [String: Any])?["label"] as? String }, ["weights=he", "weights=xavier"])
        XCTAssertEqual(curves.first?["raw"] as? [[Double]], [[1, 0.5], [2, 0.7], [3, 0.9]])
        let smoothed = curves.first?["smoothed"] as? [[Double]] ?? []
        XCTAssertEqual(smoothed.count, 3)
        XCTAssertEqual(smoothed[1][1], (0.125 + 0.35) / 0.75, accuracy: 1e-12, "averages 0.25, 0.475 over 1 - 0.5^n")
        let grouped = try http.get("/api/series?ids=\(he),\(xavier)&metric=test_accuracy&group=epochs").json()
        let band = (grouped["groups"] as? [[String: Any]])?.first?["band"] as? [[Double]]
        XCTAssertEqual(band?.first ?? [], [1, 0.4, 0.45, 0.5], "x, min, mean, max over both runs")
    }

    func testDiffNamesTheDifferingKeyOnly() throws {
        let body = try http.get("/api/diff?ids=\(he),\(xavier)").json()
        XCTAssertEqual(body["keys"] as? [String], ["weights"])
        XCTAssertEqual((body["runs"] as? [[String: Any]])?.map { $0["values"] as? [String: String] },
                       [["weights": "he"], ["weights": "xavier"]])
    }

    func testCSVExportsEveryPointOfTheSelection() throws {
        let response = try http.get("/api/csv?ids=\(he),\(xavier)&metric=test_accuracy")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-type"], "text/csv; charset=utf-8")
        XCTAssertEqual(response.text, """
        run,study,step,weights,epoch,test_accuracy
        \(he),init-study,cnn-he,he,1,0.5
        \(he),init-study,cnn-he,he,2,0.7
        \(he),init-study,cnn-he,he,3,0.9
        \(xavier),init-study,cnn-xavier,xavier,1,0.4
        \(xavier),init-study,cnn-xavier,xavier,2,0.6
        \(xavier),init-study,cnn-xavier,xavier,3,0.8

        """)
    }

    func testRunPageListsConfigAttributesMetricsAndTensorShapes() throws {
        let body = try http.get("/api/run?id=\(he)").json()
        XCTAssertEqual(body["status"] as? String, "complete")
        XCTAssertTrue((body["attributes"] as? [[String]] ?? []).contains(["git_commit", "abc123"]))
        XCTAssertTrue((body["config"] as? [[String]] ?? []).contains(["weights", "he"]))
        XCTAssertEqual(body["tensors"] as? [[String]], [["layer0_weights", "3 × 4"]])
        XCTAssertEqual((body["metrics"] as? [[String: Any]])?.map { $0["name"] as? String }, ["epoch", "test_accuracy", "train_loss"])
    }

    func testRunPageLinksTheReportsThatNameTheRunAndTheirFigures() throws {
        let study = fixture.root.appendingPathComponent("init-study")
        let file = fixture.url(ofRun: he).lastPathComponent
        try FileManager.default.createDirectory(at: study.appendingPathComponent("quick/figures"), withIntermediateDirectories: true)
        try Data("File: [`runs/\(file)`](runs/\(file))\n".utf8).write(to: study.appendingPathComponent("quick/report.md"))
        try Data("<html>the report</html>".utf8).write(to: study.appendingPathComponent("quick/report.html"))
        try Data([0x89, 0x50, 0x4e, 0x47]).write(to: study.appendingPathComponent("quick/figures/accuracy.png"))
        XCTAssertTrue(index.refresh())
        let reports = try http.get("/api/run?id=\(he)").json()["reports"] as? [[String: Any]] ?? []
        XCTAssertEqual(reports.count, 1)
        XCTAssertEqual(reports.first?["page"] as? String, "init-study/quick/report.html")
        XCTAssertEqual(reports.first?["figures"] as? [String], ["init-study/quick/figures/accuracy.png"])
        XCTAssertEqual((try http.get("/api/run?id=\(xavier)").json()["reports"] as? [Any])?.count, 0, "not named by the report")
        let page = try http.get("/files/init-study/quick/report.html")
        XCTAssertEqual(page.text, "<html>the report</html>")
        XCTAssertEqual(page.headers["content-security-policy"]?.hasPrefix("default-src 'none'"), true, "a report runs no script")
        XCTAssertEqual(try http.get("/files/init-study/quick/figures/accuracy.png").headers["content-type"], "image/png")
    }

    func testNoPathFromTheBrowserReachesTheFileSystem() throws {
        // A real run outside the results folder, linked in as if it were one.
        let outside = try ServeFixture("outside")
        let foreignID = try outside.writeRun(step: "secret", config: ["a": 1], accuracy: [0.5])
        try FileManager.default.createSymbolicLink(at: fixture.root.appendingPathComponent("init-study/runs/linked.h5"),
                                                   withDestinationURL: outside.url(ofRun: foreignID))
        try FileManager.default.createSymbolicLink(at: fixture.root.appendingPathComponent("init-study/report.html"),
                                                   withDestinationURL: URL(fileURLWithPath: "/etc/passwd"))
        try FileManager.default.createSymbolicLink(at: fixture.root.appendingPathComponent("linked-study"),
                                                   withDestinationURL: outside.root.appendingPathComponent("init-study"))
        index.refresh()
        XCTAssertEqual(try http.get("/api/runs").json()["total"] as? Int, 2, "neither the linked run nor the linked folder's")
        for target in ["/api/run?id=init-study/runs/linked", "/api/run?id=../../etc/passwd", "/api/run?id=/etc/passwd",
                       "/api/run?id=\(fixture.url(ofRun: he).path)", "/files/../../../../etc/passwd", "/files/%2e%2e/%2e%2e/etc/passwd",
                       "/files//etc/passwd", "/files/init-study/report.html", "/api/run?id=linked-study/runs/\(foreignID.split(separator: "/").last!)", "/files/init-study/runs/\(he.split(separator: "/").last!).h5",
                       "/../../etc/passwd", "/assets/../Package.swift"] {
            let response = try http.get(target)
            XCTAssertEqual(response.status, 404, target)
            XCTAssertFalse(response.text.contains("root:"), target)
        }
    }

    func testOnlyLoopbackHostHeadersAreAnswered() throws {
        for host in ["localhost:\(server.port)", "127.0.0.1", "[::1]:\(server.port)", "LOCALHOST"] {
            XCTAssertEqual(try http.get("/api/generation", host: host).status, 200, host)
        }
        for host in ["evil.example:\(server.port)", "127.0.0.1.evil.example", "localhost.evil.example", ""] {
            let response = try http.get("/api/runs", host: host)
            XCTAssertEqual(response.status, 403, host)
            XCTAssertFalse(response.text.contains("cnn-he"), host)
        }
    }

    func testNoWriteEndpoints() throws {
        for method in ["POST", "PUT", "DELETE"] {
            XCTAssertEqual(try http.get("/api/runs", method: method).status, 405, method)
        }
    }

    func testForeignAndTruncatedFilesShowAsUnreadableAndTheServerGoesOn() throws {
        let whole = try Data(contentsOf: fixture.url(ofRun: he))
        try fixture.writeForeignFile(name: "cut.h5", contents: whole.prefix(whole.count / 3))
        try fixture.writeForeignFile(name: "foreign.h5", contents: Data((0..<4096).map { UInt8($0 % 251) }))
        index.refresh()
        let rows = try http.get("/api/runs?sort=status&order=asc").json()["rows"] as? [[String: Any]] ?? []
        XCTAssertEqual(Set(rows.filter { $0["state"] as? String == "unreadable" }.compactMap { $0["id"] as? String }),
                       ["init-study/runs/cut", "init-study/runs/foreign"])
        XCTAssertEqual(try http.get("/api/run?id=init-study/runs/cut").json()["state"] as? String, "unreadable")
        XCTAssertEqual(try http.get("/api/series?ids=init-study/runs/cut,\(he)&metric=test_accuracy").json()["unknown"] as? [String],
                       ["init-study/runs/cut"])
        XCTAssertEqual(try http.get("/api/diff?ids=\(he),\(xavier)").status, 200, "still answering")
    }

    func testANewRunAppearsAfterARefreshAndTheGenerationGrows() throws {
        let before = try http.get("/api/generation").json()["generation"] as? Int ?? -1
        try fixture.writeRun(step: "cnn-gauss", config: ["weights": "gauss", "epochs": 3], accuracy: [0.3], status: .running)
        index.refresh()
        XCTAssertEqual(try http.get("/api/generation").json()["generation"] as? Int, before + 1)
        let rows = try http.get("/api/runs?q=gauss").json()["rows"] as? [[String: Any]] ?? []
        XCTAssertEqual(rows.first?["status"] as? String, "interrupted after epoch 1 of 3")
    }

    func testPagesAndTheChartLibraryAreServedFromThisMachine() throws {
        let page = try http.get("/compare?ids=\(he),\(xavier)")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains(#"<script src="/assets/dygraph.min.js"></script>"#))
        XCTAssertFalse(page.text.contains("http"), "no CDN: every script comes from this server")
        XCTAssertTrue(try http.get("/assets/serve.js").text.contains("comparePage"))
        let library = try http.get("/assets/dygraph.min.js")
        XCTAssertEqual(library.status, 200, "libjs-dygraphs is installed by scripts/setup.sh")
        XCTAssertTrue(library.text.contains("Dygraph"))
    }
}

/// The token a non-loopback server requires, checked on the router itself.
final class AccessPolicyTests: XCTestCase {
    func testAnotherHostNeedsTheTokenThenAlsoAcceptsItsName() throws {
        let fixture = try ServeFixture("token")
        let index = RunIndex(results: fixture.root)
        index.refresh()
        let policy = AccessPolicy(bindHost: "box.example")
        let token = try XCTUnwrap(policy.token)
        XCTAssertEqual(token.count, 64)
        XCTAssertNotEqual(AccessPolicy(bindHost: "box.example").token, token, "random per start")
        let router = ServeRouter(index: index, policy: policy)
        func status(_ query: [String: String], host: String, cookies: String? = nil) -> Int {
            router.respond(to: ServeRequest(method: "GET", path: "/api/runs", query: query, host: host, cookies: cookies)).status
        }
        XCTAssertEqual(status([:], host: "box.example:6070"), 401)
        XCTAssertEqual(status(["token": "wrong"], host: "box.example:6070"), 401)
        let first = router.respond(to: ServeRequest(method: "GET", path: "/", query: ["token": token], host: "box.example:6070"))
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.headers["Set-Cookie"]?.hasPrefix("\(AccessPolicy.cookieName)=\(token);"), true)
        XCTAssertEqual(status([:], host: "BOX.example", cookies: "other=1; \(AccessPolicy.cookieName)=\(token)"), 200)
        XCTAssertEqual(status(["token": token], host: "evil.example"), 403, "the token does not widen the hosts")
        XCTAssertNil(AccessPolicy(bindHost: "127.0.0.1").token)
        XCTAssertNil(AccessPolicy(bindHost: "::1").token)
    }
}
