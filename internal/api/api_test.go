package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/loginguard"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/store/storetest"
)

// env is a running API over a fixture world, with a token per role.
type env struct {
	t      *testing.T
	srv    *httptest.Server
	api    *Server
	store  *sqlstore.Store
	world  *storetest.World
	tokens map[identity.Role]string
	logs   *bytes.Buffer
}

func forEachEngine(t *testing.T, test func(t *testing.T, e *env)) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) { test(t, newEnv(t, eng.Open(t))) })
	}
}

func newEnv(t *testing.T, st *sqlstore.Store) *env {
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	e := &env{t: t, store: st, world: storetest.NewWorld(t, st), tokens: map[identity.Role]string{}, logs: logs}
	e.api = New(app.New(st, civil.SystemClock{}), log, loginguard.New(st))
	mux := http.NewServeMux()
	e.api.Mount(mux)
	mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("deliberate test panic") })
	e.srv = httptest.NewServer(httpx.AccessLog(log, nil, httpx.Recover(log, httpx.Routed(mux))))
	t.Cleanup(e.srv.Close)
	for _, r := range identity.Roles {
		var out SessionResponse
		e.do("", "POST", "/api/v1/session", map[string]string{"username": "u_" + string(r), "password": e.world.Password}, 201, &out)
		e.tokens[r] = out.Token
	}
	return e
}

// do sends a request as role (or anonymously when role is "") and checks the status.
func (e *env) do(role identity.Role, method, path string, body any, want int, out any) *http.Response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		e.t.Fatalf("%s %s as %q: status %d, want %d: %s", method, path, role, res.StatusCode, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return res
}

func (e *env) problem(role identity.Role, method, path string, body any, want int) httpx.Problem {
	e.t.Helper()
	var p httpx.Problem
	res := e.do(role, method, path, body, want, &p)
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		e.t.Fatalf("%s %s: content type %q", method, path, ct)
	}
	if p.Code == "" || p.Status != want || p.Detail == "" {
		e.t.Fatalf("%s %s: incomplete problem %+v", method, path, p)
	}
	return p
}

func hasField(p httpx.Problem, field string) bool {
	return slices.IndexFunc(p.Errors, func(f apperr.FieldError) bool {
		return f.Field == field && f.MessageZh != "" && f.MessageEn != ""
	}) >= 0
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
