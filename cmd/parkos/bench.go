package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/parkos/parkos/internal/loadtest"
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
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "server to load")
	fs.StringVar(&cfg.Username, "user", "admin", "user to sign in as")
	fs.StringVar(&cfg.Password, "password", env("GEN_PASSWORD", "parkos-bench"), "password (PARKOS_GEN_PASSWORD)")
	fs.IntVar(&cfg.Conns, "conns", 64, "concurrent connections")
	fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "measured duration")
	fs.DurationVar(&cfg.Warmup, "warmup", 5*time.Second, "warm-up before measuring")
	fs.StringVar(&cfg.Mix, "mix", "mixed", "mixed | lists")
	fs.IntVar(&cfg.ServerPID, "pid", 0, "server process id, to report its memory")
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
	return nil
}

const benchUsage = `Usage:
  parkos bench load --url URL [--conns 64] [--duration 30s] [--mix mixed|lists]   mixed read load against a server
  parkos bench load --help
`
