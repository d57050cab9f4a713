// Package loadtest drives a running ParkOS server with a read workload at a fixed number of
// connections and reports throughput and latency percentiles (parkos bench load).
package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config is one load run.
type Config struct {
	// URL is the server, or several instances of one separated by commas: the connections are
	// dealt out over them in turn, as a load balancer would.
	URL                string
	Username, Password string
	Conns              int
	Duration, Warmup   time.Duration
	Mix                string // "mixed" (lists and single objects) or "lists" (parks, units, enterprises lists)
	ServerPID          int    // when set, the server's RSS and CPU time are read from /proc
}

// RouteResult is the latency profile of one kind of request.
type RouteResult struct {
	Name               string
	Requests, Errors   int
	P50, P95, P99, Max time.Duration
}

// Result is a run's outcome.
type Result struct {
	Config   Config
	Requests int
	Errors   int
	Elapsed  time.Duration
	RPS      float64
	Overall  RouteResult
	Routes   []RouteResult
	RSS, HWM string // server memory from /proc, if known
	// CPUPerRequest is the server's CPU time (user + system) over the measured span divided by
	// the requests answered in it, when its process id is known.
	CPUPerRequest time.Duration
}

type target struct {
	name   string
	weight int
	path   func(r *rand.Rand) string
}

type sample struct {
	route int
	took  time.Duration
	ok    bool
}

