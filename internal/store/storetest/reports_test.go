package storetest

import (
	"testing"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

func figures() stats.Figures {
	return stats.Figures{"revenue": 1_000_000_00, "rd_expense": 100_000_00, "tax": 50_000_00, "employees": 40,
		"rd_staff": 12, "invention_patents_granted": 1, "invention_patents_held": 6}
}

func TestReportingPeriodsAndWorkflow(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		manager, tenant, authority := w.Scope(identity.ParkManager), w.Scope(identity.EntAdmin), w.Scope(identity.Authority)
		park0, park1 := w.Parks[0].ID, w.Parks[1].ID

		_, err := StatsOf(s).OpenPeriod(ctx, manager, stats.Period{ParkID: park1, Kind: stats.Quarterly, Year: 2024, Seq: 1, Deadline: civil.Of(2024, 4, 20)})
		wantField(t, err, "park_id")
		_, err = StatsOf(s).OpenPeriod(ctx, manager, stats.Period{ParkID: park0, Kind: stats.Quarterly, Year: 2024, Seq: 5})
		wantField(t, err, "seq")
		wantField(t, err, "deadline")
		_, err = StatsOf(s).OpenPeriod(ctx, tenant, stats.Period{ParkID: park0, Kind: stats.Quarterly, Year: 2024, Seq: 1, Deadline: civil.Of(2024, 4, 20)})
		wantCode(t, err, apperr.Forbidden)

		// Q4 2023 approved, so Q1 2024 has a previous period to compare with.
		q4, err := StatsOf(s).OpenPeriod(ctx, manager, stats.Period{ParkID: park0, Kind: stats.Quarterly, Year: 2023, Seq: 4, Deadline: civil.Of(2024, 1, 20)})
		if err != nil || len(q4.EnterpriseIDs) != 1 || q4.EnterpriseIDs[0] != w.Enterprises[0].ID || q4.EndOn != civil.Of(2023, 12, 31) {
			t.Fatalf("Q4 2023: %+v %v", q4, err)
		}
		_, err = StatsOf(s).OpenPeriod(ctx, manager, stats.Period{ParkID: park0, Kind: stats.Quarterly, Year: 2023, Seq: 4, Deadline: civil.Of(2024, 1, 31)})
		wantCode(t, err, apperr.Conflict)
		mine, _ := s.ListReports(ctx, tenant, stats.ReportFilter{PeriodID: q4.ID}, page.Request{})
		if len(mine.Items) != 1 || mine.Items[0].Status != stats.Draft {
			t.Fatalf("tenant's Q4 reports: %+v", mine.Items)
		}
		small := figures()
		small["revenue"] = 50_000_00
		if _, err := StatsOf(s).SubmitReport(ctx, tenant, mine.Items[0].ID, small, []string{"rd_above_revenue"}); err != nil {
			t.Fatal(err)
		}
		if _, err := StatsOf(s).ReviewReport(ctx, manager, mine.Items[0].ID, true, ""); err != nil {
			t.Fatal(err)
		}

		q1, err := StatsOf(s).OpenPeriod(ctx, authority, stats.Period{Kind: stats.Quarterly, Year: 2024, Seq: 1, Deadline: civil.Of(2024, 4, 20)})
		if err != nil || q1.ParkID != "" || len(q1.EnterpriseIDs) != 2 {
			t.Fatalf("authority's Q1 2024: %+v %v", q1, err)
		}
		if seen, _ := s.GetPeriodWithMembers(ctx, manager, q1.ID); len(seen.EnterpriseIDs) != 2 {
			t.Fatalf("the park manager sees the authority's period: %+v", seen)
		}
		reports, _ := s.ListReports(ctx, manager, stats.ReportFilter{PeriodID: q1.ID}, page.Request{})
		if len(reports.Items) != 1 || reports.Items[0].EnterpriseID != w.Enterprises[0].ID {
			t.Fatalf("the manager sees only its park's reports: %+v", reports.Items)
		}
		id := reports.Items[0].ID
		if _, err := s.GetReport(ctx, w.Scope(identity.EntMember), id); err != nil {
			t.Fatalf("a member of the enterprise reads its report: %v", err)
		}
		other, _ := s.ListReports(ctx, authority, stats.ReportFilter{PeriodID: q1.ID, ParkID: park1}, page.Request{})
		if _, err := s.GetReport(ctx, tenant, other.Items[0].ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another enterprise's report: %v", err)
		}
		if prev, _ := s.PreviousFigures(ctx, tenant, reports.Items[0]); prev["revenue"] != 50_000_00 {
			t.Fatalf("previous figures: %v", prev)
		}

		bad := figures()
		bad["tax"] = -1
		_, err = StatsOf(s).SaveReportDraft(ctx, tenant, id, bad)
		wantField(t, err, "tax")
		if r, _ := s.GetReport(ctx, tenant, id); len(r.Figures) != 0 {
			t.Fatalf("a refused draft changed the report: %v", r.Figures)
		}
		draft, err := StatsOf(s).SaveReportDraft(ctx, tenant, id, stats.Figures{"revenue": 1_000_000_00})
		if err != nil || draft.Status != stats.Draft || draft.Figures["revenue"] != 1_000_000_00 {
			t.Fatalf("draft: %+v %v", draft, err)
		}
		_, err = StatsOf(s).SubmitReport(ctx, tenant, id, figures(), nil)
		wantField(t, err, "revenue") // 20× the previous quarter needs confirmation
		if r, _ := s.GetReport(ctx, tenant, id); r.Status != stats.Draft || len(r.Figures) != 1 {
			t.Fatalf("a refused submission changed the report: %+v", r)
		}
		if _, err := StatsOf(s).SubmitReport(ctx, tenant, id, figures(), []string{"revenue_jump"}); err != nil {
			t.Fatal(err)
		}
		_, err = StatsOf(s).ReviewReport(ctx, tenant, id, true, "")
		wantCode(t, err, apperr.Forbidden)
		_, err = StatsOf(s).ReviewReport(ctx, manager, id, false, " ")
		wantField(t, err, "reason")
		returned, err := StatsOf(s).ReviewReport(ctx, manager, id, false, "营业收入口径请按合并报表填写")
		if err != nil || returned.Status != stats.Returned || returned.ReturnReason == "" {
			t.Fatalf("return: %+v %v", returned, err)
		}
		if _, err := StatsOf(s).SubmitReport(ctx, tenant, id, figures(), []string{"revenue_jump"}); err != nil {
			t.Fatal(err)
		}
		approved, err := StatsOf(s).ReviewReport(ctx, manager, id, true, "")
		if err != nil || approved.Status != stats.Approved || approved.Submissions != 2 {
			t.Fatalf("approve: %+v %v", approved, err)
		}
		_, err = StatsOf(s).SaveReportDraft(ctx, tenant, id, figures())
		wantCode(t, err, apperr.Conflict)

		progress, err := s.PeriodProgress(ctx, authority, q1.ID, civil.Of(2024, 5, 1))
		if err != nil || len(progress) != 2 {
			t.Fatalf("progress: %+v %v", progress, err)
		}
		for _, g := range progress {
			want := stats.Progress{ParkID: g.ParkID, Total: 1, Approved: 1}
			if g.ParkID == park1 {
				want = stats.Progress{ParkID: park1, Total: 1, Draft: 1, Late: 1}
			}
			if g != want {
				t.Errorf("progress of %s: %+v, want %+v", g.ParkID, g, want)
			}
		}
		trail, _ := s.ListAudit(ctx, authority, audit.Filter{Entity: "report", EntityID: id}, page.Request{})
		if len(trail.Items) != 5 {
			t.Errorf("audit trail of the report: %d entries, want 5: draft, submit, return, submit, approve", len(trail.Items))
		}
	})
}

