// Runs a plan's SQL in a SQLite database file, through the system's libsqlite3.

import CSQLite

public enum SQLiteDatabase {
    /// Opens (or creates) the database at `path` and runs `sql` in it: the statements
    /// of `PlanExport.sql`, one transaction, rolled back on any failure.
    public static func execute(_ sql: String, in path: String) throws(FileWriteError) {
        var database: OpaquePointer?
        let opened = sqlite3_open_v2(path, &database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        defer { sqlite3_close(database) }
        guard opened == SQLITE_OK, let database else {
            throw FileWriteError(path: path, reason: database.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open the database")
        }
        // Another export of the team's plans may be writing: wait for it a while.
        sqlite3_busy_timeout(database, 10_000)
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(database, sql, nil, nil, &message) == SQLITE_OK else {
            let reason = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(database))
            sqlite3_free(message)
            sqlite3_exec(database, "ROLLBACK", nil, nil, nil)
            throw FileWriteError(path: path, reason: reason)
        }
    }
}
