package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/storetest"
	"github.com/xuri/excelize/v2"
)

// syncBuffer is a bytes.Buffer safe to read while the server writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// README command 1: `parkos demo` serves the demo, prints the URL and logins, and the admin
// can sign in and list the seed parks.
func TestDemoCommandServes(t *testing.T) {
	d := startDemo(t)
	defer d.stop()
	for _, want := range []string{d.base, "admin", "authority", "operator", "tenant", `"demo"`} {
		if !strings.Contains(d.out.String(), want) {
			t.Errorf("start-up output lacks %q:\n%s", want, d.out.String())
		}
	}
	_, body := d.get(t, adminSession(t, d.base).Token, "/api/v1/parks?limit=50")
	var parks struct {
		Items []struct {
			NameZh string `json:"name_zh"`
		}
	}
	_ = json.Unmarshal([]byte(body), &parks)
	if len(parks.Items) < 9 {
		t.Fatalf("admin sees %d parks", len(parks.Items))
	}
}

func TestUserAndMigrateCommands(t *testing.T) {
	ctx := context.Background()
	db := "sqlite:" + filepath.Join(t.TempDir(), "p.db")
	var out, errOut bytes.Buffer
	sh := func(stdin string, args ...string) error {
		out.Reset()
		errOut.Reset()
		return run(ctx, args, strings.NewReader(stdin), &out, &errOut)
	}
	if err := sh("", "migrate", "status", "--db", db); err != nil || !regexp.MustCompile(`(?m)^0036 +events +pending$`).MatchString(out.String()) {
		t.Fatalf("migrate status before: %v %s", err, out.String())
	}
	if err := sh("", "migrate", "--db", db); err != nil || !strings.Contains(out.String(), "sqlite") {
		t.Fatalf("migrate: %v %s", err, out.String())
	}
	if err := sh("", "migrate", "status", "--db", db); err != nil || !strings.Contains(out.String(), " 0 pending, 0 newer") || strings.Contains(out.String(), "pending\n") {
		t.Fatalf("migrate status after: %v %s", err, out.String())
	}
	if err := sh("a-long-password\n", "user", "add", "--db", db, "--username", "root", "--role", "admin"); err != nil {
		t.Fatalf("user add: %v", err)
	}
	err := sh("short\n", "user", "add", "--db", db, "--username", "x", "--role", "wizard")
	if err == nil || !strings.Contains(err.Error(), "role") || !strings.Contains(err.Error(), "password") {
		t.Fatalf("bad user add: %v", err)
	}
	if err := sh("", "user", "add", "--db", db, "--username", "op", "--role", "park_manager", "--park", "NOPE"); err == nil {
		t.Fatal("unknown park accepted")
	}
	if err := sh("another-long-one\n", "user", "set-password", "--db", db, "--username", "ROOT"); err != nil {
		t.Fatalf("set-password: %v", err)
	}
	if err := sh("", "user", "list", "--db", db); err != nil || !strings.Contains(out.String(), "root") {
		t.Fatalf("user list: %v %s", err, out.String())
	}
	if err := sh("", "version"); err != nil || !strings.HasPrefix(out.String(), "parkos") {
		t.Fatalf("version: %v %q", err, out.String())
	}
	if err := sh("", "frobnicate"); err == nil || !strings.Contains(errOut.String(), "Usage") {
		t.Fatalf("unknown command: %v", err)
	}
	if err := sh("", "serve", "--db", "mysql://nope"); err == nil || !strings.Contains(err.Error(), "sqlite:PATH") {
		t.Fatalf("bad --db: %v", err)
	}
}

func TestReportWorkbookCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "p.db")
	st, err := openMigrated(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	w := storetest.NewWorld(t, st)
	period, err := storetest.StatsOf(st).OpenPeriod(ctx, identity.System(), stats.Period{ParkID: w.Parks[0].ID, Kind: stats.Annual, Year: 2024, Deadline: civil.Of(2025, 3, 31)})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	sh := func(args ...string) error {
		out.Reset()
		return run(ctx, args, strings.NewReader(""), &out, &errOut)
	}
	book := filepath.Join(dir, "年报.xlsx")
	if err := sh("export", "reports", "--db", db, "--period", period.ID, "--out", book); err != nil {
		t.Fatalf("export: %v", err)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellStr("填报", "G3", "四十")
	f.Save()
	marked := filepath.Join(dir, "marked.xlsx")
	err = sh("import", "reports", "--db", db, "--period", period.ID, "--annotated", marked, book)
	if err == nil || !strings.Contains(out.String(), "row 3, column G") {
		t.Fatalf("bad import: %v %s", err, out.String())
	}
	if _, err := os.Stat(marked); err != nil {
		t.Fatalf("no marked copy: %v", err)
	}
	f.SetCellStr("填报", "G3", "40")
	f.Save()
	if err := sh("import", "reports", "--db", db, "--period", period.ID, book); err != nil || !strings.Contains(out.String(), "1 drafts updated") {
		t.Fatalf("import: %v %s", err, out.String())
	}
	if err := sh("import", "reports", "--db", db, "--period", period.ID, book); err != nil || !strings.Contains(out.String(), "1 unchanged") {
		t.Fatalf("the same file again: %v %s", err, out.String())
	}
	if err := sh("figures", "--db", db); err != nil || !strings.Contains(out.String(), "1 park-years of indicators, 2 parks' month-end occupancy") {
		t.Fatalf("figures: %v %s", err, out.String())
	}
	if err := sh("figures", "--db", db); err != nil || !strings.Contains(out.String(), "0 park-years of indicators, 0 parks'") {
		t.Fatalf("figures again, nothing changed: %v %s", err, out.String())
	}
	if err := sh("figures", "--rebuild", "--db", db); err != nil || !strings.Contains(out.String(), "1 park-years of indicators, 2 parks'") {
		t.Fatalf("figures --rebuild: %v %s", err, out.String())
	}
}

// parkos export onboarding → a fresh database with parkos import onboarding holds the same
// records; a second import changes nothing; a refused file writes a marked copy.
func TestOnboardingCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, dst := "sqlite:"+filepath.Join(dir, "src.db"), "sqlite:"+filepath.Join(dir, "dst.db")
	st, err := openMigrated(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	storetest.NewWorld(t, st)
	st.Close()
	var out, errOut bytes.Buffer
	sh := func(args ...string) error {
		out.Reset()
		return run(ctx, args, strings.NewReader(""), &out, &errOut)
	}
	book := filepath.Join(dir, "onboarding.xlsx")
	if err := sh("export", "onboarding", "--db", src, "--out", book); err != nil {
		t.Fatalf("export: %v", err)
	}
	if err := sh("import", "onboarding", "--db", dst, "--dry-run", book); err != nil || !strings.Contains(out.String(), "units           6 created") {
		t.Fatalf("dry run: %v\n%s", err, out.String())
	}
	if err := sh("import", "onboarding", "--db", dst, book); err != nil || !strings.Contains(out.String(), "imported") {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	if err := sh("import", "onboarding", "--db", dst, book); err != nil || !strings.Contains(out.String(), "units           0 created, 0 changed, 6 unchanged") {
		t.Fatalf("again: %v\n%s", err, out.String())
	}
	csvFile := filepath.Join(dir, "units.csv")
	if err := sh("export", "onboarding", "--db", dst, "--park", "P1", "--csv", "units", "--out", csvFile); err != nil {
		t.Fatalf("csv export: %v", err)
	}
	data, _ := os.ReadFile(csvFile)
	if strings.Count(string(data), "\nP1,") != 3 || strings.Contains(string(data), "\nP0,") {
		t.Fatalf("park P1's units:\n%s", data)
	}
	os.WriteFile(csvFile, []byte(strings.Replace(string(data), "A-3-301,办公,100", "A-3-301,办公,一百", 1)), 0o644)
	marked := filepath.Join(dir, "marked.xlsx")
	err = sh("import", "onboarding", "--db", dst, "--annotated", marked, csvFile)
	if err == nil || !strings.Contains(out.String(), "CSV row 2, column F") {
		t.Fatalf("bad import: %v\n%s", err, out.String())
	}
	if _, err := os.Stat(marked); err != nil {
		t.Fatalf("no marked copy: %v", err)
	}
}

// SIGTERM with requests in flight: requests still running when the grace period ends are
// cancelled through their context before the database closes; none answers 500 and the
// process exits cleanly. Before, they got 500 "statement is closed" and the exit code was 1.
func TestShutdownWithRequestsInFlight(t *testing.T) {
	d := startDemo(t, "--shutdown-timeout", "50ms")
	base := d.base
	session := adminSession(t, base)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				req, _ := http.NewRequest("GET", base+"/api/v1/onboarding/export", nil)
				req.Header.Set("Authorization", "Bearer "+session.Token)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					return // the server has stopped accepting
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				mu.Lock()
				statuses[res.StatusCode]++
				mu.Unlock()
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	d.stop() // the demo must exit cleanly after SIGTERM, within 20 s
	wg.Wait()
	if statuses[500] > 0 {
		t.Fatalf("requests answered 500 during shutdown: %v\n%s", statuses, d.errOut.String())
	}
}

// demoRun is one `parkos demo` started in the test's process.
type demoRun struct {
	base        string
	out, errOut *syncBuffer
	stop        func()
}

func startDemo(t *testing.T, args ...string) demoRun {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"demo", "--addr", addr}, args...), strings.NewReader(""), out, errOut)
	}()
	d := demoRun{base: "http://" + addr, out: out, errOut: errOut}
	d.stop = func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("demo exited with %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("demo did not shut down")
		}
	}
	waitReady(t, d.base, errOut)
	return d
}

