/* SQLite's floor for figures the benchmarks cannot reach by tuning DocStore: what the work
 * costs in SQLite alone, written in C with everything computed before the clock starts.
 *
 *   sqlite_floor none|entries|lean DOCS.ndjson DB
 *   sqlite_floor commits N DOCS.ndjson DB
 *
 * Every mode inserts the documents into DocStore's table shape (`id NOT NULL PRIMARY KEY, doc
 * TEXT`, a rowid table), WAL, synchronous=FULL, a 64 MiB page cache, as `docstore-bench bulk`
 * does; `none`, `entries` and `lean` in one BEGIN IMMEDIATE transaction.
 *
 * Issue 11 (indexes): `entries` then inserts the entries of the benchmark's three indexes
 * (`email`; `[address.city, age]`; `tags`, multi) into tables of DocStore's entry layout (`key
 * BLOB, id_type TEXT, id, tag INTEGER, value TEXT`, WITHOUT ROWID on `(key, id_type, id, tag)`,
 * `INSERT ... ON CONFLICT DO NOTHING`), with keys of DocStore's encoding and sizes (`S<text>\0`,
 * `N<16 hex digits>#<decimal>`, arrays as `A<items>\0`). `lean` writes the leanest layout one
 * row per entry allows: one BLOB key (value, primary key and tag together) and no other
 * column. The entries are computed and sorted before the clock starts, every index's entries
 * in one global order, the most favourable order a B-tree can be filled in (DocStore sorts
 * each flush of 65,536 changes); so the ratio `entries` / `none` is a lower bound for any
 * writer of this layout.
 *
 * Issue 14 (batches through the server): `commits N` inserts the documents N per transaction,
 * each committed durably (one fsync), as group commit at best does for batches from clients,
 * with DocStore's writer settings (a checkpoint every 10,000 pages of WAL).
 *
 * Prints {"mode","seconds","documents","entries"}: seconds from the first BEGIN to the end of
 * the last COMMIT.
 * Build: gcc -O2 -o sqlite_floor sqlite_floor.c -lsqlite3
 */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    unsigned char *key;  /* the value's encoding, then (lean) the primary key and the tag */
    int length;
    const char *id;
    char *value;         /* the value as JSON */
    int tag;
} Entry;

