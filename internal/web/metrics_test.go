package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/parkos/parkos/internal/api"
	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/loginguard"
	"github.com/parkos/parkos/internal/metrics"
	"github.com/parkos/parkos/internal/store/storetest"
)

// /metrics answers Prometheus without a login, and what it reports follows the requests served:
// counted by route pattern (never by raw path), timed, with the refused sign-in, the write
// transactions, the pools, the jobs and deliveries, and the estate's gauges.
func TestMetricsScrape(t *testing.T) {
	st := storetest.OpenSQLite(t)
	w := storetest.NewWorld(t, st)
	svc, log, guard := app.New(st, civil.SystemClock{}), slog.New(slog.NewTextHandler(io.Discard, nil)), loginguard.New(st)
	s, err := New(svc, log, guard, api.New(svc, log, guard))
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.New(st, log)
	guard.ObserveRefusals(m.LoginRefused)
	s.WithMetrics(m, true)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)

	for _, r := range []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/api/v1/parks/" + w.Parks[0].ID, "", 401},
		{"GET", "/api/v1/parks/some-other-id", "", 401},
		{"POST", "/api/v1/session", `{"username":"u_admin","password":"wrong-password"}`, 401},
		{"POST", "/api/v1/session", `{"username":"u_admin","password":"` + w.Password + `"}`, 201},
		{"GET", "/healthz", "", 200},
	} {
		req, _ := http.NewRequest(r.method, srv.URL+r.path, strings.NewReader(r.body))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != r.status {
			t.Fatalf("%s %s: %d, want %d", r.method, r.path, res.StatusCode, r.status)
		}
	}
	m.JobRan("event_reminders", 3*time.Millisecond, nil)
	m.Delivered("email", false)

	res, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	for name, kind := range map[string]dto.MetricType{
		"parkos_http_requests_total": dto.MetricType_COUNTER, "parkos_http_request_duration_seconds": dto.MetricType_HISTOGRAM,
		"parkos_http_requests_in_flight": dto.MetricType_GAUGE, "parkos_db_transactions_total": dto.MetricType_COUNTER,
		"parkos_db_transaction_duration_seconds": dto.MetricType_HISTOGRAM, "parkos_login_refusals_total": dto.MetricType_COUNTER,
		"parkos_job_duration_seconds": dto.MetricType_HISTOGRAM, "parkos_outbox_deliveries_total": dto.MetricType_COUNTER,
		"parkos_parks": dto.MetricType_GAUGE, "parkos_units": dto.MetricType_GAUGE, "parkos_active_contracts": dto.MetricType_GAUGE,
		"parkos_open_service_requests": dto.MetricType_GAUGE, "parkos_outbox_due": dto.MetricType_GAUGE, "parkos_outbox_given_up": dto.MetricType_GAUGE,
		"parkos_auth_cache_shared": dto.MetricType_GAUGE,
		"go_sql_open_connections":  dto.MetricType_GAUGE, "go_goroutines": dto.MetricType_GAUGE,
	} {
		f := families[name]
		if f == nil || f.GetType() != kind {
			t.Errorf("%s: %v, want a %v", name, f.GetType(), kind)
		}
	}
	count := func(name string, labels map[string]string) float64 {
		var n float64
	metrics:
		for _, mt := range families[name].GetMetric() {
			for _, l := range mt.GetLabel() {
				if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
					continue metrics
				}
			}
			n += mt.GetCounter().GetValue() + float64(mt.GetHistogram().GetSampleCount()) + mt.GetGauge().GetValue()
		}
		return n
	}
	if n := count("parkos_http_requests_total", map[string]string{"route": "GET /api/v1/parks/{id}", "method": "GET", "status": "401"}); n != 2 {
		t.Errorf("two unauthenticated park reads counted under their pattern: %v", n)
	}
	if n := count("parkos_http_request_duration_seconds", map[string]string{"route": "POST /api/v1/session"}); n != 2 {
		t.Errorf("sign-ins timed: %v", n)
	}
	if n := count("parkos_login_refusals_total", map[string]string{"reason": "bad_credentials"}); n != 1 {
		t.Errorf("refused sign-ins: %v", n)
	}
	if n := count("parkos_db_transactions_total", map[string]string{"outcome": "commit"}); n < 1 {
		t.Errorf("the session's write transaction: %v", n)
	}
	if len(families["go_sql_open_connections"].GetMetric()) != 2 {
		t.Errorf("the reader's and the writer's pools: %v", families["go_sql_open_connections"].GetMetric())
	}
	if n := count("parkos_auth_cache_shared", nil); n != 1 {
		t.Errorf("one SQLite process caches tokens: %v", n)
	}
	if n := count("parkos_parks", nil); n != 2 {
		t.Errorf("parks gauge %v, want the world's two", n)
	}
	if n := count("parkos_outbox_deliveries_total", map[string]string{"channel": "email", "outcome": "failed"}); n != 1 {
		t.Errorf("failed deliveries: %v", n)
	}
	for _, mt := range families["parkos_http_requests_total"].GetMetric() {
		for _, l := range mt.GetLabel() {
			if l.GetName() == "route" && strings.Contains(l.GetValue(), "some-other-id") {
				t.Errorf("a raw path became a label: %s", l.GetValue())
			}
		}
	}
}
