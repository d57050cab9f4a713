package httpx

import (
	"net/http"
	"strings"
	"time"
)

// FairReads lets at most n read requests (GET, HEAD) run at once and admits the others in the
// order they arrived. Without it every waiting request competes for the next free database
// connection, which database/sql hands to a waiter at random: under load a few requests lose
// many draws in a row and the slowest take five times the median. Writes are not held here;
// they queue for the one writer in their own order. Health checks and static files never wait,
// and a read that has waited maxWait runs anyway, so reads stuck behind a long write (a read may
// wait for the writer to note a token's use) cannot hold every other read back.
func FairReads(n int, maxWait time.Duration, next http.Handler) http.Handler {
	slots := make(chan struct{}, n) // goroutines blocked on a send are woken first-come, first-served
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead || unqueued(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case slots <- struct{}{}:
		default:
			timer := time.NewTimer(maxWait)
			defer timer.Stop()
			select {
			case slots <- struct{}{}:
			case <-timer.C:
				next.ServeHTTP(w, r) // past its turn: runs beside the n, holding no slot
				return
			case <-r.Context().Done():
				w.WriteHeader(http.StatusServiceUnavailable) // the client left while waiting; for the log
				return
			}
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, r)
	})
}

func unqueued(path string) bool {
	return path == "/healthz" || path == "/readyz" || strings.HasPrefix(path, "/static/")
}
