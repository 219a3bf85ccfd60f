// Command gocql_e2e checks Strata (or Apache Cassandra) with the Go driver gocql 1.3.2, as Debian packages
// it (golang-github-gocql-gocql-dev): protocol v4 and a token-aware host policy.
//
// Usage: gocql_e2e [-replication MAP] HOST PORT TOKEN KEYSPACE load|verify [OTHER_TENANT_TOKEN]
//
//	load:   keyspace and table (a clustering column, a set), prepared inserts, lightweight transactions,
//	        then the checks of verify
//	verify: (also after a restart) reads by key, a paged scan, an IN query, schema metadata, token-aware
//	        routing; another tenant cannot see the keyspace
//
// An empty TOKEN connects without authentication (Apache Cassandra: -replication "{'class':
// 'SimpleStrategy', 'replication_factor': 1}"). Prints OK and exits 0 when every check holds; otherwise
// prints each failed check and exits 1.
//
// Build offline in GOPATH mode with Debian's Go: GO111MODULE=off GOPATH=/usr/share/gocode go build
package main

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gocql/gocql"
)

const (
	rows       = 1000
	partitions = 20
)

var failures []string

// check records a failed expectation and carries on, so one run reports every difference.
func check(ok bool, format string, args ...interface{}) {
	if !ok {
		failures = append(failures, fmt.Sprintf(format, args...))
		fmt.Println("FAIL: " + failures[len(failures)-1])
	}
}

// must stops at an error the remaining checks depend on.
func must(err error, what string) {
	if err != nil {
		failures = append(failures, fmt.Sprintf("%s: %v", what, err))
		finish()
	}
}

func finish() {
	if len(failures) > 0 {
		fmt.Printf("%d check(s) failed with gocql (protocol v4):\n", len(failures))
		for _, f := range failures {
			fmt.Println("  - " + f)
		}
		os.Exit(1)
	}
	fmt.Println("OK")
	os.Exit(0)
}

// fallback is the round-robin policy under the token-aware one. The token-aware policy asks it for hosts
// only when it cannot route (no routing key, no token ring), so its picks count the silent fallbacks.
type fallback struct {
	gocql.HostSelectionPolicy
	picks int64
}

func (f *fallback) Pick(q gocql.ExecutableQuery) gocql.NextHost {
	atomic.AddInt64(&f.picks, 1)
	return f.HostSelectionPolicy.Pick(q)
}

func connect(host string, port int, token, keyspace string) (*gocql.Session, *fallback) {
	cluster := gocql.NewCluster(host)
	cluster.Port = port
	cluster.Keyspace = keyspace
	cluster.ProtoVersion = 4 // gocql 1.3.2's newest
	cluster.Timeout = 20 * time.Second
	cluster.ConnectTimeout = 20 * time.Second
	if token != "" {
		cluster.Authenticator = gocql.PasswordAuthenticator{Username: "token", Password: token}
	}
	fb := &fallback{HostSelectionPolicy: gocql.RoundRobinHostPolicy()}
	cluster.PoolConfig.HostSelectionPolicy = gocql.TokenAwareHostPolicy(fb)
	s, err := cluster.CreateSession()
	must(err, fmt.Sprintf("connect to %s:%d (keyspace %q)", host, port, keyspace))
	return s, fb
}

// v is the value row i holds; the load's lightweight transaction changed row 3.
func v(i int) int64 {
	if i == 3 {
		return -21
	}
	return int64(i) * 7
}

func main() {
	replication := flag.String("replication", "{'class': 'SingleRegionStrategy'}", "replication of the keyspace")
	flag.Parse()
	args := flag.Args()
	if len(args) < 5 {
		fmt.Println("usage: gocql_e2e [-replication MAP] HOST PORT TOKEN KEYSPACE load|verify [OTHER_TENANT_TOKEN]")
		os.Exit(2)
	}
	host, token, keyspace, mode := args[0], args[2], args[3], args[4]
	port, err := strconv.Atoi(args[1])
	must(err, "port")

	if mode == "load" {
		admin, _ := connect(host, port, token, "")
		must(admin.Query(fmt.Sprintf("CREATE KEYSPACE %s WITH replication = %s", keyspace, *replication)).Exec(),
			"CREATE KEYSPACE")
		admin.Close()
	}
	// gocql prepares every SELECT, INSERT and UPDATE it runs with bound values, and routes it by its token.
	s, fb := connect(host, port, token, keyspace)
	if mode == "load" {
		load(s)
	}
	readBack(s)
	metadata(s, keyspace)
	routing(s, fb)
	s.Close()
	if len(args) > 5 {
		otherTenant(host, port, args[5], keyspace)
	}
	finish()
}

