import LMDB
import RapportTestSupport
import Testing

@Suite("LMDB environment")
struct EnvironmentTests {
    let directory = TemporaryDirectory("lmdb")

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("values written in a committed transaction can be read back")
    func putAndGet() throws {
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("things", flags: .create)
        try environment.withWriteTransaction { txn in
            try txn.put(bytes("one"), for: bytes("a"), in: database)
            try txn.put(bytes("two"), for: bytes("b"), in: database)
        }
        let values = try environment.withReadTransaction { txn in
            [
                try txn.get(bytes("a"), in: database).map(Array.init),
                try txn.get(bytes("z"), in: database).map(Array.init),
            ]
        }
        #expect(values == [bytes("one"), nil])
    }

    @Test("a write transaction whose body throws keeps nothing")
    func abortOnThrow() throws {
        struct Refusal: Error {}
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("things", flags: .create)
        #expect(throws: Refusal.self) {
            try environment.withWriteTransaction { txn in
                try txn.put(bytes("kept?"), for: bytes("a"), in: database)
                throw Refusal()
            }
        }
        #expect(try environment.withReadTransaction { txn in try txn.get(bytes("a"), in: database) == nil })
    }

    @Test("noOverwrite and append refuse with named errors")
    func writeFlags() throws {
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("things", flags: .create)
        try environment.withWriteTransaction { txn in try txn.put(bytes("1"), for: bytes("m"), in: database) }
        let exists = #expect(throws: LMDBError.self) {
            try environment.withWriteTransaction { txn in
                try txn.put(bytes("2"), for: bytes("m"), in: database, flags: .noOverwrite)
            }
        }
        #expect(exists == .keyExists)
        #expect(exists?.name == "MDB_KEYEXIST")
        let outOfOrder = #expect(throws: LMDBError.self) {
            try environment.withWriteTransaction { txn in
                try txn.put(bytes("2"), for: bytes("a"), in: database, flags: .append)
            }
        }
        #expect(outOfOrder == .keyExists)
    }

    @Test("cursors walk keys in order, seek, and step over duplicates")
    func cursors() throws {
        let environment = try Environment(path: directory.path)
        let plain = try environment.openDatabase("plain", flags: .create)
        let index = try environment.openDatabase("index", flags: [.create, .duplicateSort, .duplicateFixed])
        try environment.withWriteTransaction { txn in
            for key in ["b", "d", "a", "c"] { try txn.put(bytes(key.uppercased()), for: bytes(key), in: plain) }
            for value in ["3", "1", "2"] { try txn.put(bytes(value), for: bytes("k"), in: index) }
            try txn.put(bytes("9"), for: bytes("l"), in: index)
        }
        try environment.withReadTransaction { txn in
            try txn.withCursor(plain) { cursor in
                var keys: [String] = []
                var entry = try cursor.first()
                while let current = entry {
                    keys.append(String(decoding: current.key, as: UTF8.self))
                    entry = try cursor.next()
                }
                #expect(keys == ["a", "b", "c", "d"])
                let sought = try bytes("bb").withUnsafeBytes { try cursor.seek($0) }
                #expect(sought.map { String(decoding: $0.key, as: UTF8.self) } == "c")
                #expect(try cursor.last().map { String(decoding: $0.value, as: UTF8.self) } == "D")
                let missing = try bytes("zz").withUnsafeBytes { try cursor.find($0) }
                #expect(missing == nil)
            }
            try txn.withCursor(index) { cursor in
                let found = try bytes("k").withUnsafeBytes { try cursor.find($0) }
                #expect(found != nil)
                #expect(try cursor.duplicateCount() == 3)
                #expect(try cursor.lastDuplicate().map { Array($0.value) } == bytes("3"))
                #expect(try cursor.previousDuplicate().map { Array($0.value) } == bytes("2"))
                #expect(try cursor.nextKey().map { Array($0.key) } == bytes("l"))
                let ranged = try bytes("k").withUnsafeBytes { key in
                    try bytes("15").withUnsafeBytes { value in try cursor.seek(key, value: value) }
                }
                #expect(ranged.map { Array($0.value) } == bytes("2"))
            }
            #expect(try txn.statistics(of: index).entries == 4)
        }
    }

    @Test("a full map grows and the write goes through")
    func mapGrows() throws {
        var options = Environment.Options()
        options.mapSize = 64 << 10
        let environment = try Environment(path: directory.path, options: options)
        let database = try environment.openDatabase("big", flags: .create)
        let value = [UInt8](repeating: 7, count: 4_096)
        for batch in 0..<8 {
            try environment.withWriteTransaction { txn in
                for index in 0..<16 { try txn.put(value, for: Array("\(batch)-\(index)".utf8), in: database) }
            }
        }
        #expect(try environment.info().mapSize > 64 << 10)
        #expect(try environment.withReadTransaction { txn in try txn.statistics(of: database).entries } == 128)
    }

    @Test("opening a database that does not exist, without create, is notFound")
    func missingDatabase() throws {
        let environment = try Environment(path: directory.path)
        let error = #expect(throws: LMDBError.self) { try environment.openDatabase("absent") }
        #expect(error == .notFound)
        #expect(error?.description.contains("MDB_NOTFOUND") == true)
    }

    @Test("a missing directory and a closed environment give named errors")
    func environmentErrors() throws {
        let missing = #expect(throws: LMDBError.self) { try Environment(path: directory.appending("no/such/dir")) }
        #expect(missing == .noSuchFile)
        let environment = try Environment(path: directory.path)
        environment.close()
        let closed = #expect(throws: LMDBError.self) { try environment.withReadTransaction { _ in } }
        #expect(closed == .environmentClosed)
        environment.close()
    }

    @Test("every LMDB code has a name")
    func names() {
        for code in Int32(-30799)...Int32(-30780) {
            #expect(LMDBError(rawValue: code).name.hasPrefix("MDB_"), "code \(code)")
        }
        #expect(LMDBError.noSpace.name == "ENOSPC")
    }

    @Test("a compacted copy holds the same data")
    func copy() throws {
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("things", flags: .create)
        try environment.withWriteTransaction { txn in try txn.put(bytes("v"), for: bytes("k"), in: database) }
        let target = TemporaryDirectory("lmdb-copy")
        try environment.copy(to: target.path, compact: true)
        let copied = try Environment(
            path: target.path,
            options: {
                var o = Environment.Options()
                o.readOnly = true
                return o
            }()
        )
        let copiedDatabase = try copied.openDatabase("things")
        #expect(
            try copied.withReadTransaction { txn in try txn.get(bytes("k"), in: copiedDatabase).map(Array.init) }
                == bytes("v")
        )
    }
}