func TestReportImportIsAllOrNothingAndIdempotent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		authority := w.Scope(identity.Authority)
		period, err := StatsOf(s).OpenPeriod(ctx, authority, stats.Period{Kind: stats.Quarterly, Year: 2024, Seq: 1, Deadline: civil.Of(2024, 4, 20)})
		if err != nil {
			t.Fatal(err)
		}
		filers, err := s.PeriodFilers(ctx, w.Scope(identity.ParkManager), period.ID)
		if err != nil || len(filers) != 1 || filers[0].CreditCode != w.Enterprises[0].CreditCode || filers[0].Name != w.Enterprises[0].Name {
			t.Fatalf("the park manager's filers: %+v %v", filers, err)
		}
		rows := []stats.ImportRow{
			{Row: 3, CreditCode: w.Enterprises[0].CreditCode, Figures: figures(), Submit: true},
			{Row: 4, CreditCode: w.Enterprises[1].CreditCode, Figures: stats.Figures{"revenue": 5}},
		}
		manager := w.Scope(identity.ParkManager)
		_, problems, err := StatsOf(s).ImportReports(ctx, manager, period.ID, rows, false)
		if err != nil || len(problems) != 1 || problems[0].Row != 4 || problems[0].Code != "unknown" {
			t.Fatalf("a row outside the manager's park: %+v %v", problems, err)
		}
		after, _ := s.PeriodFilers(ctx, authority, period.ID)
		for _, f := range after {
			if len(f.Report.Figures) != 0 {
				t.Fatalf("a refused import wrote %v", f.Report.Figures)
			}
		}
		outcomes, problems, err := StatsOf(s).ImportReports(ctx, authority, period.ID, rows, true)
		if err != nil || len(problems) != 0 || outcomes[0].Outcome != "submitted" || outcomes[1].Outcome != "changed" {
			t.Fatalf("dry run: %+v %+v %v", outcomes, problems, err)
		}
		if again, _ := s.PeriodFilers(ctx, authority, period.ID); len(again[0].Report.Figures)+len(again[1].Report.Figures) != 0 {
			t.Fatal("a dry run wrote")
		}
		if _, problems, err = StatsOf(s).ImportReports(ctx, authority, period.ID, rows, false); err != nil || len(problems) != 0 {
			t.Fatalf("import: %+v %v", problems, err)
		}
		outcomes, problems, err = StatsOf(s).ImportReports(ctx, authority, period.ID, rows, false)
		if err != nil || len(problems) != 0 || outcomes[0].Outcome != "unchanged" || outcomes[1].Outcome != "unchanged" {
			t.Fatalf("the same rows again: %+v %+v %v", outcomes, problems, err)
		}
		changed := []stats.ImportRow{{Row: 3, CreditCode: w.Enterprises[0].CreditCode, Figures: stats.Figures{"revenue": 1}}}
		if _, problems, _ = StatsOf(s).ImportReports(ctx, authority, period.ID, changed, false); len(problems) != 1 || problems[0].Code != "locked" {
			t.Fatalf("changing a submitted report: %+v", problems)
		}
		trail, _ := s.ListAudit(ctx, authority, audit.Filter{Entity: "report"}, page.Request{})
		if len(trail.Items) != 2 {
			t.Fatalf("audit entries for the import: %d, want 2", len(trail.Items))
		}
	})
}

