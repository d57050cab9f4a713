package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/policy"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// revenueRule: 2025 revenue of at least 1,500,000 yuan and a valid high-tech qualification.
var revenueRule = policy.Condition{Op: "and", Of: []policy.Condition{
	{Fact: "revenue", Op: "gte", Value: policy.Value(`"1500000"`)},
	{Fact: "qualification", Op: "has", Value: policy.Value(`["high_tech"]`)}}}

// TestPolicyMatchingFollowsTheFacts: a policy published before any figures matches no one;
// opening a period leaves its filers to be judged again, submitting their reports does not; an
// approved annual report makes an enterprise eligible (and tells it); 免申即享 grants are
// proposed and confirmed in bulk; an approved sum above the cap, a disbursement above the
// approved sum and a second payment race are refused; totals add up; a quarter of the year
// opened takes the enterprise out until it is approved; a withdrawn qualification takes it out.
func TestPolicyMatchingFollowsTheFacts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		clock := &movingClock{}
		dayClock(clock, civil.Of(2026, 3, 10))
		notices := notify.NewService(st, clock.Now)
		svc := policy.NewService(st, clock, notices)
		stat := stats.NewService(st, clock)
		sys, authority, tenant := identity.System(), w.Scope(identity.Authority), w.Scope(identity.EntAdmin)
		drain := func() (judged int) {
			t.Helper()
			for {
				n, err := svc.Refresh(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					return judged
				}
				judged += n
			}
		}
		drain()

		grant := policy.NewPolicy{Title: "高精尖产业支持", Issuer: "中关村管委会", DocNumber: "中科园发〔2026〕1号", ValidFrom: civil.Of(2026, 1, 1),
			Benefit: "subsidy", Amount: policy.AmountRule{Kind: "percent", Percent: 10_00, Measure: "revenue", Floor: measure.Yuan(100000), Cap: measure.Yuan(500000)},
			Scope: policy.Coverage{Kind: "all"}, Eligibility: revenueRule, FactsYear: 2025}
		p := mustOK[policy.Policy](t, "create")(svc.CreatePolicy(ctx, authority, grant))
		if p.RuleZh == "" || p.RuleEn == "" {
			t.Errorf("no rule in words: %+v", p)
		}
		bad := grant
		bad.Amount.Cap = measure.Yuan(1)
		_, err := svc.CreatePolicy(ctx, authority, bad)
		refusedBy(t, "cap below the floor", err, "below_floor")
		_, err = svc.CreatePolicy(ctx, tenant, grant)
		refusedWith(t, "a tenant writes a policy", err, apperr.Forbidden)
		mustOK[policy.Policy](t, "publish")(svc.Publish(ctx, authority, p.ID))
		if m := mustOK[policy.Matches](t, "matches")(svc.Matches(ctx, authority, p.ID, policy.MatchQuery{Outcome: "all"})); m.Eligible != 0 || m.Missing != len(w.Enterprises) {
			t.Fatalf("before any figures: %d eligible, %d missing of %d", m.Eligible, m.Missing, m.Judged)
		}

		// 2025's annual reports: enterprise 0 reports 2,000,000 yuan, enterprise 1 1,000,000.
		annual := mustOK[stats.Period](t, "period")(stat.OpenPeriod(ctx, sys, stats.Period{Kind: stats.Annual, Year: 2025, Deadline: civil.Of(2026, 3, 31)}))
		// A year's reports are part of its facts (how many are expected): opening the period
		// leaves its filers to be judged again.
		if n := drain(); n != len(w.Enterprises) {
			t.Errorf("after the period opened %d enterprises were judged again, want %d", n, len(w.Enterprises))
		}
		var rows []stats.ImportRow
		for i, e := range w.Enterprises {
			rows = append(rows, stats.ImportRow{Row: i + 3, CreditCode: e.CreditCode, Submit: true, Figures: stats.Figures{
				"revenue": int64(2-i) * 1_000_000_00, "rd_expense": 50_000_00, "tax": 1_000_00, "employees": 30, "rd_staff": 3,
				"invention_patents_granted": 0, "invention_patents_held": 1}})
		}
		if _, problems, err := stat.ImportReports(ctx, sys, annual.ID, rows, false); err != nil || len(problems) > 0 {
			t.Fatalf("import: %v %+v", err, problems)
		}
		// Submitted figures are not facts yet: only an approval leaves an enterprise to be judged again.
		if n := drain(); n != 0 {
			t.Fatalf("after the reports were submitted %d enterprises were judged again, want none", n)
		}
		reports := mustOK[page.Page[stats.Report]](t, "reports")(st.ListReports(ctx, sys, stats.ReportFilter{PeriodID: annual.ID}, page.Request{}))
		for _, r := range reports.Items {
			mustOK[stats.Report](t, "approve")(stat.ReviewReport(ctx, sys, r.ID, true, ""))
		}
		drain()
		m := mustOK[policy.Matches](t, "matches")(svc.Matches(ctx, authority, p.ID, policy.MatchQuery{}))
		if m.Eligible != 1 || len(m.Items) != 1 || m.Items[0].EnterpriseID != w.Enterprises[0].ID {
			t.Fatalf("after approval: %+v", m)
		}
		// 10 % of 2,000,000 is 200,000, between the floor and the cap.
		if got := m.Items[0].Estimate.Amount; got != measure.Yuan(200000) {
			t.Errorf("estimate %s, want 200000.00", got)
		}
		rev := m.Items[0].Explanation.Of[0]
		if rev.Outcome != policy.Met || rev.Value != "2,000,000.00" || rev.Period != "2025" {
			t.Errorf("revenue explained: %+v", rev)
		}
		near := mustOK[policy.Matches](t, "near")(svc.Matches(ctx, authority, p.ID, policy.MatchQuery{Outcome: "near"}))
		if near.Near != 1 || len(near.Items[0].ShortZh) != 1 {
			t.Errorf("enterprise 1 misses by its revenue only: %+v", near)
		}
		bell := mustOK[page.Page[notify.Notification]](t, "bell")(notices.Inbox(ctx, tenant, page.Request{}))
		if !slices.ContainsFunc(bell.Items, func(n notify.Notification) bool { return n.Kind == "policy_match" }) {
			t.Errorf("the eligible enterprise was not told: %+v", bell.Items)
		}
		mine := mustOK[policy.ForYou](t, "for you")(svc.ForEnterprise(ctx, tenant, ""))
		if len(mine.Matching) != 1 || mine.Matching[0].PolicyID != p.ID {
			t.Errorf("for you: %+v", mine)
		}

		// Applying: the tenant applies (a 免申即享 policy needs none); the authority approves a sum
		// above the cap (refused), then one within it with a reason, and pays it in two instalments.
		app := mustOK[policy.Application](t, "apply")(svc.Apply(ctx, tenant, policy.NewApplication{PolicyID: p.ID, Statement: "2025 年营收 200 万元", Submit: true}))
		_, err = svc.Apply(ctx, tenant, policy.NewApplication{PolicyID: p.ID})
		refusedWith(t, "a second live application", err, apperr.Conflict)
		_, err = svc.Act(ctx, tenant, app.ID, policy.AppAction{Action: "approve"})
		refusedWith(t, "the applicant approves", err, apperr.Forbidden)
		_, err = svc.Act(ctx, authority, app.ID, policy.AppAction{Action: "approve", Amount: measure.Yuan(600000), Reason: "追加"})
		refusedBy(t, "above the cap", err, "above_cap")
		_, err = svc.Act(ctx, authority, app.ID, policy.AppAction{Action: "approve", Amount: measure.Yuan(150000)})
		refusedBy(t, "a different sum without a reason", err, "required")
		app = mustOK[policy.Application](t, "approve")(svc.Act(ctx, authority, app.ID, policy.AppAction{Action: "approve", Amount: measure.Yuan(150000), Reason: "按实际核定"}))
		_, err = svc.Disburse(ctx, authority, app.ID, policy.NewDisbursement{PaidOn: civil.Of(2026, 3, 10), Amount: measure.Yuan(150001)})
		refusedBy(t, "more than approved", err, "above_approved")
		_, err = svc.Disburse(ctx, authority, app.ID, policy.NewDisbursement{PaidOn: civil.Of(2026, 3, 9), Amount: measure.Yuan(50000)})
		refusedBy(t, "paid before it was approved", err, "before_approval")
		// Two clerks pay the last 100,000 of it at once: one payment lands.
		mustOK[policy.Application](t, "first instalment")(svc.Disburse(ctx, authority, app.ID, policy.NewDisbursement{PaidOn: civil.Of(2026, 3, 10), Amount: measure.Yuan(50000)}))
		wins, conflicts, other := race(8, func(int) error {
			_, err := svc.Disburse(ctx, authority, app.ID, policy.NewDisbursement{PaidOn: civil.Of(2026, 3, 10), Amount: measure.Yuan(100000)})
			if apperr.Is(err, apperr.Invalid) {
				return apperr.New(apperr.Conflict, "paid", "paid")
			}
			return err
		})
		if wins != 1 || conflicts != 7 || len(other) > 0 {
			t.Errorf("racing payments: %d landed, %d refused, %v", wins, conflicts, other)
		}
		detail := mustOK[policy.ApplicationDetail](t, "detail")(svc.Application(ctx, tenant, app.ID))
		if detail.Status != policy.Disbursed || detail.Disbursed != measure.Yuan(150000) || len(detail.Disbursements) != 2 || len(detail.Notes) != 0 {
			t.Errorf("after paying: %+v", detail.Application)
		}

		// 免申即享: enterprise 0 is granted without applying; the reviewer confirms in bulk.
		auto := grant
		auto.Title, auto.AutoGrant, auto.Amount = "研发费用后补助", true, policy.AmountRule{Kind: "fixed", Fixed: measure.Yuan(80000)}
		ap := mustOK[policy.Policy](t, "auto")(svc.CreatePolicy(ctx, authority, auto))
		mustOK[policy.Policy](t, "publish auto")(svc.Publish(ctx, authority, ap.ID))
		proposed := mustOK[page.Page[policy.Application]](t, "proposed")(svc.Applications(ctx, authority, policy.AppFilter{PolicyID: ap.ID, Status: policy.Proposed}, page.Request{}))
		if len(proposed.Items) != 1 || proposed.Items[0].EnterpriseID != w.Enterprises[0].ID || proposed.Items[0].Approved != measure.Yuan(80000) {
			t.Fatalf("免申即享 grants: %+v", proposed.Items)
		}
		_, err = svc.Apply(ctx, tenant, policy.NewApplication{PolicyID: ap.ID})
		refusedBy(t, "applying to a 免申即享 policy", err, "auto_grant")
		if n := mustOK[int](t, "confirm")(svc.ConfirmAll(ctx, authority, ap.ID)); n != 1 {
			t.Errorf("confirmed %d", n)
		}

		totals := mustOK[policy.Totals](t, "totals")(svc.Totals(ctx, authority, "policy", policy.AppFilter{}))
		if totals.Total.Approved != 2 || totals.Total.ApprovedSum != measure.Yuan(230000) || totals.Total.DisbursedSum != measure.Yuan(150000) ||
			totals.Total.Enterprises != 1 || len(totals.Rows) != 2 {
			t.Errorf("totals: %+v", totals)
		}
		for _, r := range totals.Rows {
			if r.Eligible != 1 {
				t.Errorf("eligible for %s: %d", r.Name, r.Eligible)
			}
		}

		// A quarter of 2025 opened for them leaves the year incomplete until its reports are
		// approved (§6.1 rule 1): the enterprise is out of the policy meanwhile, and back after.
		quarter := mustOK[stats.Period](t, "quarter")(stat.OpenPeriod(ctx, sys, stats.Period{Kind: stats.Quarterly, Year: 2025, Seq: 4, Deadline: civil.Of(2026, 4, 20)}))
		drain()
		if m := mustOK[policy.Matches](t, "matches")(svc.Matches(ctx, authority, p.ID, policy.MatchQuery{})); m.Eligible != 0 {
			t.Errorf("a 2025 quarter open and nothing approved: %d eligible, want 0", m.Eligible)
		}
		if _, problems, err := stat.ImportReports(ctx, sys, quarter.ID, rows, false); err != nil || len(problems) > 0 {
			t.Fatalf("quarter's import: %v %+v", err, problems)
		}
		mustOK[int](t, "approve the quarter")(stat.ApproveSubmitted(ctx, sys, quarter.ID))
		drain()
		if m := mustOK[policy.Matches](t, "matches")(svc.Matches(ctx, authority, p.ID, policy.MatchQuery{})); m.Eligible != 1 {
			t.Errorf("the quarter approved: %d eligible, want 1", m.Eligible)
		}

		// A qualification withdrawn takes the enterprise out of both policies.
		quals := mustOK[page.Page[enterprise.Qualification]](t, "quals")(st.ListQualifications(ctx, sys, enterprise.QualificationFilter{EnterpriseID: w.Enterprises[0].ID}, page.Request{}))
		for _, q := range quals.Items {
			if err := EnterpriseOf(st).DeleteQualification(ctx, sys, q.ID); err != nil {
				t.Fatal(err)
			}
		}
		drain()
		if m := mustOK[policy.Matches](t, "matches")(svc.Matches(ctx, authority, p.ID, policy.MatchQuery{})); m.Eligible != 0 {
			t.Errorf("without the qualification still eligible: %+v", m)
		}
		if got := mustOK[map[string]measure.Money](t, "stored")(st.MatchedPolicies(ctx, w.Enterprises[0].ID)); len(got) != 0 {
			t.Errorf("stored matches left: %v", got)
		}
	})
}

