package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// HotRead is one read measured two ways: as an HTTP request, and as the same read made on the
// store directly (the same SQL and row decoding on the same engine, without HTTP, JSON and
// middleware).
type HotRead struct {
	Name   string
	Path   string // the API path and query
	Direct func(ctx context.Context) error
}

// Comparison is a hot read's median cost each way and their ratio; the first comparison is the
// floor, GET /healthz, which touches neither the database nor JSON: what any request costs this
// client and server over the loopback.
type Comparison struct {
	Name          string
	HTTP, Direct  time.Duration
	HTTPPerDirect float64
}

// Compare makes each read n times one at a time over one connection and n times directly, and
// reports the medians: the share of a request's cost that is not the query tracks how far the
// server is from its engine's limit.
func Compare(ctx context.Context, cfg Config, reads []HotRead, n int) ([]Comparison, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	token, err := signIn(ctx, client, cfg.URL, cfg)
	if err != nil {
		return nil, err
	}
	var out []Comparison
	floor := HotRead{Name: "floor: GET /healthz", Path: "/healthz", Direct: func(context.Context) error { return nil }}
	for _, r := range append([]HotRead{floor}, reads...) {
		var viaHTTP, direct []time.Duration
		for i := range 2 * n { // the first n warm caches and prepared statements
			t0 := time.Now()
			if !get(ctx, client, cfg.URL+r.Path, token) {
				return nil, fmt.Errorf("%s: GET %s failed", r.Name, r.Path)
			}
			if i >= n {
				viaHTTP = append(viaHTTP, time.Since(t0))
			}
		}
		for i := range 2 * n {
			t0 := time.Now()
			if err := r.Direct(ctx); err != nil {
				return nil, fmt.Errorf("%s: %w", r.Name, err)
			}
			if i >= n {
				direct = append(direct, time.Since(t0))
			}
		}
		c := Comparison{Name: r.Name, HTTP: profile(r.Name, viaHTTP, 0).P50, Direct: profile(r.Name, direct, 0).P50}
		if c.Direct > 0 {
			c.HTTPPerDirect = float64(c.HTTP) / float64(c.Direct)
		}
		out = append(out, c)
	}
	return out, nil
}

// ComparisonMarkdown writes comparisons as a table for BENCHMARKS.md.
func ComparisonMarkdown(w io.Writer, cs []Comparison) {
	fmt.Fprintln(w, "\n| hot read | HTTP, one at a time (median) | the same read on the store (median) | HTTP ÷ store |\n|---|---:|---:|---:|")
	for _, c := range cs {
		if c.Direct < time.Microsecond {
			fmt.Fprintf(w, "| %s | %s | — | — |\n", c.Name, ms(c.HTTP))
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s | %.2f× |\n", c.Name, ms(c.HTTP), ms(c.Direct), c.HTTPPerDirect)
	}
}
