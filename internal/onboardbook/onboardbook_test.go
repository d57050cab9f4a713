package onboardbook

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/demo"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/store/storetest"
	"github.com/xuri/excelize/v2"
)

var sys = identity.System()

// contents is every kind of record of a store as CSV text, lines sorted: what "the same data"
// means, without the ids and timestamps a new database gives its rows.
func contents(t *testing.T, s *sqlstore.Store) map[string][]string {
	t.Helper()
	b, err := onboard.Export(context.Background(), app.New(s, civil.SystemClock{}).Onboard, sys, "")
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
	res, err := Import(context.Background(), app.New(s, civil.SystemClock{}).Onboard, sc, data, sheet.DefaultLimits, entity, dryRun)
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
			if err := demo.Load(ctx, app.New(src, civil.SystemClock{})); err != nil {
				t.Fatal(err)
			}
			book, err := Export(ctx, app.New(src, civil.SystemClock{}).Onboard, sys, "")
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
			if err := demo.Load(ctx, app.New(s, civil.SystemClock{})); err != nil {
				t.Fatal(err)
			}
			b, err := onboard.Export(ctx, app.New(s, civil.SystemClock{}).Onboard, sys, "")
			if err != nil {
				t.Fatal(err)
			}
			b.Units = b.Units[:3]
			b.Units[1].Note = "朝南（已装修）"
			b.Units[2].Note = "=HYPERLINK(\"http://evil\",\"点我\")" // a formula, neutralised on export and read back as typed
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
			if c := res.Counts[onboard.Units]; c.Changed != 2 || c.Unchanged != 1 || c.Created != 0 {
				t.Fatalf("counts %+v, want 2 changed and 1 unchanged", c)
			}
			if !strings.Contains(string(utf), `"'=HYPERLINK(`) {
				t.Errorf("the formula was exported as it is: %s", utf)
			}
			again, err := onboard.Export(ctx, app.New(s, civil.SystemClock{}).Onboard, sys, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range again.Units {
				if u.Code == b.Units[2].Code && u.ParkCode == b.Units[2].ParkCode && u.Note != b.Units[2].Note {
					t.Errorf("the note came back as %q", u.Note)
				}
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

// Rows the store's rules or the caller's scope refuse come back on the cell at fault, and the
// file writes nothing: an operator cannot create a park or touch another park, a negative area
// and a double letting are refused.
func TestRefusedRowsAreReportedOnTheirCells(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			s := eng.Open(t)
			w := storetest.NewWorld(t, s)
			b, err := onboard.Export(ctx, app.New(s, civil.SystemClock{}).Onboard, sys, w.Parks[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			other, err := onboard.Export(ctx, app.New(s, civil.SystemClock{}).Onboard, sys, w.Parks[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			b.Parks[0].NameZh = "改名的园区"
			b.Parks = append(b.Parks, other.Parks[0], onboard.ParkRow{Park: space.Park{Code: "P9", NameZh: "新园区"}})
			b.Parks[1].NameZh = "别人的园区"
			b.Buildings = append(b.Buildings, onboard.BuildingRow{ParkCode: "P0", Building: space.Building{Code: "B", Name: "B座"}})
			for i := range b.Units {
				if b.Units[i].Code == "A-3-301" {
					b.Units[i].GrossArea = -measure.AreaM2(5)
				}
			}
			lease := func(number string) onboard.ContractRow {
				return onboard.ContractRow{ParkCode: "P0", EnterpriseCode: w.Enterprises[0].CreditCode, UnitCodes: []string{"A-3-302"},
					Contract: leasing.Contract{Number: number, Status: leasing.Active, StartOn: civil.Of(2025, 1, 1), EndOn: civil.Of(2026, 12, 31),
						Price: measure.Price(45000), PaymentCycle: 3, DayCount: leasing.DayCount365, Escalation: leasing.Escalation{Kind: "none"}}}
			}
			b.Contracts = append(b.Contracts, lease("HT-1"), lease("HT-2"))
			book, err := Write(b)
			if err != nil {
				t.Fatal(err)
			}
			before := auditCount(t, s)
			res := importFile(t, s, w.Scope(identity.ParkManager), book, "", false)
			got := []string{}
			for _, p := range res.Problems {
				got = append(got, fmt.Sprintf("%s %d %s %s", p.Sheet, p.Row, p.Header, p.Code))
			}
			want := []string{"园区 3 园区编码 not_found", "园区 4 园区编码 forbidden", "房源单元 2 建筑面积 negative", "房源单元 2 使用面积 exceeds_gross", "租赁合同 3 单元编码 already_let"}
			if !slices.Equal(got, want) {
				t.Errorf("problems\n got %q\nwant %q", got, want)
			}
			if res.Committed {
				t.Error("a file with refused rows was committed")
			}
			if after := auditCount(t, s); after != before {
				t.Errorf("a refused file wrote %d audit entries", after-before)
			}
			p, err := s.GetPark(ctx, sys, w.Parks[0].ID)
			if err != nil || p.NameZh != w.Parks[0].NameZh {
				t.Errorf("park renamed to %q by a refused file (%v)", p.NameZh, err)
			}
			marked, err := sheet.Annotate(book, sheet.DefaultLimits, res.Problems)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := sheet.Read(marked, sheet.DefaultLimits); err != nil {
				t.Errorf("the marked copy does not read back: %v", err)
			}
		})
	}
}

// A hand-kept CSV with its own header names, units and date styles reads as meant: only the
// columns it has are set, 元 overrides the 万元 default, labels map to codes.
func TestHandKeptEnterpriseCSV(t *testing.T) {
	s := storetest.OpenSQLite(t)
	w := storetest.NewWorld(t, s)
	code := storetest.CreditCode(77)
	csv := "企业花名册,,,,,\n" +
		"公司名称,信用代码,所属园区编码,注册资本（元）,成立日期,企业类型,是否科学家创办\n" +
		"北京新芽生物科技（集团）有限公司," + code + ",P0,\"1,000,000\",2019年3月8日,私营,是\n" +
		w.Enterprises[0].Name + "," + w.Enterprises[0].CreditCode + ",P0,５００００００,2020/1/5,国有,否\n"
	res := importFile(t, s, sys, []byte(csv), "", false)
	if !res.Committed || len(res.Problems) > 0 {
		t.Fatalf("committed %v, problems %+v", res.Committed, res.Problems)
	}
	if c := res.Counts[onboard.Enterprises]; c.Created != 1 || c.Changed != 1 {
		t.Fatalf("counts %+v", c)
	}
	pg, err := s.ListEnterprises(context.Background(), sys, enterprise.Filter{Q: "新芽"}, page.Request{})
	if err != nil || len(pg.Items) != 1 {
		t.Fatalf("new enterprise: %v %v", pg.Items, err)
	}
	e := pg.Items[0]
	if e.Name != "北京新芽生物科技（集团）有限公司" || e.RegisteredCapital != measure.Yuan(1_000_000) || e.FoundedOn != civil.Of(2019, 3, 8) ||
		e.OwnershipType != "private" || !e.ScientistFounded || e.ParkID != w.Parks[0].ID {
		t.Errorf("read as %+v", e)
	}
	old, err := s.GetEnterprise(context.Background(), sys, w.Enterprises[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if old.RegisteredCapital != measure.Yuan(5_000_000) || old.IndustryCode != w.Enterprises[0].IndustryCode {
		t.Errorf("update set capital %s and industry %q; only the file's columns should change", old.RegisteredCapital, old.IndustryCode)
	}
}

// The blank workbook has every sheet with its starred headers, drop-downs on enumerated
// columns, and the read-me; it reads back as an empty batch.
func TestBlankWorkbook(t *testing.T) {
	data, err := Write(onboard.Batch{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"园区", "楼宇", "楼层", "房源单元", "企业", "企业资质", "入驻记录", "租赁合同", "合同单元", "说明"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q", got)
	}
	if h, _ := f.GetCellValue("房源单元", "F1"); h != "*建筑面积（㎡）" {
		t.Errorf("units F1 = %q", h)
	}
	dvs, err := f.GetDataValidations("房源单元")
	if err != nil || len(dvs) != 4 || !strings.Contains(dvs[0].Formula1, "实验室") {
		t.Errorf("units drop-downs: %v %+v", err, dvs)
	}
	p, err := Read(data, sheet.DefaultLimits, "")
	if err != nil || p.Batch.Len() != 0 || len(p.Problems) != 0 {
		t.Errorf("the blank workbook reads as %d rows, %v, %v", p.Batch.Len(), p.Problems, err)
	}
}

// An operator's own export imports back unchanged even when a company kept by another park is
// resident in theirs: its park code is blank (a park they cannot see) and its stay elsewhere
// is left out.
func TestOperatorsOwnExportIsUnchanged(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			s := eng.Open(t)
			w := storetest.NewWorld(t, s)
			if _, err := storetest.EnterpriseOf(s).CreateResidency(ctx, sys, enterprise.Residency{EnterpriseID: w.Enterprises[1].ID, ParkID: w.Parks[0].ID,
				UnitIDs: []string{w.Units[0][2].ID}, MoveIn: civil.Of(2025, 5, 1)}); err != nil {
				t.Fatal(err)
			}
			op := w.Scope(identity.ParkManager)
			book, err := Export(ctx, app.New(s, civil.SystemClock{}).Onboard, op, "")
			if err != nil {
				t.Fatal(err)
			}
			res := importFile(t, s, op, book, "", false)
			if len(res.Problems) > 0 {
				t.Fatalf("problems: %+v", res.Problems)
			}
			for _, e := range onboard.Entities {
				if c := res.Counts[e]; c.Created+c.Changed != 0 {
					t.Errorf("%s: %+v, want all unchanged", e, c)
				}
			}
			if res.Counts[onboard.Enterprises].Unchanged != 2 || res.Counts[onboard.Residencies].Unchanged != 2 {
				t.Errorf("counts %+v: both companies and both stays in park 0 should be there", res.Counts)
			}
		})
	}
}

// FuzzRead: no file, however malformed, panics the onboarding reader; every problem it reports
// names a sheet, a row and a column.
func FuzzRead(f *testing.F) {
	blank, err := Write(onboard.Batch{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(blank)
	f.Add([]byte("园区编码,楼宇编码,楼宇名称\nP0,A,A座\nP0,,\n"))
	f.Add([]byte("公司名称,信用代码,注册资本（元）,成立日期\n甲,91110108MA0000001X,\"1,000\",2019年3月8日\n"))
	lim := sheet.Limits{MaxBytes: 1 << 20, MaxUncompressed: 8 << 20, MaxRows: 1000, MaxCells: 20000, MaxStrings: 10000}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Read(data, lim, "")
		if err != nil {
			return
		}
		for _, pr := range p.Problems {
			if pr.Sheet == "" || pr.Row < 1 {
				t.Fatalf("a problem without its cell: %+v", pr)
			}
		}
	})
}