func load(s *gocql.Session) {
	must(s.Query("CREATE TABLE events (k int, c text, v bigint, tags set<text>, PRIMARY KEY (k, c)) "+
		"WITH CLUSTERING ORDER BY (c DESC)").Exec(), "CREATE TABLE")
	for i := 0; i < rows; i++ {
		must(s.Query("INSERT INTO events (k, c, v, tags) VALUES (?, ?, ?, ?)",
			i%partitions, fmt.Sprintf("c%04d", i), int64(i)*7, []string{"all", fmt.Sprintf("t%d", i%3)}).Exec(),
			fmt.Sprintf("prepared INSERT of row %d", i))
	}

	// Lightweight transactions: a refused INSERT returns the current row, a matching UPDATE applies.
	cur := map[string]interface{}{}
	applied, err := s.Query("INSERT INTO events (k, c, v) VALUES (?, ?, ?) IF NOT EXISTS", 3, "c0003", int64(0)).
		MapScanCAS(cur)
	must(err, "INSERT ... IF NOT EXISTS")
	check(!applied && cur["v"] == int64(21), "INSERT IF NOT EXISTS on an existing row: want [applied]=false, v=21; "+
		"got [applied]=%v, %v", applied, cur)
	var old int64
	applied, err = s.Query("UPDATE events SET v = ? WHERE k = ? AND c = ? IF v = ?", int64(-21), 3, "c0003", int64(21)).
		ScanCAS(&old)
	must(err, "UPDATE ... IF v = 21")
	check(applied, "UPDATE IF v = 21: want [applied]=true, got false (v=%d)", old)
	applied, err = s.Query("UPDATE events SET v = ? WHERE k = ? AND c = ? IF v = ?", int64(0), 3, "c0003", int64(21)).
		ScanCAS(&old)
	must(err, "second UPDATE ... IF v = 21")
	check(!applied && old == -21, "second UPDATE IF v = 21: want [applied]=false, v=-21; got %v, v=%d", applied, old)
}

func readBack(s *gocql.Session) {
	// By key.
	var value int64
	var tags []string
	must(s.Query("SELECT v, tags FROM events WHERE k = ? AND c = ?", 7, "c0007").Scan(&value, &tags),
		"SELECT by primary key")
	check(value == 49 && reflect.DeepEqual(tags, []string{"all", "t1"}),
		"row (7, c0007): want v=49 tags=[all t1], got v=%d tags=%v", value, tags)

	// One partition, clustering order DESC, in pages of 7.
	var c string
	var got []string
	iter := s.Query("SELECT c FROM events WHERE k = ?", 5).PageSize(7).Iter()
	for iter.Scan(&c) {
		got = append(got, c)
	}
	must(iter.Close(), "SELECT one partition")
	var want []string
	for i := rows - 1; i >= 0; i-- {
		if i%partitions == 5 {
			want = append(want, fmt.Sprintf("c%04d", i))
		}
	}
	check(reflect.DeepEqual(got, want), "partition 5 in clustering order DESC: want %d rows %v..., got %d rows %v",
		len(want), want[:3], len(got), got)

	// The whole table, page by page with explicit paging state.
	seen, pages, wrong := map[string]bool{}, 0, ""
	var state []byte
	for {
		iter := s.Query("SELECT k, c, v FROM events").PageSize(100).PageState(state).Iter()
		var k int
		for iter.Scan(&k, &c, &value) {
			if i, _ := strconv.Atoi(c[1:]); k != i%partitions || value != v(i) {
				wrong = fmt.Sprintf("(%d, %s, %d), want (%d, %s, %d)", k, c, value, i%partitions, c, v(i))
			}
			seen[c] = true
		}
		state = iter.PageState()
		must(iter.Close(), fmt.Sprintf("paged scan, page %d", pages+1))
		pages++
		if len(state) == 0 || pages > rows {
			break
		}
	}
	check(len(seen) == rows && pages >= rows/100, "paged scan: want %d rows in at least %d pages, got %d rows in %d",
		rows, rows/100, len(seen), pages)
	check(wrong == "", "paged scan: row %s", wrong)

	// IN with a bound list.
	count := map[int]int{}
	var k int
	iter = s.Query("SELECT k, c FROM events WHERE k IN ?", []int{1, 9, 4}).Iter()
	for iter.Scan(&k, &c) {
		count[k]++
	}
	must(iter.Close(), "SELECT ... WHERE k IN ?")
	per := rows / partitions
	check(reflect.DeepEqual(count, map[int]int{1: per, 4: per, 9: per}),
		"k IN (1, 9, 4): want %d rows in each, got %v", per, count)
}

