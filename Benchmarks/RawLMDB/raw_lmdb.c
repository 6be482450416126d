// The raw-LMDB limits the event log is compared against (BENCHMARKS.md): one database,
// 8-byte big-endian keys, 455-byte values (the size of a record the benchmarks store: 423
// canonical bytes with a 300-byte payload, and the 32-byte chain hash), no indexes, no hash
// computed. Not built by SwiftPM; build and run by hand:
//
//     cc -O2 -o /tmp/raw_lmdb Benchmarks/RawLMDB/raw_lmdb.c -llmdb
//     mkdir -p /tmp/raw-lmdb && /tmp/raw_lmdb /tmp/raw-lmdb && rm -rf /tmp/raw-lmdb
//
// The directory must be empty and on a real disk (not tmpfs).
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdint.h>
#define CHECK(x) do { int rc_ = (x); if (rc_) { fprintf(stderr, "%s: %s\n", #x, mdb_strerror(rc_)); exit(1); } } while (0)
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: raw_lmdb EMPTY-DIRECTORY\n"); return 2; }
    const char *dir = argv[1]; int n = 1000000, vsize = 455, batch = 1000;
    MDB_env *env; MDB_dbi dbi; MDB_txn *txn;
    CHECK(mdb_env_create(&env)); CHECK(mdb_env_set_mapsize(env, 4UL << 30)); CHECK(mdb_env_set_maxdbs(env, 8));
    CHECK(mdb_env_open(env, dir, MDB_NOTLS, 0644));
    char *value = malloc(vsize); for (int i = 0; i < vsize; i++) value[i] = (char)(i * 167 + 13);
    // Durable batched append, 1,000 per commit with MDB_APPEND; the first 200 commits are timed.
    double t0 = now(); uint64_t pos = 0;
    for (int b = 0; b < n / batch; b++) {
        CHECK(mdb_txn_begin(env, NULL, 0, &txn));
        if (b == 0) CHECK(mdb_dbi_open(txn, "events", MDB_CREATE, &dbi));
        for (int i = 0; i < batch; i++) {
            pos++; uint64_t k = __builtin_bswap64(pos);
            MDB_val key = {8, &k}, val = {vsize, value};
            CHECK(mdb_put(txn, dbi, &key, &val, MDB_APPEND));
        }
        CHECK(mdb_txn_commit(txn));
        if (b == 199) { double t = now() - t0; printf("durable append, %d per commit: %.0f events/s\n", batch, 200.0 * batch / t); }
    }
    // One durable commit per event.
    t0 = now();
    for (int i = 0; i < 2000; i++) {
        CHECK(mdb_txn_begin(env, NULL, 0, &txn));
        pos++; uint64_t k = __builtin_bswap64(pos); MDB_val key = {8, &k}, val = {vsize, value};
        CHECK(mdb_put(txn, dbi, &key, &val, MDB_APPEND)); CHECK(mdb_txn_commit(txn));
    }
    printf("durable append, 1 per commit: %.0f events/s\n", 2000 / (now() - t0));
    for (int pass = 0; pass < 3; pass++) {
        MDB_cursor *c; MDB_val key, val; long count = 0; uint64_t sum = 0;
        CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)); CHECK(mdb_cursor_open(txn, dbi, &c));
        t0 = now();
        while (mdb_cursor_get(c, &key, &val, count ? MDB_NEXT : MDB_FIRST) == 0) {
            count++;
            if (pass == 1) sum += ((unsigned char *)val.mv_data)[0];
            if (pass == 2) sum += ((unsigned char *)val.mv_data)[0] + ((unsigned char *)val.mv_data)[120];
        }
        double t = now() - t0;
        printf("scan (%s): %ld records, %.2f M records/s (%lu)\n",
               pass == 0 ? "keys only" : pass == 1 ? "touch byte 0 of each value" : "touch bytes 0 and 120", count, count / t / 1e6, (unsigned long)sum);
        mdb_cursor_close(c); mdb_txn_abort(txn);
    }
    mdb_env_close(env); return 0;
}