typedef struct {
    Entry *items;
    int count, capacity;
} Entries;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void check(sqlite3 *db, int rc, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "sqlite_floor: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void run(sqlite3 *db, const char *sql) { check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql); }

/* `lean`: the key is the value's encoding, the primary key and the tag, as the one column holds it. */
static void add(Entries *list, int lean, const char *id, const unsigned char *key, int length, char *value, int tag) {
    if (list->count == list->capacity) {
        list->capacity = list->capacity ? list->capacity * 2 : 1 << 17;
        list->items = realloc(list->items, sizeof(Entry) * list->capacity);
    }
    Entry *entry = &list->items[list->count++];
    int idLength = lean ? (int)strlen(id) : 0;
    entry->key = malloc(length + idLength + 1);
    memcpy(entry->key, key, length);
    if (lean) {
        memcpy(entry->key + length, id, idLength);
        entry->key[length + idLength] = (unsigned char)tag;
        length += idLength + 1;
    }
    entry->length = length;
    entry->id = id;
    entry->value = value;
    entry->tag = tag;
}

static int compare(const void *a, const void *b) {
    const Entry *x = a, *y = b;
    int common = x->length < y->length ? x->length : y->length;
    int order = memcmp(x->key, y->key, common);
    if (order) return order;
    if (x->length != y->length) return x->length - y->length;
    order = strcmp(x->id, y->id);
    return order ? order : x->tag - y->tag;
}

/* DocStore's number key: N, the order-preserving 16 hex digits of the double, #, the decimal. */
static int number_key(unsigned char *out, double number, const char *decimal) {
    unsigned long long bits;
    memcpy(&bits, &number, sizeof bits);
    bits = number < 0 ? ~bits : bits ^ (1ULL << 63);
    return sprintf((char *)out, "N%016llx#%s", bits, decimal);
}

int main(int argc, char **argv) {
    int perCommit = 0;
    if (argc == 5 && !strcmp(argv[1], "commits")) {
        perCommit = atoi(argv[2]);
        argv++;
        argc--;
    }
    if (argc != 4 || (perCommit == 0 && strcmp(argv[1], "commits") == 0)) {
        fprintf(stderr, "usage: sqlite_floor none|entries|lean DOCS.ndjson DB\n       sqlite_floor commits N DOCS.ndjson DB\n");
        return 64;
    }
    const char *mode = perCommit ? "commits" : argv[1], *path = argv[3];
    int layout = !strcmp(mode, "entries") ? 1 : !strcmp(mode, "lean") ? 2 : 0;

    /* The documents and their fields, read with SQLite's JSON functions in memory, untimed. */
    sqlite3 *scratch;
    check(NULL, sqlite3_open(":memory:", &scratch), "open :memory:");
    run(scratch, "CREATE TABLE d(n INTEGER PRIMARY KEY, doc TEXT)");
    FILE *file = fopen(argv[2], "r");
    if (!file) { perror(argv[2]); return 1; }
    sqlite3_stmt *load;
    check(scratch, sqlite3_prepare_v2(scratch, "INSERT INTO d(doc) VALUES (?)", -1, &load, NULL), "prepare");
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    run(scratch, "BEGIN");
    while ((length = getline(&line, &capacity, file)) > 0) {
        if (line[length - 1] == '\n') line[--length] = 0;
        if (length == 0) continue;
        sqlite3_bind_text(load, 1, line, (int)length, SQLITE_TRANSIENT);
        check(scratch, sqlite3_step(load), "load");
        sqlite3_reset(load);
    }
    run(scratch, "COMMIT");
    fclose(file);

    int count = 0;
    char **ids = NULL, **docs = NULL;
    Entries lists[3] = {{0}};
    sqlite3_stmt *fields;
    check(scratch, sqlite3_prepare_v2(scratch,
        "SELECT doc->>'id', doc, doc->>'email', doc->'address'->>'city', doc->>'age', doc->'age', "
        "doc->'tags' FROM d ORDER BY n", -1, &fields, NULL), "prepare");
    sqlite3_stmt *tags;
    check(scratch, sqlite3_prepare_v2(scratch, "SELECT value FROM json_each(?)", -1, &tags, NULL), "prepare");
    int lean = layout == 2;
    unsigned char key[1024];
    while (sqlite3_step(fields) == SQLITE_ROW) {
        ids = realloc(ids, sizeof(char *) * (count + 1));
        docs = realloc(docs, sizeof(char *) * (count + 1));
        ids[count] = strdup((const char *)sqlite3_column_text(fields, 0));
        docs[count] = strdup((const char *)sqlite3_column_text(fields, 1));
        const char *id = ids[count++];
        if (!layout) continue;
        const char *email = (const char *)sqlite3_column_text(fields, 2);
        const char *city = (const char *)sqlite3_column_text(fields, 3);
        double age = sqlite3_column_double(fields, 4);
        const char *ageText = (const char *)sqlite3_column_text(fields, 5);
        char *value;
        int n = sprintf((char *)key, "S%s", email) + 1;
        if (asprintf(&value, "\"%s\"", email) < 0) return 1;
        add(&lists[0], lean, id, key, n, value, 0);
        n = sprintf((char *)key, "AS%s", city) + 1;
        n += number_key(key + n, age, ageText) + 1;
        key[n++] = 0;
        if (asprintf(&value, "[\"%s\",%s]", city, ageText) < 0) return 1;
        add(&lists[1], lean, id, key, n, value, 0);
        sqlite3_bind_text(tags, 1, (const char *)sqlite3_column_text(fields, 6), -1, SQLITE_TRANSIENT);
        for (int tag = 0; sqlite3_step(tags) == SQLITE_ROW; tag++) {
            const char *text = (const char *)sqlite3_column_text(tags, 0);
            n = sprintf((char *)key, "S%s", text) + 1;
            if (asprintf(&value, "\"%s\"", text) < 0) return 1;
            add(&lists[2], lean, id, key, n, value, tag);
        }
        sqlite3_reset(tags);
    }
    sqlite3_finalize(tags);
    sqlite3_finalize(fields);
    int entries = 0;
    for (int i = 0; i < 3; i++) {
        qsort(lists[i].items, lists[i].count, sizeof(Entry), compare);
        entries += lists[i].count;
    }

    char sql[512];
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql, "%s%s", path, (const char *[]){"", "-wal", "-shm"}[i]);
        unlink(sql);
    }
    sqlite3 *db;
    check(NULL, sqlite3_open(path, &db), path);
    run(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536");
    run(db, "CREATE TABLE bench (id NOT NULL PRIMARY KEY, doc TEXT NOT NULL)");
    /* DocStore's writer (Configuration.walCheckpointPages): many commits copy fewer pages. */
    if (perCommit) run(db, "PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 40960000");
    const char *names[3] = {"bench$email", "bench$cityAge", "bench$tags"};
    for (int i = 0; layout && i < 3; i++) {
        if (layout == 1)
            snprintf(sql, sizeof sql, "CREATE TABLE \"%s\" (key BLOB NOT NULL, id_type TEXT NOT NULL, id NOT NULL, "
                     "tag INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (key, id_type, id, tag)) WITHOUT ROWID", names[i]);
        else
            snprintf(sql, sizeof sql, "CREATE TABLE \"%s\" (key BLOB PRIMARY KEY) WITHOUT ROWID", names[i]);
        run(db, sql);
    }

    double start = now();
    run(db, "BEGIN IMMEDIATE");
    sqlite3_stmt *insert;
    check(db, sqlite3_prepare_v2(db, "INSERT INTO bench (id, doc) VALUES (?, ?)", -1, &insert, NULL), "prepare");
    for (int d = 0; d < count; d++) {
        if (perCommit && d > 0 && d % perCommit == 0) {
            run(db, "COMMIT");
            run(db, "BEGIN IMMEDIATE");
        }
        sqlite3_bind_text(insert, 1, ids[d], -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 2, docs[d], -1, SQLITE_STATIC);
        check(db, sqlite3_step(insert), "insert");
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    for (int i = 0; layout && i < 3; i++) {
        if (layout == 1)
            snprintf(sql, sizeof sql, "INSERT INTO \"%s\" (key, id_type, id, tag, value) VALUES (?, 'S', ?, ?, ?) "
                     "ON CONFLICT DO NOTHING", names[i]);
        else
            snprintf(sql, sizeof sql, "INSERT INTO \"%s\" (key) VALUES (?)", names[i]);
        check(db, sqlite3_prepare_v2(db, sql, -1, &insert, NULL), "prepare");
        for (int j = 0; j < lists[i].count; j++) {
            Entry *entry = &lists[i].items[j];
            if (layout == 1) {
                sqlite3_bind_blob(insert, 1, entry->key, entry->length, SQLITE_STATIC);
                sqlite3_bind_text(insert, 2, entry->id, -1, SQLITE_STATIC);
                sqlite3_bind_int(insert, 3, entry->tag);
                sqlite3_bind_text(insert, 4, entry->value, -1, SQLITE_STATIC);
            } else {
                sqlite3_bind_blob(insert, 1, entry->key, entry->length, SQLITE_STATIC);
            }
            check(db, sqlite3_step(insert), "insert entry");
            sqlite3_reset(insert);
        }
        sqlite3_finalize(insert);
    }
    run(db, "COMMIT");
    double seconds = now() - start;
    printf("{\"mode\":\"%s\",\"per_commit\":%d,\"seconds\":%.4f,\"documents\":%d,\"entries\":%d}\n", mode, perCommit, seconds, count,
           entries);
    sqlite3_close(db);
    return 0;
}
