package onboardbook

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/demo"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/store/storetest"
)

var sys = identity.System()

// contents is every kind of record of a store as CSV text, lines sorted: what "the same data"
// means, without the ids and timestamps a new database gives its rows.
func contents(t *testing.T, s *sqlstore.Store) map[string][]string {
	t.Helper()
	b, err := onboard.Export(context.Background(), s, sys, "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, e := range onboard.Entities {
		data, err := WriteCSV(b, e)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		slices.Sort(lines)
		out[e] = lines
	}
	return out
}

func auditCount(t *testing.T, s *sqlstore.Store) int {
	t.Helper()
	entries, err := page.All(func(r page.Request) (page.Page[audit.Entry], error) {
		return s.ListAudit(context.Background(), sys, audit.Filter{}, r)
	}, math.MaxInt)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func importFile(t *testing.T, s *sqlstore.Store, sc identity.Scope, data []byte, entity string, dryRun bool) Result {
	t.Helper()
	res, err := Import(context.Background(), s, sc, data, sheet.DefaultLimits, entity, dryRun)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// A full export of the demo imports into an empty database to the same data, and importing it
// again — there, or back into the source — changes nothing.
func TestFullExportReimportsToTheSameData(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			src := eng.Open(t)
			if err := demo.Load(ctx, src); err != nil {
				t.Fatal(err)
			}
			book, err := Export(ctx, src, sys, "")
			if err != nil {
				t.Fatal(err)
			}
			dst := eng.Open(t)

			dry := importFile(t, dst, sys, book, "", true)
			if len(dry.Problems) > 0 || dry.Committed {
				t.Fatalf("dry run: committed %v, problems %+v", dry.Committed, dry.Problems[:min(5, len(dry.Problems))])
			}
			if n := len(contents(t, dst)[onboard.Units]); n != 1 { // the header line only
				t.Fatalf("a dry run wrote %d unit lines", n-1)
			}

			res := importFile(t, dst, sys, book, "", false)
			if !res.Committed || len(res.Problems) > 0 {
				t.Fatalf("import: committed %v, problems %+v", res.Committed, res.Problems[:min(5, len(res.Problems))])
			}
			t.Logf("created %+v", res.Counts)
			want := contents(t, src)
			for _, e := range onboard.Entities {
				if res.Counts[e].Created != len(want[e])-1 {
					t.Errorf("%s: created %d, the export has %d", e, res.Counts[e].Created, len(want[e])-1)
				}
			}
			got := contents(t, dst)
			for _, e := range onboard.Entities {
				if !slices.Equal(got[e], want[e]) {
					t.Errorf("%s differ after the round trip:\n%s", e, firstDiff(want[e], got[e]))
				}
			}

			before := auditCount(t, dst)
			again := importFile(t, dst, sys, book, "", false)
			if len(again.Problems) > 0 {
				t.Fatalf("second import: %+v", again.Problems[:min(5, len(again.Problems))])
			}
			for _, e := range onboard.Entities {
				if c := again.Counts[e]; c.Created != 0 || c.Changed != 0 {
					t.Errorf("second import of %s: %+v, want all unchanged", e, c)
				}
			}
			if after := auditCount(t, dst); after != before {
				t.Errorf("second import wrote %d audit entries", after-before)
			}
			back := importFile(t, src, sys, book, "", false)
			for _, e := range onboard.Entities {
				if c := back.Counts[e]; c.Created != 0 || c.Changed != 0 {
					t.Errorf("import into the source, %s: %+v, want all unchanged", e, c)
				}
			}
		})
	}
}

func firstDiff(want, got []string) string {
	for i := range max(len(want), len(got)) {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			return "want " + w + "\n got " + g
		}
	}
	return ""
}

// A GBK CSV of units, as Chinese Excel saves it, changes only what differs; a bad row is
// reported by row and column and nothing is written.
func TestGBKUnitsCSV(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			s := eng.Open(t)
			if err := demo.Load(ctx, s); err != nil {
				t.Fatal(err)
			}
			b, err := onboard.Export(ctx, s, sys, "")
			if err != nil {
				t.Fatal(err)
			}
			b.Units = b.Units[:3]
			b.Units[1].Note = "朝南（已装修）"
			utf, err := WriteCSV(b, onboard.Units)
			if err != nil {
				t.Fatal(err)
			}
			gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(bytes.TrimPrefix(utf, []byte("\ufeff")))
			if err != nil {
				t.Fatal(err)
			}
			res := importFile(t, s, sys, gbk, "", false)
			if !res.Committed || len(res.Problems) > 0 {
				t.Fatalf("committed %v, problems %+v", res.Committed, res.Problems)
			}
			if c := res.Counts[onboard.Units]; c.Changed != 1 || c.Unchanged != 2 || c.Created != 0 {
				t.Fatalf("counts %+v, want 1 changed and 2 unchanged", c)
			}

			lines := strings.Split(string(utf), "\n")
			cells := strings.Split(lines[2], ",")
			cells[5] = "12.345" // 建筑面积, three decimals
			lines[2] = strings.Join(cells, ",")
			b.Units[0].Code = "NEW-1"
			before := auditCount(t, s)
			bad := importFile(t, s, sys, []byte(strings.Join(lines, "\n")), onboard.Units, false)
			if bad.Committed || len(bad.Problems) != 1 {
				t.Fatalf("committed %v, problems %+v", bad.Committed, bad.Problems)
			}
			if p := bad.Problems[0]; p.Row != 3 || p.Column != "F" || p.Code != "too_precise" || !strings.Contains(p.Header, "建筑面积") {
				t.Errorf("problem %+v, want row 3 column F too_precise", p)
			}
			if after := auditCount(t, s); after != before {
				t.Errorf("a refused file wrote %d audit entries", after-before)
			}
		})
	}
}
