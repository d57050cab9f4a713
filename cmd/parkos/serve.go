package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/parkos/parkos/internal/api"
	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/demo"
	"github.com/parkos/parkos/internal/democache"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/loginguard"
	"github.com/parkos/parkos/internal/metrics"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/web"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, demoMode bool) error {
	name := "serve"
	if demoMode {
		name = "demo"
	}
	fs := newFlags(name, stdout, stderr)
	var c common
	c.register(fs.FlagSet, store.DefaultDB)
	addr := fs.String("addr", env("ADDR", ":8080"), "listen address HOST:PORT (PARKOS_ADDR)")
	withDemo := fs.Bool("demo", demoMode, "start on a fresh demo data set")
	proxies := fs.String("trusted-proxies", env("TRUSTED_PROXIES", ""),
		"comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (PARKOS_TRUSTED_PROXIES)")
	grace := fs.Duration("shutdown-timeout", 15*time.Second, "how long in-flight requests may run on after SIGTERM")
	smtpCfg := notify.SMTPConfig{Password: os.Getenv("PARKOS_SMTP_PASSWORD")}
	fs.StringVar(&smtpCfg.Addr, "smtp-addr", env("SMTP_ADDR", ""), "SMTP server HOST:PORT for e-mail notifications; none when empty (PARKOS_SMTP_ADDR)")
	fs.StringVar(&smtpCfg.From, "smtp-from", env("SMTP_FROM", "parkos@localhost"), "sender address of e-mail notifications (PARKOS_SMTP_FROM)")
	fs.StringVar(&smtpCfg.Username, "smtp-user", env("SMTP_USER", ""), "SMTP user, when the server asks (PARKOS_SMTP_USER; the password only from PARKOS_SMTP_PASSWORD)")
	metricsAddr := fs.String("metrics-addr", env("METRICS_ADDR", ""), "serve Prometheus /metrics on this HOST:PORT instead of on the main address (PARKOS_METRICS_ADDR)")
	outboxEvery := fs.Duration("outbox-interval", 10*time.Second, "how often the outbox sends what is due")
	demoCache := fs.String("demo-cache", env("DEMO_CACHE", defaultDemoCache()),
		"directory where a demo keeps its freshly built database for the next hour's starts; off for none (PARKOS_DEMO_CACHE)")
	replica := fs.String("db-replica", env("DB_REPLICA", ""),
		"postgres://… of a streaming standby of --db: lists, dashboards and exports read from it (PARKOS_DB_REPLICA)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	trusted, err := loginguard.ParseTrustedProxies(*proxies)
	if err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	dbAddr := c.db
	if *withDemo && !flagSet(fs.FlagSet, "db") && os.Getenv("PARKOS_DB") == "" {
		dir, err := os.MkdirTemp("", "parkos-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dbAddr = "sqlite:" + filepath.Join(dir, "demo.db")
	}
	start := time.Now()
	var snapshots *democache.Cache
	var demoPath string
	restored := false
	if *withDemo {
		snapshots, demoPath = demoSnapshots(*demoCache, dbAddr, log)
	}
	if snapshots != nil {
		if restored, err = snapshots.Restore(clock.Now(), demoPath); err != nil {
			log.Warn("the demo's snapshot could not be copied; building the demo instead", "err", err)
		}
	}
	st, err := openMigrated(ctx, dbAddr)
	if err != nil {
		return err
	}
	defer st.Close()
	if *replica != "" {
		if err := store.AttachReplica(ctx, st, *replica); err != nil {
			return err
		}
	}
	services := app.New(st, clock)
	api.Version = version
	guard := loginguard.New(st)
	guard.TrustProxies(trusted)
	// The console's templates and assets are prepared on the other core while the demo loads.
	type built struct {
		console *web.Server
		err     error
	}
	consoleBuilt := make(chan built, 1)
	go func() {
		console, err := web.New(services, log, guard, api.New(services, log, guard))
		consoleBuilt <- built{console, err}
	}()
	switch {
	case restored:
		log.Info("demo data set copied from this hour's snapshot", "cache", *demoCache)
	case *withDemo:
		builtAt := clock.Now()
		if err := loadDemo(ctx, services); err != nil {
			return err
		}
		if snapshots != nil {
			saved := keepDemoSnapshot(ctx, st, snapshots, builtAt, log)
			defer func() { <-saved }() // before the store closes
		}
	}
	b := <-consoleBuilt
	if b.err != nil {
		return b.err
	}
	console := b.console
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *replica != "" {
		console.ReadsFromReplica()
	}
	meters := metrics.New(st, log)
	st.ObserveReplica(func(inUse bool, err error) {
		if inUse {
			log.Info("the replica takes the lists' reads again")
			return
		}
		log.Warn("the replica does not answer or lags; lists read the primary until it is back", "err", err)
	})
	st.ObserveListenLoss(func(err error) {
		log.Warn("lost the connection that hears other instances' sign-outs; tokens are checked in the database until it is back", "err", err)
	})
	guard.ObserveRefusals(meters.LoginRefused)
	console.WithMetrics(meters, *metricsAddr == "")
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return err
		}
		mmux := http.NewServeMux()
		mmux.Handle("GET /metrics", meters.Handler())
		msrv := &http.Server{Handler: mmux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = msrv.Serve(mln) }()
		defer msrv.Close()
	}
	// Requests run on their own context, cancelled only when the grace period after SIGTERM
	// is over, and always before the database closes.
	requests, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	var inflight sync.WaitGroup
	srv := &http.Server{
		Handler:           countInflight(&inflight, console.Handler()),
		BaseContext:       func(net.Listener) context.Context { return requests },
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	url := "http://" + displayAddr(ln.Addr().String())
	log.Info("parkos ready", "url", url, "engine", st.Engine(), "startup_ms", time.Since(start).Milliseconds(), "version", version)
	if *withDemo {
		printDemo(stdout, url)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The outbox worker stops with the server, before the database closes.
	deliverer := &notify.Deliverer{Jobs: []notify.Job{{Name: "booking_expiry_reminders", Run: services.Bookings.RemindExpiring},
		{Name: "service_due_warnings", Run: services.Services.WarnDueSoon}, {Name: "billing_reminders", Run: services.Billing.Remind},
		{Name: "policy_refresh", Run: services.Policies.Refresh}, {Name: "policy_rematch_daily", Run: services.Policies.RematchDaily},
		{Name: "event_reminders", Run: services.Events.Remind}},
		Outbox: services.Outbox, SMTP: smtpCfg, HTTP: notify.PublicHTTPClient(10 * time.Second), Now: clock.Now, Log: log, Observe: meters}
	workerCtx, stopWorker := context.WithCancel(ctx)
	var worker sync.WaitGroup
	worker.Add(1)
	go func() { defer worker.Done(); deliverer.Run(workerCtx, *outboxEvery) }()
	defer func() { stopWorker(); worker.Wait() }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", grace.String())
	shutdown, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		log.Warn("requests still running after the grace period are cancelled")
		cancelRequests()
		_ = srv.Close()
	}
	waitInflight(&inflight, 5*time.Second, log)
	return nil
}

