// `mapl export --format sqlite|sql`: a team's plans into one database, queried with the
// real sqlite3 and loaded into a real PostgreSQL server started by the test.

import Foundation
import Testing

@Suite("export to SQL")
struct SQLExportTests {
    private func sqlite(_ database: URL, _ query: String) throws -> String {
        try MaplProcess.run([database.path, query], stdin: "", executable: "/usr/bin/sqlite3").stdout
    }

    @Test func sqliteBuildsAndRefreshesAPortfolio() throws {
        let folder = try scratchFolder("sqlite")
        let database = folder.appendingPathComponent("team.db")
        for plan in ["examples/globex/plan.mapl", "examples/course/meridian/plan.mapl", "examples/globex/plan.mapl"] {
            let exported = try MaplProcess.run(["export", "-o", database.path, plan], stdin: "")
            #expect(exported.status == 0, "\(exported.stderr)")
        }
        // Exporting a plan again replaces its rows: 30 Globex stakeholders, not 60.
        #expect(try sqlite(database, "select account, count(*) from stakeholders group by account order by account") == "globex|30\nmeridian|14\n")
        #expect(try sqlite(database, "select account, goal, won, gap from pipeline order by account")
                == "globex|5500000.0|1400000.0|1784000.0\nmeridian|2000000.0|650000.0|345500.0\n")
        #expect(try sqlite(database, "select name, weighted from opportunities where account = 'globex' order by weighted desc limit 1")
                == "MES for Monterrey|605000.0\n")
        // Levels as their word and number; lists and maps as child tables.
        #expect(try sqlite(database, "select support, support_rank from stakeholders where account = 'globex' and id = 'dana'") == "non_supporter|-1.0\n")
        #expect(try sqlite(database, "select value from stakeholders_roles where account = 'globex' and stakeholder = 'dana' order by position") == "economic_buyer\napprover\n")
        #expect(try sqlite(database, "select count(*) from influences where account = 'meridian'") == "17\n")
        // A plan changed and exported again: its rows follow, the other account's stay.
        let plan = folder.appendingPathComponent("kessler.mapl")
        let text = try String(contentsOf: MaplProcess.root.appendingPathComponent("examples/portfolio/kessler.mapl"), encoding: .utf8)
        try text.write(to: plan, atomically: true, encoding: .utf8)
        #expect(try MaplProcess.run(["export", "--format", "sqlite", "-o", database.path, plan.path], stdin: "").status == 0)
        try text.replacingOccurrences(of: "value: €650k", with: "value: €700k").write(to: plan, atomically: true, encoding: .utf8)
        #expect(try MaplProcess.run(["export", "--format", "sqlite", "-o", database.path, plan.path], stdin: "").status == 0)
        #expect(try sqlite(database, "select value from opportunities where account = 'kessler' and id = 'depots_rollout'") == "700000.0\n")
        #expect(try sqlite(database, "select plan_currency from accounts where account = 'kessler'") == "EUR\n")
        #expect(try sqlite(database, "select count(distinct account) from opportunities") == "3\n")
        // Without -o there is no database to write.
        let usage = try MaplProcess.run(["export", "--format", "sqlite", "examples/globex/plan.mapl"], stdin: "")
        #expect(usage.status == 64 && usage.stderr.contains("give -o FILE.db"))
    }

    /// The same tables as SQL text, loaded twice into PostgreSQL (idempotent per account).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: PostgreSQL.bin) || ProcessInfo.processInfo.environment["CI"] == "true",
                   "PostgreSQL is needed: apt-get install postgresql"))
    func sqlLoadsIntoPostgreSQL() throws {
        let server = try PostgreSQL()
        defer { server.stop() }
        let folder = try scratchFolder("sql")
        for plan in ["examples/globex/plan.mapl", "examples/course/meridian/plan.mapl", "examples/globex/plan.mapl"] {
            let exported = try MaplProcess.run(["export", "--format", "sql", plan], stdin: "")
            #expect(exported.status == 0)
            let file = folder.appendingPathComponent("plan.sql")
            try exported.stdout.write(to: file, atomically: true, encoding: .utf8)
            let loaded = try server.psql(["-v", "ON_ERROR_STOP=1", "-q", "-f", file.path])
            #expect(loaded.status == 0, "\(loaded.stderr)")
        }
        #expect(try server.psql(["-At", "-c", "select account, count(*) from stakeholders group by account order by account"]).stdout == "globex|30\nmeridian|14\n")
        #expect(try server.psql(["-At", "-c", "select account, goal, gap from pipeline order by account"]).stdout == "globex|5500000|1784000\nmeridian|2000000|345500\n")
        #expect(try server.psql(["-At", "-c", "select count(*) from opportunities_involves where account = 'meridian'"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) != "0")
    }
}

/// A throwaway PostgreSQL server: a cluster in a temporary folder (owned by the
/// `postgres` user: the server refuses to run as root), listening only on a socket there.
private struct PostgreSQL {
    static let bin = "/usr/lib/postgresql/15/bin/pg_ctl"
    let folder: URL
    let port = 40_000 + Int(getpid() % 20_000)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try MaplProcess.run(["postgres", folder.path], stdin: "", executable: "/usr/bin/chown")
        let data = folder.appendingPathComponent("data").path
        let initdb = try MaplProcess.run(["-u", "postgres", "--", "/usr/lib/postgresql/15/bin/initdb", "-D", data, "-A", "trust", "-U", "postgres"],
                                         stdin: "", executable: "/usr/sbin/runuser")
        guard initdb.status == 0 else { throw ServerFailure(message: initdb.stderr) }
        // Started without pipes: the server keeps the streams it inherits open, and a
        // pipe would never reach its end.
        guard PostgreSQL.quietly(["-u", "postgres", "--", PostgreSQL.bin, "-D", data, "-w", "-l", folder.appendingPathComponent("log").path,
                                  "-o", "-k \(folder.path) -p \(port) -c listen_addresses=''", "start"]) == 0 else {
            throw ServerFailure(message: (try? String(contentsOf: folder.appendingPathComponent("log"), encoding: .utf8)) ?? "")
        }
    }

    /// Runs runuser with these arguments, its streams on /dev/null; its exit status.
    /// (posix_spawn and waitpid: Foundation's Process did not see runuser exit here, with
    /// the server it started still running.)
    private static func quietly(_ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_RDWR, 0) }
        let argv = (["/usr/sbin/runuser"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/sbin/runuser", &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }

    func psql(_ arguments: [String]) throws -> MaplProcess.Result {
        try MaplProcess.run(["-h", folder.path, "-p", String(port), "-U", "postgres"] + arguments, stdin: "", executable: "/usr/bin/psql")
    }

    func stop() {
        _ = PostgreSQL.quietly(["-u", "postgres", "--", PostgreSQL.bin, "-D", folder.appendingPathComponent("data").path, "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }

    struct ServerFailure: Error { let message: String }
}