// get is the status and body of GET path with the bearer token.
func (d demoRun) get(t *testing.T, token, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", d.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// waitReady waits up to 20 s for the server at base to answer /readyz.
func waitReady(t *testing.T, base string, errOut *syncBuffer) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(base + "/readyz"); err == nil && res.StatusCode == 200 {
			res.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo not ready: %s", errOut.String())
		}
	}
}

// adminSession signs the demo's admin in through the API.
func adminSession(t *testing.T, base string) (session struct{ Token string }) {
	t.Helper()
	res, err := http.Post(base+"/api/v1/session", "application/json", strings.NewReader(`{"username":"admin","password":"demo"}`))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("admin login: %v %v", res, err)
	}
	defer res.Body.Close()
	_ = json.NewDecoder(res.Body).Decode(&session)
	return session
}

// Every command and subcommand prints its usage to stdout and exits 0 when asked for help;
// an unknown command or flag exits 2 with the usage on stderr.
func TestHelpAndExitCodes(t *testing.T) {
	t.Chdir(t.TempDir()) // so a command that opened its default database would leave ./data here
	for _, args := range [][]string{{"help"}, {"--help"}, {"serve", "--help"}, {"demo", "-h"}, {"migrate", "--help"}, {"migrate", "status", "--help"}, {"backup", "--help"}, {"restore", "--help"},
		{"figures", "--help"}, {"gen", "--help"}, {"bench", "--help"}, {"bench", "load", "--help"}, {"user", "--help"}, {"user", "add", "--help"},
		{"user", "set-password", "-h"}, {"user", "list", "--help"}, {"export", "--help"}, {"export", "reports", "--help"},
		{"export", "onboarding", "--help"}, {"import", "--help"}, {"import", "reports", "--help"}, {"import", "onboarding", "-h"}} {
		var out, errOut strings.Builder
		err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
		if code := exitCode(err, &errOut); code != 0 || !strings.Contains(out.String(), "Usage") || errOut.Len() > 0 {
			t.Errorf("parkos %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, out.String(), errOut.String())
		}
		if len(args) > 1 && !isHelp(args[0]) && !strings.Contains(out.String(), "parkos "+args[0]) {
			t.Errorf("parkos %s: the usage is not of %s: %q", strings.Join(args, " "), args[0], out.String())
		}
	}
	for _, args := range [][]string{{}, {"frobnicate"}, {"serve", "--no-such-flag"}, {"user"}, {"user", "delete"},
		{"export"}, {"import", "everything"}, {"bench"}} {
		var out, errOut strings.Builder
		err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
		if code := exitCode(err, &errOut); code != 2 || !strings.Contains(errOut.String(), "parkos") {
			t.Errorf("parkos %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut.String())
		}
	}
	if _, err := os.Stat("data"); err == nil {
		t.Error("help or a usage error opened the default database")
	}
}
