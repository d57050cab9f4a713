package freshness

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Which requests may read a replica, and how a write marks its client for the next ones.
func TestTolerantAndTrack(t *testing.T) {
	mux := http.NewServeMux()
	var tolerant bool
	for _, p := range []string{"GET /api/v1/parks", "GET /api/v1/parks/{id}", "POST /api/v1/parks"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { tolerant = Tolerant(r) })
	}
	served := Track(mux)
	ask := func(method, path string, header http.Header, cookie *http.Cookie) (bool, *http.Response) {
		t.Helper()
		req := httptest.NewRequest(method, path, nil)
		for k, v := range header {
			req.Header[k] = v
		}
		if cookie != nil {
			req.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		tolerant = false
		served.ServeHTTP(rec, req)
		return tolerant, rec.Result()
	}
	if ok, res := ask("GET", "/api/v1/parks", nil, nil); !ok || len(res.Cookies()) != 0 {
		t.Errorf("a list: tolerant %v, cookies %v", ok, res.Cookies())
	}
	if ok, _ := ask("GET", "/api/v1/parks/p1", nil, nil); ok {
		t.Error("a single record may read the replica")
	}
	if ok, _ := ask("GET", "/api/v1/parks", http.Header{"Cache-Control": {"no-cache"}}, nil); ok {
		t.Error("a list asked for fresh data may read the replica")
	}
	ok, res := ask("POST", "/api/v1/parks", nil, nil)
	var mark *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == Cookie {
			mark = c
		}
	}
	if ok || mark == nil || mark.MaxAge != int(Window.Seconds()) || !mark.HttpOnly {
		t.Fatalf("a write: tolerant %v, mark %+v", ok, mark)
	}
	if ok, _ := ask("GET", "/api/v1/parks", nil, mark); ok {
		t.Error("a list read right after the client's write may read the replica")
	}
}
