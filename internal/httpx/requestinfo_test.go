package httpx

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A trusted proxy's X-Request-Id is kept when it is sane; anything else gets a new id. The
// innermost mux's pattern names the route.
func TestRequestIDFromTrustedProxyAndRoute(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	inner := http.NewServeMux()
	inner.HandleFunc("GET /api/items/{id}", func(w http.ResponseWriter, r *http.Request) { SetUser(r.Context(), "alice") })
	outer := http.NewServeMux()
	outer.Handle("/api/", Routed(inner))
	for _, c := range []struct {
		trusted bool
		sent    string
		kept    bool
	}{{true, "lb-7f3a.42", true}, {true, "bad id with spaces", false}, {true, strings.Repeat("x", 65), false}, {false, "lb-7f3a.42", false}} {
		logs.Reset()
		h := AccessLog(log, func(*http.Request) bool { return c.trusted }, Routed(outer))
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/api/items/9", nil)
		req.Header.Set(RequestIDHeader, c.sent)
		h.ServeHTTP(rec, req)
		got := rec.Header().Get(RequestIDHeader)
		if (got == c.sent) != c.kept || got == "" {
			t.Errorf("trusted %v, sent %q: id %q", c.trusted, c.sent, got)
		}
		if !strings.Contains(logs.String(), "request_id="+got) || !strings.Contains(logs.String(), `route="GET /api/items/{id}"`) ||
			!strings.Contains(logs.String(), "user=alice") {
			t.Errorf("log line: %s", logs.String())
		}
	}
}