// Run signs in, discovers ids to ask for, and drives the workload.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Conns <= 0 || cfg.Duration <= 0 {
		return Result{}, errors.New("conns and duration must be positive")
	}
	transport := &http.Transport{MaxIdleConns: cfg.Conns * 2, MaxIdleConnsPerHost: cfg.Conns * 2, MaxConnsPerHost: cfg.Conns,
		IdleConnTimeout: time.Minute}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	first, _, _ := strings.Cut(cfg.URL, ",")
	token, err := signIn(ctx, client, first, cfg)
	if err != nil {
		return Result{}, err
	}
	parks, err := ids(ctx, client, first, token, "/api/v1/parks?limit=500")
	if err != nil {
		return Result{}, err
	}
	units, err := ids(ctx, client, first, token, "/api/v1/units?limit=500&park_id="+parks[0])
	if err != nil {
		return Result{}, err
	}
	ents, err := ids(ctx, client, first, token, "/api/v1/enterprises?limit=500")
	if err != nil {
		return Result{}, err
	}
	if len(parks) == 0 || len(units) == 0 || len(ents) == 0 {
		return Result{}, errors.New("the server has no parks, units or enterprises to ask for; run parkos gen first")
	}
	pick := func(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }
	sorts := []string{"code", "name", "-gross_floor_area"}
	targets := []target{
		{"GET /parks", 25, func(r *rand.Rand) string { return "/api/v1/parks?limit=50&sort=" + sorts[r.IntN(len(sorts))] }},
		{"GET /units?park_id", 30, func(r *rand.Rand) string { return "/api/v1/units?limit=50&park_id=" + pick(r, parks) }},
		{"GET /enterprises?park_id", 20, func(r *rand.Rand) string { return "/api/v1/enterprises?limit=50&park_id=" + pick(r, parks) }},
		{"GET /units/{id}", 10, func(r *rand.Rand) string { return "/api/v1/units/" + pick(r, units) }},
		{"GET /enterprises/{id}", 10, func(r *rand.Rand) string { return "/api/v1/enterprises/" + pick(r, ents) }},
		{"GET /buildings?park_id", 5, func(r *rand.Rand) string { return "/api/v1/buildings?limit=50&park_id=" + pick(r, parks) }},
	}
	if cfg.Mix == "lists" {
		targets = targets[:3]
	}
	total := 0
	for _, t := range targets {
		total += t.weight
	}
	var mu sync.Mutex
	var samples []sample
	start := time.Now()
	measureFrom, stop := start.Add(cfg.Warmup), start.Add(cfg.Warmup+cfg.Duration)
	var cpuFrom atomic.Int64 // the server's CPU time when measuring starts
	cpuAtStart := time.AfterFunc(cfg.Warmup, func() { cpuFrom.Store(int64(procCPU(cfg.ServerPID))) })
	defer cpuAtStart.Stop()
	var wg sync.WaitGroup
	instances := strings.Split(cfg.URL, ",")
	for w := range cfg.Conns {
		base := instances[w%len(instances)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			var local []sample
			for time.Now().Before(stop) && ctx.Err() == nil {
				n, i := r.IntN(total), 0
				for n >= targets[i].weight {
					n -= targets[i].weight
					i++
				}
				t0 := time.Now()
				ok := get(ctx, client, base+targets[i].path(r), token)
				if t0.After(measureFrom) {
					local = append(local, sample{i, time.Since(t0), ok})
				}
			}
			mu.Lock()
			samples = append(samples, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(measureFrom)
	res := Result{Config: cfg, Elapsed: elapsed}
	var all []time.Duration
	perRoute := make([][]time.Duration, len(targets))
	errs := make([]int, len(targets))
	for _, s := range samples {
		all = append(all, s.took)
		perRoute[s.route] = append(perRoute[s.route], s.took)
		if !s.ok {
			errs[s.route]++
			res.Errors++
		}
	}
	res.Requests = len(samples)
	res.RPS = float64(res.Requests) / elapsed.Seconds()
	res.Overall = profile("all", all, res.Errors)
	for i, t := range targets {
		res.Routes = append(res.Routes, profile(t.name, perRoute[i], errs[i]))
	}
	if cfg.ServerPID > 0 {
		res.RSS, res.HWM = procMemory(cfg.ServerPID)
		if from := time.Duration(cpuFrom.Load()); res.Requests > 0 && from > 0 {
			used := procCPU(cfg.ServerPID) - from
			res.CPUPerRequest = used / time.Duration(res.Requests)
		}
	}
	return res, nil
}

// clockTicks is Linux's USER_HZ, the unit of /proc/PID/stat's CPU times, on every architecture
// Go supports.
const clockTicks = 100

// procCPU is the user and system CPU time a process has used so far (0 when unknown).
func procCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; the fields after its closing parenthesis are
	// state (3), …, utime (14), stime (15).
	rest := string(b[strings.LastIndexByte(string(b), ')')+1:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	var user, sys int64
	fmt.Sscan(f[11], &user)
	fmt.Sscan(f[12], &sys)
	return time.Duration(user+sys) * time.Second / clockTicks
}

func profile(name string, d []time.Duration, errs int) RouteResult {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(q float64) time.Duration {
		if len(d) == 0 {
			return 0
		}
		return d[min(len(d)-1, int(q*float64(len(d))))]
	}
	r := RouteResult{Name: name, Requests: len(d), Errors: errs, P50: at(0.50), P95: at(0.95), P99: at(0.99)}
	if len(d) > 0 {
		r.Max = d[len(d)-1]
	}
	return r
}

func signIn(ctx context.Context, c *http.Client, base string, cfg Config) (string, error) {
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, cfg.Username, cfg.Password)
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/session", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Token == "" {
		return "", fmt.Errorf("sign-in as %s failed (status %d)", cfg.Username, res.StatusCode)
	}
	return out.Token, nil
}

func ids(ctx context.Context, c *http.Client, base, token, path string) ([]string, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var pg struct{ Items []struct{ ID string } }
	if err := json.NewDecoder(res.Body).Decode(&pg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([]string, len(pg.Items))
	for i, it := range pg.Items {
		out[i] = url.PathEscape(it.ID)
	}
	return out, nil
}

func get(ctx context.Context, c *http.Client, u, token string) bool {
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := c.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// procMemory reads a process's current and peak resident set size.
func procMemory(pid int) (rss, hwm string) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "", ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			rss = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
	}
	return rss, hwm
}

// Markdown writes the result as a table for BENCHMARKS.md.
func (r Result) Markdown(w io.Writer) {
	fmt.Fprintf(w, "%d connections, %s measured after %s warm-up, mix %q: **%.0f req/s**, %d requests, %d errors",
		r.Config.Conns, r.Config.Duration, r.Config.Warmup, r.Config.Mix, r.RPS, r.Requests, r.Errors)
	if r.RSS != "" {
		fmt.Fprintf(w, "; server RSS %s (peak %s)", r.RSS, r.HWM)
	}
	if r.CPUPerRequest > 0 {
		fmt.Fprintf(w, "; server CPU %s per request", ms(r.CPUPerRequest))
	}
	fmt.Fprintln(w, "\n\n| request | count | p50 | p95 | p99 | max | errors |\n|---|---:|---:|---:|---:|---:|---:|")
	for _, rr := range append(r.Routes, r.Overall) {
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %d |\n", rr.Name, rr.Requests, ms(rr.P50), ms(rr.P95), ms(rr.P99), ms(rr.Max), rr.Errors)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