// countInflight tracks the requests being served, so shutdown can wait for them to return
// before the database is closed under them.
func countInflight(wg *sync.WaitGroup, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wg.Add(1)
		defer wg.Done()
		h.ServeHTTP(w, r)
	})
}

// waitInflight waits for cancelled requests to unwind, at most limit.
func waitInflight(wg *sync.WaitGroup, limit time.Duration, log *slog.Logger) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		log.Warn("some requests did not return after cancellation")
	}
}

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// loadDemo fills an empty database with the demo data set; a database that already has parks
// is refused so that a typo in --db never mixes demo records into real data.
func loadDemo(ctx context.Context, sv *app.Services) error {
	existing, err := sv.Space.ListParks(ctx, identity.System(), space.ParkFilter{}, page.Request{Limit: 1})
	if err != nil {
		return err
	}
	if len(existing.Items) > 0 {
		return fmt.Errorf("demo data goes only into an empty database; this one already has parks (use a new --db, or none for a temporary one)")
	}
	// The load allocates about 110 MB over a live heap of about 15 MB: at the default GOGC the
	// collector ran nine times in it, and the demo built 10–15 % slower than collecting at five
	// times the live heap (BENCHMARKS.md).
	defer debug.SetGCPercent(debug.SetGCPercent(demoGCPercent))
	return demo.Load(ctx, sv)
}

