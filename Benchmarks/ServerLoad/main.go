// serverload: the load generator of Benchmarks/run.sh's server section. It sets up and checks
// with the official Go driver (Debian's golang-gopkg-rethinkdb-rethinkdb-go.v6-dev) and sends
// the measured queries over raw.go's own connections, which cost the generator about 80 µs of
// CPU per single insert where the driver costs about 135 µs, CPU the server needs on 2 cores.
//
//	serverload single ADDR DOCS.ndjson --clients N --count K --durability hard|soft
//	    N connections, each inserting its own K documents one insert per round trip;
//	    prints {"docs","seconds","docs_per_s"}.
//	serverload rtt ADDR DOCS.ndjson --count K
//	    one connection: K soft single inserts, then K r.expr(1); prints the median round trip
//	    of each in ms, {"insert_ms","expr_ms"}.
//	serverload batch ADDR DOCS.ndjson --clients N --batch B
//	    every document of the file, in batches of B, shared among N connections (hard);
//	    prints {"docs","seconds"}.
//
// Each run creates a fresh table (`bench_<mode>`) with the driver, checks that every insert
// reports inserted, and at the end that the table holds every document (the driver's count).
// The measured queries go over connections of raw.go's own (the V1_0 handshake, then frames),
// encoded before the clock starts as the driver would put them on the wire (arrays as
// MAKE_ARRAY terms): the driver's extra CPU per query would otherwise take the cores the
// server needs.
//
// Build: GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off go build
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	r "gopkg.in/rethinkdb/rethinkdb-go.v6"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: serverload single|rtt|batch ADDR DOCS.ndjson [options]")
		os.Exit(64)
	}
	mode, addr, path := os.Args[1], os.Args[2], os.Args[3]
	flags := flag.NewFlagSet(mode, flag.ExitOnError)
	clients := flags.Int("clients", 1, "connections")
	count := flags.Int("count", 1000, "documents per connection (single, rtt)")
	batch := flags.Int("batch", 200, "documents per insert (batch)")
	durability := flags.String("durability", "hard", "hard or soft")
	flags.Parse(os.Args[4:])

	docs := readDocuments(path)
	table := "bench_" + mode
	admin := connect(addr)
	r.DB("test").TableDrop(table).Exec(admin)
	must(r.DB("test").TableCreate(table).Exec(admin))

	switch mode {
	case "single":
		total := *clients * *count
		if total > len(docs) {
			fail("%d documents needed, the file has %d", total, len(docs))
		}
		sessions := rawConnections(addr, *clients)
		queries := make([][]byte, total)
		for i := range queries {
			queries[i] = insertQuery(table, docs[i], *durability)
		}
		seconds := parallel(*clients, func(c int) {
			for i := 0; i < *count; i++ {
				sessions[c].insert(queries[c+i**clients], 1)
			}
		})
		checkCount(admin, table, total)
		emit(map[string]interface{}{"docs": total, "seconds": seconds, "docs_per_s": float64(total) / seconds})
	case "rtt":
		if *count > len(docs) {
			fail("%d documents needed, the file has %d", *count, len(docs))
		}
		session := rawConnect(addr)
		inserts := make([]float64, *count)
		queries := make([][]byte, *count)
		for i := range queries {
			queries[i] = insertQuery(table, docs[i], "soft")
		}
		for i := 0; i < *count; i++ {
			start := time.Now()
			session.insert(queries[i], 1)
			inserts[i] = time.Since(start).Seconds() * 1000
		}
		checkCount(admin, table, *count)
		exprs := make([]float64, *count)
		expr := startQuery([]byte("1"))
		for i := 0; i < *count; i++ {
			start := time.Now()
			if body := session.roundTrip(expr); !bytes.HasPrefix(body, []byte(`{"r":[1],"t":1`)) && !bytes.HasPrefix(body, []byte(`{"t":1,"r":[1]`)) {
				fail("r.expr(1): unexpected response %s", body)
			}
			exprs[i] = time.Since(start).Seconds() * 1000
		}
		emit(map[string]interface{}{"insert_ms": median(inserts), "expr_ms": median(exprs)})
	case "batch":
		sessions := rawConnections(addr, *clients)
		var batches [][]byte
		var sizes []int
		for start := 0; start < len(docs); start += *batch {
			end := start + *batch
			if end > len(docs) {
				end = len(docs)
			}
			batches = append(batches, insertQuery(table, docs[start:end], "hard"))
			sizes = append(sizes, end-start)
		}
		seconds := parallel(*clients, func(c int) {
			for b := c; b < len(batches); b += *clients {
				sessions[c].insert(batches[b], sizes[b])
			}
		})
		checkCount(admin, table, len(docs))
		emit(map[string]interface{}{"docs": len(docs), "seconds": seconds})
	default:
		fail("unknown mode %s", mode)
	}
}

func readDocuments(path string) []interface{} {
	file, err := os.Open(path)
	must(err)
	defer file.Close()
	var docs []interface{}
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 1<<26)
	for scanner.Scan() {
		var doc map[string]interface{}
		must(json.Unmarshal(scanner.Bytes(), &doc))
		docs = append(docs, doc)
	}
	must(scanner.Err())
	return docs
}

func connect(addr string) *r.Session {
	session, err := r.Connect(r.ConnectOpts{Address: addr, InitialCap: 1, MaxOpen: 1})
	must(err)
	return session
}

func rawConnections(addr string, n int) []*rawConn {
	sessions := make([]*rawConn, n)
	for i := range sessions {
		sessions[i] = rawConnect(addr)
	}
	return sessions
}

// checkCount fails unless the table holds `want` documents.
func checkCount(session *r.Session, table string, want int) {
	var count int
	must(r.DB("test").Table(table).Count().ReadOne(&count, session))
	if count != want {
		fail("%s holds %d documents, expected %d", table, count, want)
	}
}

// parallel runs body(0..n-1) on n goroutines and returns the wall time in seconds.
func parallel(n int, body func(int)) float64 {
	var group sync.WaitGroup
	start := time.Now()
	for c := 0; c < n; c++ {
		group.Add(1)
		go func(c int) {
			defer group.Done()
			body(c)
		}(c)
	}
	group.Wait()
	return time.Since(start).Seconds()
}

// insertQuery is the START of r.table(table).insert(docs, {durability}) as the driver puts it
// on the wire.
func insertQuery(table string, docs interface{}, durability string) []byte {
	term, err := json.Marshal([]interface{}{56, []interface{}{[]interface{}{15, []interface{}{table}}, datum(docs)},
		map[string]interface{}{"durability": durability}})
	must(err)
	return startQuery(term)
}

// datum turns a JSON value into a ReQL term: every array becomes [MAKE_ARRAY, [items]].
func datum(value interface{}) interface{} {
	switch v := value.(type) {
	case []interface{}:
		items := make([]interface{}, len(v))
		for i, item := range v {
			items[i] = datum(item)
		}
		return []interface{}{2, items}
	case map[string]interface{}:
		object := make(map[string]interface{}, len(v))
		for key, item := range v {
			object[key] = datum(item)
		}
		return object
	default:
		return v
	}
}

func median(values []float64) float64 {
	sorted := append([]float64(nil), values...)
	sort.Float64s(sorted)
	return sorted[len(sorted)/2]
}

func emit(figures map[string]interface{}) {
	out, err := json.Marshal(figures)
	must(err)
	fmt.Println(string(out))
}

func must(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "serverload: "+format+"\n", args...)
	os.Exit(1)
}
