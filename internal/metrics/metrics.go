// Package metrics is ParkOS's Prometheus endpoint (§13): HTTP requests by route pattern, method
// and status with latency histograms, the database pools and write transactions, the outbox,
// refused sign-ins, background jobs, and a few business gauges read from the database.
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/parkos/parkos/internal/freshness"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// Source is what the metrics read of the store.
type Source interface {
	OperationalFigures(ctx context.Context, sc identity.Scope) (sqlstore.OperationalFigures, error)
	Pools() map[string]*sql.DB
	ObserveTransactions(fn func(sqlstore.TxOutcome, time.Duration))
	HearsOtherInstances() bool
	ReplicaInUse() bool
}

// Metrics holds the instruments and the registry /metrics serves.
type Metrics struct {
	registry   *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	inflight   prometheus.Gauge
	tx         *prometheus.CounterVec
	txLatency  *prometheus.HistogramVec
	refusals   *prometheus.CounterVec
	jobs       *prometheus.HistogramVec
	jobErrors  *prometheus.CounterVec
	deliveries *prometheus.CounterVec
}

// New registers every instrument, the Go runtime's and the process's, the pools' connection
// figures and the business gauges of src, and starts hearing src's transactions.
func New(src Source, log *slog.Logger) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parkos_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "parkos_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}}, []string{"route", "method"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "parkos_http_requests_in_flight", Help: "HTTP requests being answered."}),
		tx: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parkos_db_transactions_total",
			Help: "Write transactions, by outcome (commit, rollback, commit_failed)."}, []string{"outcome"}),
		txLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "parkos_db_transaction_duration_seconds",
			Help:    "Time from begin to commit or rollback of write transactions.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1, 5}}, []string{"outcome"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parkos_login_refusals_total",
			Help: "Refused sign-ins, by reason (bad_credentials, rate_limited, busy)."}, []string{"reason"}),
		jobs: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "parkos_job_duration_seconds",
			Help: "Time each background job's run took.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 10)}, []string{"job"}),
		jobErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parkos_job_failures_total",
			Help: "Background job runs that failed."}, []string{"job"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parkos_outbox_deliveries_total",
			Help: "Notification deliveries attempted, by channel and outcome (sent, failed)."}, []string{"channel", "outcome"}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.inflight, m.tx, m.txLatency, m.refusals, m.jobs, m.jobErrors, m.deliveries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&figures{src: src, log: log},
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "parkos_auth_cache_shared",
			Help: "1 while sign-outs and account changes made by other instances reach this one, so that tokens may be cached; 0 while every request asks the database."},
			func() float64 { return one(src.HearsOtherInstances()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "parkos_db_replica_in_use",
			Help: "1 while lists, dashboards and exports read the replica (--db-replica); 0 without one, or while it does not answer or lags."},
			func() float64 { return one(src.ReplicaInUse()) }))
	for role, db := range src.Pools() {
		m.registry.MustRegister(collectors.NewDBStatsCollector(db, role))
	}
	src.ObserveTransactions(func(o sqlstore.TxOutcome, d time.Duration) {
		m.tx.WithLabelValues(string(o)).Inc()
		m.txLatency.WithLabelValues(string(o)).Observe(d.Seconds())
	})
	return m
}

func one(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Handler serves the registry in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// Instrument counts and times every request next answers. It runs inside httpx.AccessLog, whose
// request info names the route pattern once the mux has chosen it ("unmatched" otherwise, so a
// scan of random paths cannot make a label per path).
func (m *Metrics) Instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		m.inflight.Inc()
		defer m.inflight.Dec()
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := "unmatched"
		if info := httpx.InfoOf(r.Context()); info != nil && info.Route != "" {
			route = info.Route
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
		m.latency.WithLabelValues(route, r.Method).Observe(time.Since(began).Seconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// LoginRefused counts a refused sign-in.
func (m *Metrics) LoginRefused(reason string) { m.refusals.WithLabelValues(reason).Inc() }

// JobRan times a background job's run and counts its failure.
func (m *Metrics) JobRan(name string, took time.Duration, err error) {
	m.jobs.WithLabelValues(name).Observe(took.Seconds())
	if err != nil {
		m.jobErrors.WithLabelValues(name).Inc()
	}
}

// Delivered counts a notification delivery.
func (m *Metrics) Delivered(channel string, ok bool) {
	outcome := "sent"
	if !ok {
		outcome = "failed"
	}
	m.deliveries.WithLabelValues(channel, outcome).Inc()
}

// figures are the gauges read from the database at scrape time, kept for figuresTTL so that
// scrapes every few seconds from several collectors cost one count a quarter minute.
type figures struct {
	src  Source
	log  *slog.Logger
	mu   sync.Mutex
	at   time.Time
	last sqlstore.OperationalFigures
	ok   bool
}

const figuresTTL = 15 * time.Second

var figureDescs = []struct {
	desc *prometheus.Desc
	of   func(sqlstore.OperationalFigures) int64
}{
	{prometheus.NewDesc("parkos_parks", "Parks.", nil, nil), func(f sqlstore.OperationalFigures) int64 { return f.Parks }},
	{prometheus.NewDesc("parkos_units", "Units.", nil, nil), func(f sqlstore.OperationalFigures) int64 { return f.Units }},
	{prometheus.NewDesc("parkos_active_contracts", "Contracts in force today.", nil, nil), func(f sqlstore.OperationalFigures) int64 { return f.ActiveContracts }},
	{prometheus.NewDesc("parkos_open_service_requests", "Service requests not yet resolved.", nil, nil), func(f sqlstore.OperationalFigures) int64 { return f.OpenRequests }},
	{prometheus.NewDesc("parkos_outbox_due", "Notifications waiting to be sent.", nil, nil), func(f sqlstore.OperationalFigures) int64 { return f.OutboxDue }},
	{prometheus.NewDesc("parkos_outbox_given_up", "Notifications whose every attempt failed.", nil, nil), func(f sqlstore.OperationalFigures) int64 { return f.OutboxGivenUp }},
}

func (f *figures) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range figureDescs {
		ch <- d.desc
	}
}

func (f *figures) Collect(ch chan<- prometheus.Metric) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.ok || time.Since(f.at) > figuresTTL {
		ctx, cancel := context.WithTimeout(freshness.MayLag(context.Background()), 5*time.Second)
		got, err := f.src.OperationalFigures(ctx, identity.System())
		cancel()
		if err != nil {
			f.log.Warn("metrics: reading the business figures", "err", err)
			if !f.ok {
				return
			}
		} else {
			f.last, f.at, f.ok = got, time.Now(), true
		}
	}
	for _, d := range figureDescs {
		ch <- prometheus.MustNewConstMetric(d.desc, prometheus.GaugeValue, float64(d.of(f.last)))
	}
}