// metadata checks what gocql reads from system_schema (what its token-aware policy also needs).
func metadata(s *gocql.Session, keyspace string) {
	ks, err := s.KeyspaceMetadata(keyspace)
	if err != nil {
		check(false, "session.KeyspaceMetadata(%q): %v", keyspace, err)
		return
	}
	t := ks.Tables["events"]
	if t == nil {
		check(false, "KeyspaceMetadata(%q) has no table events (tables: %v)", keyspace, ks.Tables)
		return
	}
	check(ks.StrategyClass != "", "keyspace %s: no replication class", keyspace)
	names := func(cols []*gocql.ColumnMetadata) (out []string) {
		for _, col := range cols {
			out = append(out, col.Name+" "+col.Type.Type().String())
		}
		return out
	}
	check(reflect.DeepEqual(names(t.PartitionKey), []string{"k int"}), "partition key: want [k int], got %v",
		names(t.PartitionKey))
	check(reflect.DeepEqual(names(t.ClusteringColumns), []string{"c text"}), "clustering columns: want [c text], got %v",
		names(t.ClusteringColumns))
	if len(t.ClusteringColumns) == 1 {
		check(t.ClusteringColumns[0].Order == gocql.DESC, "clustering column c: want order DESC, got %q",
			t.ClusteringColumns[0].ClusteringOrder)
	}
	types := map[string]string{}
	for name, col := range t.Columns {
		types[name] = fmt.Sprint(col.Type)
	}
	check(reflect.DeepEqual(types, map[string]string{"k": "int", "c": "text", "v": "bigint", "tags": "set(text)"}),
		"column types: want k int, c text, v bigint, tags set(text); got %v", types)
	if col := t.Columns["tags"]; col != nil {
		check(col.Kind == gocql.ColumnRegular, "column tags: want kind regular, got %v", col.Kind)
	}
}

// routing checks that the token-aware policy routes a query that binds the whole partition key, instead of
// silently falling back to round-robin (as it does when it cannot compute the routing key or the token ring).
func routing(s *gocql.Session, fb *fallback) {
	q := s.Query("SELECT v FROM events WHERE k = ? AND c = ?", 7, "c0007")
	key, err := q.GetRoutingKey()
	check(err == nil && reflect.DeepEqual(key, []byte{0, 0, 0, 7}),
		"routing key of k = 7: want 00000007 (int), got %x (error %v)", key, err)
	before := atomic.LoadInt64(&fb.picks)
	var value int64
	must(q.Scan(&value), "routed SELECT")
	check(atomic.LoadInt64(&fb.picks) == before,
		"token-aware policy fell back to round-robin for a query binding the whole partition key")
}

func otherTenant(host string, port int, token, keyspace string) {
	s, _ := connect(host, port, token, "")
	defer s.Close()
	var name string
	iter := s.Query("SELECT keyspace_name FROM system_schema.keyspaces").Iter()
	for iter.Scan(&name) {
		check(name != keyspace, "another tenant sees keyspace %s", keyspace)
	}
	must(iter.Close(), "another tenant: SELECT FROM system_schema.keyspaces")
	err := s.Query(fmt.Sprintf("SELECT * FROM %s.events", keyspace)).Exec()
	re, ok := err.(gocql.RequestError)
	check(ok && re.Code() == gocql.ErrCodeInvalid, "another tenant reading %s.events: want an Invalid error, got %v",
		keyspace, err)
}
