package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/gen"
	"github.com/parkos/parkos/internal/store"
)

func cmdGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("gen", stdout, stderr)
	var c common
	c.register(fs.FlagSet, store.DefaultDB)
	scale := fs.String("scale", "demo", strings.Join(gen.ScaleNames, " | "))
	seed := fs.Int64("seed", 1, "random seed; the same seed gives the same data set")
	password := fs.String("password", env("GEN_PASSWORD", "parkos-bench"), "password of every generated user (PARKOS_GEN_PASSWORD)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openMigrated(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	last := time.Now()
	stats, err := gen.Run(ctx, st, *scale, gen.Options{Seed: *seed, Password: *password, Progress: func(done, total int) {
		if time.Since(last) > 2*time.Second || done == total {
			fmt.Fprintf(stderr, "gen: %d/%d parks, %s\n", done, total, time.Since(start).Round(time.Millisecond))
			last = time.Now()
		}
	}})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "generated %s scale (seed %d) on %s in %s:\n  %d parks, %d zones, %d buildings, %d floors, %d units\n"+
		"  %d enterprises, %d residencies, %d qualifications, %d contracts, %d leads, %d holds, %d quarterly reports\n"+
		"  %d bookings, %d service requests, %d bills, %d payments, %d policies, %d policy applications, %d events, %d event registrations\n"+
		"  %d users (password %q; admin user: admin)\n",
		*scale, *seed, st.Engine(), time.Since(start).Round(time.Millisecond), stats.Parks, stats.Zones, stats.Buildings,
		stats.Floors, stats.Units, stats.Enterprises, stats.Residencies, stats.Qualifications, stats.Contracts, stats.Leads, stats.Holds, stats.Reports,
		stats.Bookings, stats.Requests, stats.Bills, stats.Payments, stats.Policies, stats.Applications, stats.Events, stats.Registrations, stats.Users, *password)
	return nil
}