// TestDailyRematchOnePolicyAtATime: the daily rematch finds the policies that came into force
// overnight, judging each in a transaction of its own and claiming it for the day: a day is
// judged once; a policy another instance judged is left to it; a claim dated ahead (a clock
// once set wrong) does not stop a policy being judged; a withdrawn policy is not judged; two
// instances at once judge each policy once between them.
func TestDailyRematchOnePolicyAtATime(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		clock := &movingClock{}
		today := civil.Of(2026, 3, 10)
		dayClock(clock, today)
		svc := policy.NewService(st, clock, notify.NewService(st, clock.Now))
		authority := w.Scope(identity.Authority)
		var ids []string
		for i := range 3 {
			p := mustOK[policy.Policy](t, "create")(svc.CreatePolicy(ctx, authority, policy.NewPolicy{
				Title: fmt.Sprintf("入驻补贴 %d", i), Issuer: "中关村管委会", DocNumber: fmt.Sprintf("中科园发〔2026〕%d号", i+10),
				ValidFrom: today.AddDays(1), Benefit: "subsidy", Amount: policy.AmountRule{Kind: "fixed", Fixed: measure.Yuan(10000)},
				Scope: policy.Coverage{Kind: "all"}, FactsYear: 2025,
				Eligibility: policy.Condition{Fact: "park", Op: "in", Value: policy.Value(`["` + w.Parks[0].ID + `"]`)}}))
			mustOK[policy.Policy](t, "publish")(svc.Publish(ctx, authority, p.ID))
			ids = append(ids, p.ID)
		}
		if m, err := st.Matched(ctx, ids[0]); err != nil || len(m) != 0 {
			t.Fatalf("a policy not yet in force matches %v (%v)", m, err)
		}
		// claim claims a policy for day as another instance would, and reports whether it got it.
		claim := func(id string, day civil.Date) bool {
			t.Helper()
			var first bool
			if err := st.InTx(ctx, func(ctx context.Context) error {
				var err error
				first, err = st.ClaimPolicyRematch(ctx, id, day)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return first
		}
		// judgedOn says which policies were judged on day, by trying to claim each in a
		// transaction that is then undone.
		judgedOn := func(day civil.Date) []bool {
			t.Helper()
			var out []bool
			for _, id := range ids {
				undo := errors.New("undo")
				err := st.InTx(ctx, func(ctx context.Context) error {
					first, err := st.ClaimPolicyRematch(ctx, id, day)
					if err != nil {
						return err
					}
					out = append(out, !first)
					return undo
				})
				if !errors.Is(err, undo) {
					t.Fatal(err)
				}
			}
			return out
		}
		rematch := func(when string, want int, judged ...bool) {
			t.Helper()
			if n, err := svc.RematchDaily(ctx); err != nil || n != want {
				t.Errorf("%s: %d policies judged (%v), want %d", when, n, err, want)
			}
			if got := judgedOn(clock.Today()); !slices.Equal(got, judged) {
				t.Errorf("%s: judged today %v, want %v", when, got, judged)
			}
		}

		dayClock(clock, today.AddDays(1))
		rematch("the day they come into force", 3, true, true, true)
		for _, id := range ids {
			if m, err := st.Matched(ctx, id); err != nil || len(m) != 1 || m[w.Enterprises[0].ID] == 0 {
				t.Errorf("in force: policy %s matches %v (%v), want enterprise 0 alone", id, m, err)
			}
		}
		rematch("again that day", 0, true, true, true)

		// Another instance judged the first policy and stopped before the others; the second
		// policy's claim was dated a month ahead by a clock once set wrong.
		day := today.AddDays(2)
		dayClock(clock, day)
		if !claim(ids[0], day) || !claim(ids[1], day.AddDays(30)) {
			t.Fatal("a claim of a policy not judged that day was refused")
		}
		rematch("with one policy judged elsewhere", 2, true, true, true)
		rematch("again that day", 0, true, true, true)

		mustOK[policy.Policy](t, "withdraw")(svc.Withdraw(ctx, authority, ids[2]))
		dayClock(clock, today.AddDays(3))
		rematch("after one was withdrawn", 2, true, true, false)

		// Four instances at once: each policy is judged by one of them.
		dayClock(clock, today.AddDays(4))
		var mu sync.Mutex
		judged := 0
		_, _, other := race(4, func(int) error {
			n, err := svc.RematchDaily(ctx)
			mu.Lock()
			judged += n
			mu.Unlock()
			return err
		})
		if len(other) > 0 || judged != 2 {
			t.Errorf("four instances at once judged %d policies (%v), want 2", judged, other)
		}
		if got := judgedOn(clock.Today()); !slices.Equal(got, []bool{true, true, false}) {
			t.Errorf("after four instances at once: judged today %v", got)
		}
	})
}

