package main

import (
	"database/sql"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/store"
	"github.com/parkos/parkos/internal/store/storetest"
)

// TestReadReplica serves with --db-replica pointing at a streaming standby of the test
// PostgreSQL (scripts/with-postgres starts one). With the standby's replay paused, a park
// created through the API is written (so no write went to the read-only standby), is missing
// from the park list (which reads the standby), and is found by its own page and by a list
// asked for fresh data or read by a console that just wrote (which read the primary). Once
// replay resumes, the list shows it.
func TestReadReplica(t *testing.T) {
	replicaBase := os.Getenv("PARKOS_TEST_PG_REPLICA")
	var pg *storetest.Engine
	for _, eng := range storetest.Engines(t) {
		if eng.Name == "postgres" {
			pg = &eng
		}
	}
	if pg == nil || replicaBase == "" {
		t.Skip("needs PARKOS_TEST_PG and PARKOS_TEST_PG_REPLICA (scripts/with-postgres)")
	}
	st, db := storetest.Addr(t, *pg)
	w := storetest.NewWorld(t, st)
	if err := store.AttachReplica(t.Context(), st, db); err == nil || !strings.Contains(err.Error(), "not a standby") {
		t.Fatalf("the primary taken as its own replica: %v", err)
	}
	otherDB, _ := url.Parse(replicaBase)
	otherDB.Path = "/template1"
	if err := store.AttachReplica(t.Context(), st, otherDB.String()); err == nil || !strings.Contains(err.Error(), "template1") {
		t.Fatalf("a standby's other database taken as the replica: %v", err)
	}
	// The standby's URL with the test database's schema.
	primary, _ := url.Parse(db)
	replicaURL, _ := url.Parse(replicaBase)
	replicaURL.RawQuery = primary.RawQuery
	standby, err := sql.Open("pgx", replicaBase)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { standby.Close() })
	t.Cleanup(func() { _, _ = standby.Exec("SELECT pg_wal_replay_resume()") }) // runs first
	schema := primary.Query().Get("search_path")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var n int
		if standby.QueryRow("SELECT count(*) FROM "+schema+".users").Scan(&n) == nil && n == len(w.Users) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the standby never caught up with the test's data")
		}
	}

	server := startInstance(t, "--db", db, "--db-replica", replicaURL.String())
	admin := apiSignIn(t, server, "u_admin", w.Password)
	if _, err := standby.Exec("SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	var created struct{ ID string }
	status, body := apiJSON(t, server, admin, "POST", "/api/v1/parks",
		map[string]any{"code": "REPL-1", "name_zh": "副本测试园", "district": "海淀区", "status": "operating"}, nil)
	if status != http.StatusCreated || json.Unmarshal(body, &created) != nil {
		t.Fatalf("creating a park with the standby paused: %d %s", status, body)
	}
	listed := func(headers map[string]string) bool {
		t.Helper()
		status, body := apiJSON(t, server, admin, "GET", "/api/v1/parks?q=REPL-1", nil, headers)
		if status != 200 {
			t.Fatalf("park list: %d %s", status, body)
		}
		return strings.Contains(string(body), created.ID)
	}
	if listed(nil) {
		t.Fatal("the park list shows a park the paused standby has not replayed: it did not read the standby")
	}
	if status, _ := apiJSON(t, server, admin, "GET", "/api/v1/parks/"+created.ID, nil, nil); status != 200 {
		t.Fatalf("the new park's own page (the primary's): %d", status)
	}
	if !listed(map[string]string{"Cache-Control": "no-cache"}) {
		t.Fatal("a list asked for fresh data does not show the new park")
	}

	// The console: signing in is a write, so the browser reads the primary for a while.
	browser, jar := consoleSignIn(t, server, "u_admin", w.Password)
	if page := get(t, browser, server.base+"/parks?q=REPL-1"); !strings.Contains(page, "副本测试园") {
		t.Fatal("the console's park list, just after a write, lacks the new park")
	}
	u, _ := url.Parse(server.base)
	jar.SetCookies(u, []*http.Cookie{{Name: "parkos_fresh", Value: "", MaxAge: -1}})
	if page := get(t, browser, server.base+"/parks?q=REPL-1"); strings.Contains(page, "副本测试园") {
		t.Fatal("the console's park list, with no recent write, did not read the standby")
	}

	if _, err := standby.Exec("SELECT pg_wal_replay_resume()"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); !listed(nil); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the list never showed the park after replay resumed")
		}
	}

	// A replica that stops answering: within a couple of health checks the lists read the
	// primary again, with no error to show for it.
	proxy := newTCPProxy(t, replicaURL.Host)
	proxied := *replicaURL
	proxied.Host = proxy.addr
	second := startInstance(t, "--db", db, "--db-replica", proxied.String())
	token := apiSignIn(t, second, "u_admin", w.Password)
	if _, err := standby.Exec("SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	status, body = apiJSON(t, second, token, "POST", "/api/v1/parks",
		map[string]any{"code": "REPL-2", "name_zh": "副本断开测试园", "district": "海淀区", "status": "operating"}, nil)
	if status != http.StatusCreated {
		t.Fatalf("creating a second park: %d %s", status, body)
	}
	if _, body := apiJSON(t, second, token, "GET", "/api/v1/parks?q=REPL-2", nil, nil); strings.Contains(string(body), "REPL-2") {
		t.Fatal("the list through the proxied replica already shows the park: it did not read the replica")
	}
	proxy.close()
	time.Sleep(2500 * time.Millisecond)
	status, body = apiJSON(t, second, token, "GET", "/api/v1/parks?q=REPL-2", nil, nil)
	if status != 200 || !strings.Contains(string(body), "REPL-2") {
		t.Fatalf("with the replica gone the list answers %d %s; it should read the primary", status, body)
	}
	if metrics := get(t, http.DefaultClient, second.base+"/metrics"); !strings.Contains(metrics, "parkos_db_replica_in_use 0") {
		t.Fatal("the metrics do not say the replica is out of use")
	}
}

// tcpProxy forwards connections to a target until closed, then drops them all: a replica
// that goes away.
type tcpProxy struct {
	addr  string
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{addr: ln.Addr().String(), ln: ln}
	t.Cleanup(p.close)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

func (p *tcpProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// apiJSON sends a JSON request with a bearer token and extra headers and returns the answer.
func apiJSON(t *testing.T, in instance, token, method, path string, body any, headers map[string]string) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, in.base+path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}
