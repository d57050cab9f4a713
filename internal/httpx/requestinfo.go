package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
)

// RequestIDHeader carries a request's id: taken from a trusted proxy, else made here, and sent
// back on every answer so that a user's error report leads to its log line.
const RequestIDHeader = "X-Request-Id"

// RequestInfo is what is learnt of a request while it is served, for its access log line and
// its metrics: its id, who asked and the route pattern that answered.
type RequestInfo struct {
	ID    string
	User  string
	Route string
}

type infoKey struct{}

// InfoOf is the request's info, or nil outside a request AccessLog serves.
func InfoOf(ctx context.Context) *RequestInfo {
	info, _ := ctx.Value(infoKey{}).(*RequestInfo)
	return info
}

// SetUser names the signed-in user of the request in its log line.
func SetUser(ctx context.Context, username string) {
	if info := InfoOf(ctx); info != nil {
		info.User = username
	}
}

// Routed records the pattern of the mux's route that served the request (the innermost mux
// wins), since a handler around the mux sees only its own copy of the request.
func Routed(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if info := InfoOf(r.Context()); info != nil && info.Route == "" {
			info.Route = r.Pattern
		}
	})
}

// validRequestID is what an upstream id may look like: short, printable, no spaces.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// requestID is the id a proxy sent when it is trusted and the id is sane, else a new one.
func requestID(r *http.Request, trusted func(*http.Request) bool) string {
	if id := r.Header.Get(RequestIDHeader); id != "" && trusted != nil && trusted(r) && validRequestID.MatchString(id) {
		return id
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// RequestIDOf is the id of the request served on ctx, or "".
func RequestIDOf(ctx context.Context) string {
	if info := InfoOf(ctx); info != nil {
		return info.ID
	}
	return ""
}