// TestReportWritesLeaveTheirEnterprisesForThePolicyWorker: an enterprise's year facts are made
// from the reports of each year, so a report added, removed, moved to another park, period or
// enterprise, or a period moved to another year, leaves every enterprise concerned for the
// policy worker; a report submitted or returned does not (migrations 0045 on SQLite, 0043 on
// PostgreSQL).
// No service moves or removes reports; the writes here are the database's own, as a data fix
// or a later feature would make them.
func TestReportWritesLeaveTheirEnterprisesForThePolicyWorker(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		sys := identity.System()
		stat := StatsOf(st)
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := st.Pools()["writer"].Exec(engineSQL(st, q), args...); err != nil {
				t.Fatal(err)
			}
		}
		left := func() []string {
			t.Helper()
			rows, err := st.Pools()["reader"].Query("SELECT enterprise_id FROM policy_stale ORDER BY enterprise_id")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var ids []string
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			exec("DELETE FROM policy_stale")
			return ids
		}
		want := func(what string, ids ...string) {
			t.Helper()
			slices.Sort(ids)
			if got := left(); !slices.Equal(got, slices.Compact(ids)) {
				t.Errorf("%s: %v left for the policy worker, want %v", what, got, ids)
			}
		}
		all := make([]string, len(w.Enterprises))
		for i, e := range w.Enterprises {
			all[i] = e.ID
		}
		left()
		period := mustOK[stats.Period](t, "open")(stat.OpenPeriod(ctx, sys, stats.Period{Kind: stats.Annual, Year: 2025, Deadline: civil.Of(2026, 3, 31)}))
		want("a period opened", all...)
		reports := mustOK[page.Page[stats.Report]](t, "reports")(st.ListReports(ctx, sys, stats.ReportFilter{PeriodID: period.ID}, page.Request{}))
		r0, r1 := reports.Items[0], reports.Items[1]
		figures := stats.Figures{"revenue": 1_000_000_00, "rd_expense": 50_000_00, "tax": 1_000_00, "employees": 30, "rd_staff": 3,
			"invention_patents_granted": 0, "invention_patents_held": 1}
		var rows []stats.ImportRow
		for i, e := range w.Enterprises {
			rows = append(rows, stats.ImportRow{Row: i + 3, CreditCode: e.CreditCode, Submit: true, Figures: figures})
		}
		if _, problems, err := stat.ImportReports(ctx, sys, period.ID, rows, false); err != nil || len(problems) > 0 {
			t.Fatalf("import: %v %+v", err, problems)
		}
		want("reports submitted")
		mustOK[stats.Report](t, "return")(stat.ReviewReport(ctx, sys, r0.ID, false, "营业收入有误"))
		want("a report returned")

		elsewhere := w.Parks[0].ID
		if r0.ParkID == elsewhere {
			elsewhere = w.Parks[1].ID
		}
		exec("UPDATE reports SET park_id = ? WHERE id = ?", elsewhere, r0.ID)
		want("a report moved to another park", r0.EnterpriseID)
		exec("DELETE FROM reports WHERE id = ?", r0.ID)
		want("a report removed", r0.EnterpriseID)
		exec("UPDATE reports SET enterprise_id = ? WHERE id = ?", r0.EnterpriseID, r1.ID)
		want("a report given to another enterprise", r0.EnterpriseID, r1.EnterpriseID)

		earlier := mustOK[stats.Period](t, "open")(stat.OpenPeriod(ctx, sys, stats.Period{Kind: stats.Annual, Year: 2024, Deadline: civil.Of(2025, 3, 31)}))
		want("a second period opened", all...)
		exec("DELETE FROM reports WHERE period_id = ? AND enterprise_id = ?", earlier.ID, r0.EnterpriseID)
		left()
		exec("UPDATE reports SET period_id = ? WHERE id = ?", earlier.ID, r1.ID)
		want("a report moved to another period", r0.EnterpriseID)
		exec("UPDATE report_periods SET year = 2023 WHERE id = ?", earlier.ID)
		want("a period moved to another year", all...)
	})
}
