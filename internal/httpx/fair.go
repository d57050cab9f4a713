package httpx

import "net/http"

// FairReads lets at most n read requests (GET, HEAD) run at once and admits the others in the
// order they arrived. Without it every waiting request competes for the next free database
// connection, which database/sql hands to a waiter at random: under load a few requests lose
// many draws in a row and the slowest take five times the median. Writes are not held here;
// they queue for the one writer in their own order.
func FairReads(n int, next http.Handler) http.Handler {
	slots := make(chan struct{}, n) // goroutines blocked on a send are woken first-come, first-served
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case slots <- struct{}{}:
		case <-r.Context().Done():
			return // the client left while waiting
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, r)
	})
}
