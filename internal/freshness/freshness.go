// Package freshness says which reads may be answered by a read replica (§14): dashboards, lists
// and exports, which tolerate the replica's lag of a moment, and never a read that must see a
// write just made. A request that wrote marks its client for Window, and the client's reads go
// to the primary meanwhile (read-your-own-writes).
package freshness

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Cookie marks a client that wrote within Window; the console's browsers carry it back.
const Cookie = "parkos_fresh"

// Window is how long after a write a client's reads stay on the primary: well above the lag a
// healthy streaming replica shows.
const Window = 10 * time.Second

type lagKey struct{}

// MayLag marks ctx's reads as answerable by a replica.
func MayLag(ctx context.Context) context.Context { return context.WithValue(ctx, lagKey{}, true) }

// LagAllowed reports whether ctx's reads may be answered by a replica.
func LagAllowed(ctx context.Context) bool {
	ok, _ := ctx.Value(lagKey{}).(bool)
	return ok
}

// Tolerant reports whether a signed-in GET of a list, a dashboard or an export may read from a
// replica: never when its route names a single record, nor for a client that has just
// written or asks for fresh data (Cache-Control: no-cache). Callers mark which routes are lists.
func Tolerant(r *http.Request) bool {
	if r.Method != http.MethodGet || strings.Contains(r.Pattern, "{") || strings.Contains(r.Header.Get("Cache-Control"), "no-cache") {
		return false
	}
	c, err := r.Cookie(Cookie)
	return err != nil || c.Value == ""
}

// Track marks the client of every request that may write, so that its reads for Window see
// the write: the console's browsers carry the cookie back; an API client that keeps no cookies
// sends Cache-Control: no-cache on a read that must see its own write.
func Track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
			http.SetCookie(w, &http.Cookie{Name: Cookie, Value: "1", Path: "/", MaxAge: int(Window / time.Second),
				HttpOnly: true, SameSite: http.SameSiteLaxMode})
		}
		next.ServeHTTP(w, r)
	})
}