// demoGCPercent is GOGC while the demo loads, before anyone is served.
const demoGCPercent = 400

// keepDemoSnapshot copies the freshly built demo into the cache while the server starts. What
// it copies is fixed before the server listens, so it holds nothing anyone does in this demo.
func keepDemoSnapshot(ctx context.Context, st *sqlstore.Store, cache *democache.Cache, builtAt time.Time, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	snap, err := st.TakeSnapshot(ctx)
	if err != nil {
		log.Warn("the demo's snapshot could not be kept; the next start builds it again", "err", err)
		close(done)
		return done
	}
	go func() {
		defer close(done)
		err := cache.Save(builtAt, snap.WriteTo)
		if closeErr := snap.Close(); closeErr != nil {
			log.Warn("the demo's snapshot did not let its connection go", "err", closeErr)
		}
		if err != nil {
			log.Warn("the demo's snapshot could not be kept; the next start builds it again", "err", err)
		}
	}()
	return done
}

// defaultDemoCache is ParkOS's directory in the user's cache, or off where there is none.
func defaultDemoCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "off"
	}
	return filepath.Join(dir, "parkos")
}

// demoSnapshots is the snapshot cache a demo may use, and the SQLite file it would copy a
// snapshot to: only a database file that does not exist yet, never PostgreSQL or a file that
// holds anything. Nil when the cache is off or cannot be used; a demo then builds its data.
func demoSnapshots(dir, dbAddr string, log *slog.Logger) (*democache.Cache, string) {
	path, ok := strings.CutPrefix(dbAddr, "sqlite:")
	if dir == "off" || dir == "" || !ok || path == "" {
		return nil, ""
	}
	// A log or index left beside a missing file would be read as the copy's own.
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Lstat(f); !errors.Is(err, os.ErrNotExist) {
			return nil, ""
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, "" // the database's own open reports it
	}
	exe, err := democache.RunningBinary()
	if err != nil {
		log.Warn("demo snapshots off: the binary cannot be found", "err", err)
		return nil, ""
	}
	cache, ok, err := democache.Open(dir, exe)
	switch {
	case err != nil:
		log.Warn("demo snapshots off", "err", err)
		return nil, ""
	case !ok:
		log.Warn("demo snapshots off: the binary carries no build ID to tell its snapshots by")
		return nil, ""
	}
	if err := cache.Prune(clock.Now()); err != nil {
		log.Warn("old demo snapshots could not be removed", "err", err)
	}
	return cache, path
}

func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func printDemo(w io.Writer, url string) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nParkOS demo is running / 演示环境已启动: %s\n", url)
	fmt.Fprintf(&b, "API: %s/api/v1/openapi.json\n\nLogins / 登录账号 (password / 密码: %q):\n", url, demo.Password)
	for _, l := range demo.Logins {
		fmt.Fprintf(&b, "  %-10s %-13s %s\n", l.Username, l.Role, l.Note)
	}
	fmt.Fprintf(&b, "\nTry / 试试:\n  curl -s -X POST %s/api/v1/session -d '{\"username\":\"operator\",\"password\":\"demo\"}'\n\n", url)
	fmt.Fprint(w, b.String())
}
