package reportbook

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/store/storetest"
)

// BenchmarkImport100kRows measures §12's "import a 100,000-row report workbook with validation":
// a park with 100,000 enterprises, its filing workbook filled in, read, checked and committed
// (every row submitted) in one transaction, on each engine. Each iteration starts from a fresh
// database.
func BenchmarkImport100kRows(b *testing.B) {
	const n = 100_000
	ctx, sys := context.Background(), identity.System()
	for _, eng := range storetest.Engines(b) {
		b.Run(eng.Name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				st := eng.Open(b)
				period, submitted := filledPeriod(b, st, n)
				// The setup's write-ahead log folded back first, as a server's would be by the time
				// someone uploads: the import pays for its own log only.
				if eng.Name == "sqlite" {
					if _, err := st.Pools()["writer"].ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
						b.Fatal(err)
					}
				}
				debug.FreeOSMemory() // return the setup's freed heap, so the peak below is the import's
				resetPeakRSS(b)
				b.StartTimer()
				res, _, err := Import(ctx, storetest.StatsOf(st), sys, period.ID, submitted, sheet.DefaultLimits, false)
				b.StopTimer()
				b.ReportMetric(peakRSSMB(b), "peak-RSS-MB")
				if err != nil || !res.Committed || res.Submitted != n {
					b.Fatalf("import: %v committed=%v submitted=%d problems=%d", err, res.Committed, res.Submitted, len(res.Problems))
				}
				b.StartTimer()
			}
		})
	}
}

// filledPeriod makes a park of n enterprises, opens a quarter for them and fills in its
// workbook with every row marked to submit.
func filledPeriod(tb testing.TB, st *sqlstore.Store, n int) (stats.Period, []byte) {
	ctx, sys := context.Background(), identity.System()
	w := storetest.NewWorld(tb, st)
	now := time.Now()
	err := st.BulkLoad(ctx, sys, func(bk *sqlstore.Bulk) error {
		rows := make([][]any, n)
		for i := range rows {
			rows[i] = []any{fmt.Sprintf("bench-%06d", i), w.Parks[0].ID, fmt.Sprintf("基准企业%06d", i), fmt.Sprintf("91110108BE%08d", i), "incubating", now, now}
		}
		return bk.Insert("enterprises", []string{"id", "park_id", "name", "credit_code", "stage", "created_at", "updated_at"}, rows)
	})
	if err != nil {
		tb.Fatal(err)
	}
	period, err := storetest.StatsOf(st).OpenPeriod(ctx, sys, stats.Period{ParkID: w.Parks[0].ID, Kind: stats.Quarterly, Year: 2025, Seq: 4, Deadline: civil.Of(2026, 1, 20)})
	if err != nil {
		tb.Fatal(err)
	}
	filers, err := st.PeriodFilers(ctx, sys, period.ID)
	if err != nil {
		tb.Fatal(err)
	}
	members := make([]Member, 0, n)
	for i, f := range filers {
		if strings.HasPrefix(f.Report.EnterpriseID, "bench-") {
			members = append(members, Member{CreditCode: f.CreditCode, Name: f.Name, Figures: stats.Figures{"revenue": int64(i+1) * 10_000_00,
				"rd_expense": int64(i+1) * 1_000_00, "tax": 60_000_00, "employees": 40, "rd_staff": 12,
				"invention_patents_granted": 1, "invention_patents_held": 5}})
		}
	}
	book, err := Template("基准", members)
	if err != nil {
		tb.Fatal(err)
	}
	return period, setActions(tb, book, actionSend)
}

// resetPeakRSS restarts the kernel's peak-RSS count for this process (Linux), so the peak read
// afterwards belongs to the import alone, not to building its workbook.
func resetPeakRSS(b *testing.B) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak RSS here: %v", err)
	}
}

// peakRSSMB reads VmHWM, the peak resident set since the last reset, in MB.
func peakRSSMB(b *testing.B) float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// BenchmarkTemplate100kRows writes a period's template for 100,000 enterprises, with figures.
func BenchmarkTemplate100kRows(b *testing.B) {
	members := make([]Member, 100_000)
	for i := range members {
		members[i] = Member{CreditCode: fmt.Sprintf("91110108BE%08d", i), Name: fmt.Sprintf("基准企业%06d", i),
			Figures: stats.Figures{"revenue": int64(i) * 1_000_000, "employees": int64(i % 500)}}
	}
	debug.FreeOSMemory()
	resetPeakRSS(b)
	for b.Loop() {
		if _, err := Template("基准", members); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(peakRSSMB(b), "peak-RSS-MB")
}

// TestImportRecordsEveryChange: an import larger than one batch of audit entries leaves exactly
// one entry per submitted report.
func TestImportRecordsEveryChange(t *testing.T) {
	const n = 450
	ctx, sys := context.Background(), identity.System()
	st := storetest.OpenSQLite(t)
	period, submitted := filledPeriod(t, st, n)
	res, _, err := Import(ctx, storetest.StatsOf(st), sys, period.ID, submitted, sheet.DefaultLimits, false)
	if err != nil || !res.Committed || res.Submitted != n {
		t.Fatalf("import: %v committed=%v submitted=%d", err, res.Committed, res.Submitted)
	}
	entries, err := page.All(func(r page.Request) (page.Page[audit.Entry], error) {
		return st.ListAudit(ctx, sys, audit.Filter{Entity: "report"}, r)
	}, math.MaxInt)
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string]bool{}
	for _, e := range entries {
		if e.Action == "submit" {
			reports[e.EntityID] = true
		}
	}
	if len(reports) != n || len(entries) != n {
		t.Fatalf("%d audit entries for %d reports, want %d", len(entries), len(reports), n)
	}
}
