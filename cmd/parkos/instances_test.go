package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/store/storetest"
)

// childArgs, when set, makes the test binary run `parkos` with these arguments (separated by
// \x1f) instead of the tests: how TestTwoInstancesOnOnePostgres starts real server processes.
const childArgs = "PARKOS_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgs); args != "" {
		os.Args = append([]string{"parkos"}, strings.Split(args, "\x1f")...)
		main()
	}
	// The demos the tests start keep their snapshots here, not in the user's cache.
	cache, err := os.MkdirTemp("", "parkos-demo-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("PARKOS_DEMO_CACHE", cache)
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}

// instance is one `parkos serve` process.
type instance struct {
	base string
	log  *syncBuffer
}

func startInstance(t *testing.T, args ...string) instance {
	t.Helper()
	addr := freeAddr(t)
	in := instance{base: "http://" + addr, log: &syncBuffer{}}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childArgs+"="+strings.Join(append([]string{"serve", "--addr", addr, "--log-level", "warn"}, args...), "\x1f"))
	cmd.Stdout, cmd.Stderr = io.Discard, in.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("%s did not stop on SIGTERM", in.base)
		}
		if t.Failed() {
			t.Logf("log of %s:\n%s", in.base, in.log.String())
		}
	})
	waitReady(t, in.base, in.log)
	return in
}

// TestTwoInstancesOnOnePostgres runs two server processes on one PostgreSQL database, as two
// instances behind a load balancer (§10), and proves they behave as one: a sign-in on one works
// on the other; disabling a user on one refuses them on the other within a second; an upload
// previewed through one is confirmed through the other; each notification is sent once though
// both instances' workers deliver.
func TestTwoInstancesOnOnePostgres(t *testing.T) {
	var pg *storetest.Engine
	for _, eng := range storetest.Engines(t) {
		if eng.Name == "postgres" {
			pg = &eng
		}
	}
	if pg == nil {
		t.Skip("needs PARKOS_TEST_PG")
	}
	st, db := storetest.Addr(t, *pg)
	w := storetest.NewWorld(t, st)
	sink := storetest.NewSMTPSink(t)
	flags := []string{"--db", db, "--outbox-interval", "100ms", "--smtp-addr", sink.Addr}
	a, b := startInstance(t, flags...), startInstance(t, flags...)

	// A token made by a sign-in on a works on b.
	admin := apiSignIn(t, a, "u_admin", w.Password)
	if code := statusOf(apiJSON(t, b, admin, "GET", "/api/v1/parks", nil, nil)); code != 200 {
		t.Fatalf("a's sign-in on b: %d", code)
	}

	// An upload previewed through a is confirmed through b (the console, as a browser would;
	// cookies are per host, not per port, so the one jar serves both instances).
	browser, _ := consoleSignIn(t, a, "u_park_manager", w.Password)
	csv := get(t, browser, a.base+"/onboarding/export?entity=units&park_id="+w.Parks[0].ID)
	changed := strings.Replace(csv, "A-3-302,办公,", "A-3-302,实验室,", 1)
	if changed == csv {
		t.Fatalf("the units CSV lacks the unit to change:\n%s", csv)
	}
	preview := uploadTo(t, browser, a.base+"/onboarding/upload", "units.csv", changed)
	if page := get(t, browser, b.base+preview); !strings.Contains(page, `id="commit"`) {
		t.Fatalf("b does not show a's preview:\n%s", page)
	}
	res, err := browser.PostForm(b.base+preview+"/commit", url.Values{})
	if err != nil || res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "imported=1") {
		t.Fatalf("commit through b: %v %v", res, err)
	}
	res.Body.Close()
	if u, err := st.GetUnit(t.Context(), identity.System(), w.Units[0][1].ID); err != nil || u.Kind != "lab" {
		t.Fatalf("the confirmed upload left the unit %q (%v)", u.Kind, err)
	}

	// Disabling the manager through a refuses their token on b within a second, though b has
	// just resolved (and cached) it.
	manager := apiSignIn(t, a, "u_park_manager", w.Password)
	if code := statusOf(apiJSON(t, b, manager, "GET", "/api/v1/parks", nil, nil)); code != 200 {
		t.Fatalf("the manager on b: %d", code)
	}
	managerID := w.Users[identity.ParkManager].ID
	if code := statusOf(apiJSON(t, a, admin, "PATCH", "/api/v1/users/"+managerID, map[string]any{"disabled": true}, nil)); code != 200 {
		t.Fatalf("disabling through a: %d", code)
	}
	began := time.Now()
	for statusOf(apiJSON(t, b, manager, "GET", "/api/v1/parks", nil, nil)) != http.StatusUnauthorized {
		if time.Since(began) > time.Second {
			t.Fatalf("b still serves the disabled user after %v", time.Since(began))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("b refused the disabled user %v after a disabled them", time.Since(began))

	// Notifications queued once are sent once, though both instances' workers deliver.
	const n = 40
	var ds []notify.Delivery
	for i := range n {
		ds = append(ds, notify.Delivery{ID: st.NewID(), Channel: "email", Target: fmt.Sprintf("tenant%d@example.com", i), Subject: "账单提醒", Body: "本月账单已出"})
	}
	if err := st.InTx(t.Context(), func(ctx context.Context) error { return st.Enqueue(ctx, ds) }); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); len(sink.Messages()) < n && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // five more rounds of both workers
	seen := map[string]int{}
	for _, m := range sink.Messages() {
		to, _, _ := strings.Cut(strings.SplitN(m, "To: ", 2)[1], "\r\n")
		seen[to]++
	}
	if len(sink.Messages()) != n || len(seen) != n {
		t.Fatalf("%d messages to %d addresses, want %d each once: %v", len(sink.Messages()), len(seen), n, seen)
	}
}

func apiSignIn(t *testing.T, in instance, username, password string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	res, err := http.Post(in.base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("sign-in of %s on %s: %v %v", username, in.base, res, err)
	}
	defer res.Body.Close()
	var session struct{ Token string }
	_ = json.NewDecoder(res.Body).Decode(&session)
	return session.Token
}

// statusOf is the status of an answer, for checks that need no more of it.
func statusOf(code int, _ []byte) int { return code }

// consoleSignIn signs in at the console's form of in, as a browser would, and returns the
// browser (which does not follow redirects) and its cookie jar. Cookies are per host, not per
// port, so the browser is signed in at every instance on this host.
func consoleSignIn(t *testing.T, in instance, username, password string) (*http.Client, http.CookieJar) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := browser.PostForm(in.base+"/login", url.Values{"username": {username}, "password": {password}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("console sign-in of %s on %s: %v %v", username, in.base, res, err)
	}
	res.Body.Close()
	return browser, jar
}

func get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d\n%s", url, res.StatusCode, b)
	}
	return string(b)
}

// uploadTo posts a file as the console's upload form does and returns where the preview is.
func uploadTo(t *testing.T, c *http.Client, url, name, content string) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", name)
	io.WriteString(part, content)
	mw.Close()
	res, err := c.Post(url, mw.FormDataContentType(), &body)
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload to %s: %v %v", url, res, err)
	}
	res.Body.Close()
	return res.Header.Get("Location")
}
