package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/loadtest"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store"
)

func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(stdout, benchUsage)
		return nil
	}
	if len(args) == 0 || args[0] != "load" {
		return usageErr(stderr, benchUsage, "bench: which benchmark? load")
	}
	fs := newFlags("bench load", stdout, stderr)
	cfg := loadtest.Config{}
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "server to load, or several instances of one separated by commas")
	fs.StringVar(&cfg.Username, "user", "admin", "user to sign in as")
	fs.StringVar(&cfg.Password, "password", env("GEN_PASSWORD", "parkos-bench"), "password (PARKOS_GEN_PASSWORD)")
	fs.IntVar(&cfg.Conns, "conns", 64, "concurrent connections")
	fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "measured duration")
	fs.DurationVar(&cfg.Warmup, "warmup", 5*time.Second, "warm-up before measuring")
	fs.StringVar(&cfg.Mix, "mix", "mixed", "mixed | lists")
	fs.IntVar(&cfg.ServerPID, "pid", 0, "server process id, to report its memory and CPU time per request")
	db := fs.String("compare-db", "", "the server's database: also time the three hot reads over HTTP and on the store directly")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	res, err := loadtest.Run(ctx, cfg)
	if err != nil {
		return err
	}
	res.Markdown(stdout)
	if res.Errors > 0 {
		fmt.Fprintf(os.Stderr, "bench: %d requests failed\n", res.Errors)
	}
	if *db == "" {
		return nil
	}
	reads, done, err := hotReads(ctx, *db)
	if err != nil {
		return err
	}
	defer done()
	cs, err := loadtest.Compare(ctx, cfg, reads, 300)
	if err != nil {
		return err
	}
	loadtest.ComparisonMarkdown(stdout, cs)
	return nil
}

// hotReads are the three list reads of the list load, on the first park by code (the largest
// in a generated data set), each as an API path and as the same store call.
func hotReads(ctx context.Context, addr string) ([]loadtest.HotRead, func(), error) {
	st, err := store.Open(addr, civil.SystemClock{})
	if err != nil {
		return nil, nil, err
	}
	sys, first := identity.System(), page.Request{Limit: 50}
	parks, err := st.ListParks(ctx, sys, space.ParkFilter{}, page.Request{Limit: 1, Sort: "code"})
	if err != nil || len(parks.Items) == 0 {
		st.Close()
		return nil, nil, fmt.Errorf("no park in %s: %v", addr, err)
	}
	park := parks.Items[0].ID
	return []loadtest.HotRead{
		{Name: "parks, 50 a page", Path: "/api/v1/parks?limit=50", Direct: func(ctx context.Context) error {
			_, err := st.ListParks(ctx, sys, space.ParkFilter{}, first)
			return err
		}},
		{Name: "units of a park, 50 a page", Path: "/api/v1/units?limit=50&park_id=" + park, Direct: func(ctx context.Context) error {
			_, err := st.ListUnits(ctx, sys, space.UnitFilter{ParkID: park}, first)
			return err
		}},
		{Name: "enterprises of a park, 50 a page", Path: "/api/v1/enterprises?limit=50&park_id=" + park, Direct: func(ctx context.Context) error {
			_, err := st.ListEnterprises(ctx, sys, enterprise.Filter{ParkID: park}, first)
			return err
		}},
	}, func() { st.Close() }, nil
}

const benchUsage = `Usage:
  parkos bench load --url URL [--conns 64] [--duration 30s] [--mix mixed|lists] [--pid PID] [--compare-db DB]
                     mixed read load against a server; with --pid its CPU time per request, with
                     --compare-db the three hot reads over HTTP against the same reads on the store
  parkos bench load --help
`