func TestClosingAPeriodStopsFiling(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		manager, tenant := w.Scope(identity.ParkManager), w.Scope(identity.EntAdmin)
		p, err := StatsOf(s).OpenPeriod(ctx, manager, stats.Period{ParkID: w.Parks[0].ID, Kind: stats.Annual, Year: 2024, Deadline: civil.Of(2025, 3, 31)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = StatsOf(s).ClosePeriod(ctx, tenant, p.ID)
		wantCode(t, err, apperr.Forbidden)
		_, err = StatsOf(s).ClosePeriod(ctx, w.Scope(identity.Leasing), p.ID)
		wantCode(t, err, apperr.Forbidden)
		if p, err = StatsOf(s).ClosePeriod(ctx, manager, p.ID); err != nil || !p.Closed {
			t.Fatalf("close: %+v %v", p, err)
		}
		_, err = StatsOf(s).ClosePeriod(ctx, manager, p.ID)
		wantCode(t, err, apperr.Conflict)
		mine, _ := s.ListReports(ctx, tenant, stats.ReportFilter{PeriodID: p.ID}, page.Request{})
		_, err = StatsOf(s).SaveReportDraft(ctx, tenant, mine.Items[0].ID, figures())
		wantField(t, err, "period_id")
		_, _, err = StatsOf(s).ImportReports(ctx, manager, p.ID, []stats.ImportRow{{Row: 3, CreditCode: w.Enterprises[0].CreditCode, Figures: figures()}}, false)
		wantField(t, err, "period_id")
	})
}
