package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The first demo of the hour builds the data set and keeps a copy; the next one starts from
// that copy and answers exactly as the first did, without anything done in the first (its
// session) and without ever writing a snapshot over a database that exists.
func TestDemoStartsFromTheHoursSnapshot(t *testing.T) {
	cache, dbs := t.TempDir(), t.TempDir()
	reads := []string{"/api/v1/parks?limit=50", "/api/v1/enterprises?limit=200", "/api/v1/contracts?limit=200",
		"/api/v1/leads?limit=200", "/api/v1/holds?limit=200", "/api/v1/reminders"}

	first := startDemo(t, "--demo-cache", cache, "--db", "sqlite:"+filepath.Join(dbs, "first.db"))
	if strings.Contains(first.errOut.String(), "snapshot") {
		t.Fatalf("the first demo should build its data:\n%s", first.errOut)
	}
	firstToken := adminSession(t, first.base).Token
	answers := map[string]string{}
	for _, path := range reads {
		status, body := first.get(t, firstToken, path)
		if status != 200 || len(body) < 100 {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
		answers[path] = body
	}
	first.stop()
	kept, _ := filepath.Glob(filepath.Join(cache, "demo-*.db"))
	if len(kept) != 1 {
		t.Fatalf("the cache holds %v, want the first demo's snapshot", kept)
	}

	second := startDemo(t, "--demo-cache", cache, "--db", "sqlite:"+filepath.Join(dbs, "second.db"))
	defer second.stop()
	if !strings.Contains(second.errOut.String(), "demo data set copied from this hour's snapshot") {
		t.Fatalf("the second demo should start from the snapshot:\n%s", second.errOut)
	}
	if status, _ := second.get(t, firstToken, "/api/v1/me"); status != 401 {
		t.Fatalf("the first demo's session works in the second: %d", status)
	}
	token := adminSession(t, second.base).Token
	for _, path := range reads {
		if _, body := second.get(t, token, path); body != answers[path] {
			t.Errorf("GET %s answers otherwise from the snapshot:\n%.300s\nfresh:\n%.300s", path, body, answers[path])
		}
	}

	// Beside a log left by a database since removed, the demo builds: the copy would take
	// that log for its own.
	stray := filepath.Join(dbs, "third.db")
	if err := os.WriteFile(stray+"-wal", []byte("a log of another database"), 0o600); err != nil {
		t.Fatal(err)
	}
	third := startDemo(t, "--demo-cache", cache, "--db", "sqlite:"+stray)
	third.stop()
	if strings.Contains(third.errOut.String(), "snapshot") {
		t.Fatalf("a demo beside a stray log started from the snapshot:\n%s", third.errOut)
	}

	// A database that exists is never replaced by a snapshot: demo data is refused there.
	err := run(context.Background(), []string{"demo", "--demo-cache", cache, "--db", "sqlite:" + filepath.Join(dbs, "first.db"), "--addr", freeAddr(t)},
		strings.NewReader(""), &syncBuffer{}, &syncBuffer{})
	if err == nil || !strings.Contains(err.Error(), "only into an empty database") {
		t.Fatalf("demo on the first demo's database: %v", err)
	}
	if info, err := os.Stat(filepath.Join(dbs, "first.db")); err != nil || info.Size() == 0 {
		t.Fatalf("the first demo's database: %v %v", info, err)
	}
}

// With --demo-cache off a demo builds its data and keeps nothing, wherever PARKOS_DEMO_CACHE
// points.
func TestDemoCacheOff(t *testing.T) {
	cache, work := t.TempDir(), t.TempDir()
	t.Setenv("PARKOS_DEMO_CACHE", cache)
	t.Chdir(work)
	d := startDemo(t, "--demo-cache", "off", "--db", "sqlite:"+filepath.Join(t.TempDir(), "demo.db"))
	d.stop()
	for _, dir := range []string{cache, work} {
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Fatalf("--demo-cache off wrote into %s: %v", dir, entries)
		}
	}
}
