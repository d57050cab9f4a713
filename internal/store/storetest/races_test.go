package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// The race tests run every contested write n times at once, on each engine. SQLite's single
// writer serialises them anyway; on PostgreSQL they prove the row locks and conditional
// updates. Each counts successes and refusals and fails on any other error.

// race runs fn(i) for i in [0, n) all at once and tallies the outcomes.
func race(n int, fn func(i int) error) (wins, conflicts int, other []error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := fn(i)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case apperr.Is(err, apperr.Conflict):
				conflicts++
			default:
				other = append(other, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return wins, conflicts, other
}

func auditCount(t *testing.T, s *sqlstore.Store, w *World, entity, id, action string) int {
	t.Helper()
	trail, err := s.ListAudit(ctx, w.Scope(identity.Admin), audit.Filter{Entity: entity, EntityID: id, Action: action}, page.Request{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(trail.Items)
}

// One draft activated 100 times at once: exactly one activation and one audit entry.
func TestRaceActivateOneDraft(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op := w.Scope(identity.Leasing)
		draft, err := ks.Create(ctx, op, lease(w, "HT-ACT", w.Units[0][1].ID, "2025-01-01", "2027-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		wins, conflicts, other := race(100, func(int) error {
			_, err := ks.ActivateContract(ctx, op, draft.ID)
			return err
		})
		if wins != 1 || conflicts != 99 || len(other) > 0 {
			t.Fatalf("wins %d, conflicts %d, other %v", wins, conflicts, other)
		}
		if n := auditCount(t, s, w, "contract", draft.ID, "activate"); n != 1 {
			t.Fatalf("%d activate audit entries", n)
		}
	})
}

// 20 amendments at once, each adding a different unit: every one that answers success is kept.
func TestRaceAmendmentsAreAllKept(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op := w.Scope(identity.Leasing)
		extra := make([]string, 20)
		for i := range extra {
			u, err := SpaceOf(s).CreateUnit(ctx, identity.System(), space.Unit{FloorID: w.Floors[0].ID, Code: fmt.Sprintf("A-3-4%02d", i),
				Kind: space.KindOffice, GrossArea: measure.AreaM2(50), Leasable: true, ValidFrom: civil.Of(2024, 1, 1)})
			if err != nil {
				t.Fatal(err)
			}
			extra[i] = u.ID
		}
		k := lease(w, "HT-AMD", w.Units[0][1].ID, "2025-01-01", "2027-12-31")
		k.Status = leasing.Active
		k, err := ks.Create(ctx, op, k)
		if err != nil {
			t.Fatal(err)
		}
		wins, conflicts, other := race(len(extra), func(i int) error {
			_, err := ks.AmendContract(ctx, op, k.ID, leasing.Amendment{EffectiveOn: civil.Of(2026, 1, 1), Add: []string{extra[i]}})
			return err
		})
		if len(other) > 0 || wins+conflicts != len(extra) || wins == 0 {
			t.Fatalf("wins %d, conflicts %d, other %v", wins, conflicts, other)
		}
		got, _ := s.GetContract(ctx, op, k.ID)
		if len(got.Units) != 1+wins {
			t.Fatalf("%d amendments answered success but the contract has %d units", wins, len(got.Units))
		}
		if n := auditCount(t, s, w, "contract", k.ID, "amend"); n != wins {
			t.Fatalf("%d amend audit entries for %d successes", n, wins)
		}
	})
}

// A split and a lease of the same unit at the same moment, 30 rounds: never both.
func TestRaceSplitAgainstLease(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op := w.Scope(identity.ParkManager)
		for round := range 30 {
			u, err := SpaceOf(s).CreateUnit(ctx, identity.System(), space.Unit{FloorID: w.Floors[0].ID, Code: fmt.Sprintf("S-%02d", round),
				Kind: space.KindOffice, GrossArea: measure.AreaM2(200), Leasable: true, ValidFrom: civil.Of(2024, 1, 1)})
			if err != nil {
				t.Fatal(err)
			}
			var splitErr, leaseErr error
			wins, _, other := race(2, func(i int) error {
				if i == 0 {
					_, splitErr = SpaceOf(s).SplitUnit(ctx, op, u.ID, space.SplitRequest{EffectiveOn: civil.Of(2025, 6, 1), Parts: []space.UnitPart{
						{Code: fmt.Sprintf("S-%02d-a", round), GrossArea: measure.AreaM2(100)},
						{Code: fmt.Sprintf("S-%02d-b", round), GrossArea: measure.AreaM2(100)}}})
					return splitErr
				}
				k := lease(w, fmt.Sprintf("HT-S%02d", round), u.ID, "2025-01-01", "2026-12-31")
				k.Status = leasing.Active
				_, leaseErr = ks.Create(ctx, op, k)
				return leaseErr
			})
			for _, err := range other {
				// The lease may also be refused as a field error: the unit no longer exists for its term.
				if !apperr.Is(err, apperr.Invalid) {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if wins != 1 {
				t.Fatalf("round %d: split %v, lease %v — exactly one must win", round, splitErr, leaseErr)
			}
		}
	})
}

// 100 requests for overlapping days on one unit, as contracts, as holds, and mixed: one wins.
func TestRaceOverlappingLettingsAndHolds(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op := w.Scope(identity.ParkManager)
		from, to := civil.SystemClock{}.Today().AddDays(10), civil.SystemClock{}.Today().AddDays(150)
		leads := make([]string, 100)
		for i := range leads {
			l, err := ks.CreateLead(ctx, op, leasing.Lead{ParkID: w.Parks[0].ID, Company: fmt.Sprintf("竞争者%03d", i), Source: "referral"})
			if err != nil {
				t.Fatal(err)
			}
			leads[i] = l.ID
		}
		contract := func(unit string, i int) error {
			k := lease(w, fmt.Sprintf("HT-OV-%s-%03d", unit[:4], i), unit, from.String(), to.String())
			k.Status = leasing.Active
			_, err := ks.Create(ctx, op, k)
			return err
		}
		hold := func(unit string, i int) error {
			_, err := ks.CreateHold(ctx, op, leasing.Hold{LeadID: leads[i], UnitID: unit, From: from.AddDays(i % 5), Until: to})
			return err
		}
		for name, fn := range map[string]func(int) error{
			"contracts": func(i int) error { return contract(w.Units[0][0].ID, i) },
			"holds":     func(i int) error { return hold(w.Units[0][1].ID, i) },
			"mixed": func(i int) error {
				if i%2 == 0 {
					return hold(w.Units[0][2].ID, i)
				}
				return contract(w.Units[0][2].ID, i)
			},
		} {
			wins, conflicts, other := race(100, fn)
			if wins != 1 || conflicts != 99 || len(other) > 0 {
				t.Fatalf("%s: wins %d, conflicts %d, other %v", name, wins, conflicts, other)
			}
		}
	})
}

// The database refuses an overlapping letting written directly in SQL, past every check in
// code: an exclusion constraint on PostgreSQL, a trigger on SQLite.
func TestDatabaseRefusesDoubleLetting(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			s, raw := Raw(t, eng)
			ks := ContractsOf(s)
			w := NewWorld(t, s)
			k := lease(w, "HT-DB", w.Units[0][0].ID, "2025-01-01", "2025-12-31")
			k.Status = leasing.Active
			k, err := ks.Create(ctx, w.Scope(identity.Leasing), k)
			if err != nil {
				t.Fatal(err)
			}
			draft, err := ks.Create(ctx, w.Scope(identity.Leasing), lease(w, "HT-DB2", w.Units[0][1].ID, "2025-01-01", "2025-12-31"))
			if err != nil {
				t.Fatal(err)
			}
			insert := `INSERT INTO contract_units (contract_id, park_id, unit_id, area, from_on, to_on, let_from, let_to) VALUES ('` +
				draft.ID + `', '` + draft.ParkID + `', '` + w.Units[0][0].ID + `', 10000, '2025-06-01', '2026-05-31', '2025-06-01', '2026-05-31')`
			if _, err := raw.Exec(insert); err == nil {
				t.Fatal("the database accepted a second letting of a let unit")
			}
			update := `UPDATE contract_units SET unit_id = '` + w.Units[0][0].ID + `', let_from = from_on, let_to = to_on WHERE contract_id = '` + draft.ID + `'`
			if _, err := raw.Exec(update); err == nil {
				t.Fatal("the database accepted an update into a double letting")
			}
			// Days that do not overlap are fine.
			free := `INSERT INTO contract_units (contract_id, park_id, unit_id, area, from_on, to_on, let_from, let_to) VALUES ('` +
				draft.ID + `', '` + draft.ParkID + `', '` + w.Units[0][0].ID + `', 10000, '2026-01-01', '2026-05-31', '2026-01-01', '2026-05-31')`
			if _, err := raw.Exec(free); err != nil {
				t.Fatalf("a letting after the first one ends was refused: %v", err)
			}
			_ = k
		})
	}
}

// Every id a contract or lead names is resolved through the caller's scope: another park's
// enterprise, lead, contract or staff member, and ids that do not exist, are all 422 not_found
// on the field — never a 500, never stored, never another park's contract flipped.
func TestBodyReferencesAreScoped(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op := w.Scope(identity.ParkManager)
		sys := identity.System()
		theirs := lease(w, "HT-THEIRS", w.Units[1][0].ID, "2024-01-01", "2025-12-31")
		theirs.EnterpriseID, theirs.Status = w.Enterprises[1].ID, leasing.Active
		theirs, err := ks.Create(ctx, sys, theirs)
		if err != nil {
			t.Fatal(err)
		}
		theirLead, err := ks.CreateLead(ctx, sys, leasing.Lead{ParkID: w.Parks[1].ID, Company: "别园线索", Source: "referral"})
		if err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			field string
			set   func(k *leasing.Contract)
		}{
			"foreign enterprise": {"enterprise_id", func(k *leasing.Contract) { k.EnterpriseID = w.Enterprises[1].ID }},
			"missing enterprise": {"enterprise_id", func(k *leasing.Contract) { k.EnterpriseID = "no-such-id" }},
			"foreign lead":       {"lead_id", func(k *leasing.Contract) { k.LeadID = theirLead.ID }},
			"missing lead":       {"lead_id", func(k *leasing.Contract) { k.LeadID = "no-such-id" }},
			"foreign renewal":    {"renewal_of", func(k *leasing.Contract) { k.RenewalOf = theirs.ID }},
			"missing renewal":    {"renewal_of", func(k *leasing.Contract) { k.RenewalOf = "no-such-id" }},
		} {
			t.Run(name, func(t *testing.T) {
				k := lease(w, "HT-REF", w.Units[0][2].ID, "2026-01-01", "2026-12-31")
				c.set(&k)
				_, err := ks.Create(ctx, op, k)
				wantField(t, err, c.field)
				// The same reference slipped into an existing draft by an update.
				draft, err := ks.Create(ctx, op, lease(w, "HT-REF-D", w.Units[0][2].ID, "2026-01-01", "2026-12-31"))
				if err != nil {
					t.Fatal(err)
				}
				next := draft
				c.set(&next)
				updated, err := ks.Update(ctx, op, next)
				if c.field == "renewal_of" {
					// Server-owned on a draft: an edit cannot make it a renewal of anything.
					if err != nil || updated.RenewalOf != "" {
						t.Fatalf("renewal_of through an edit: %+v %v", updated, err)
					}
				} else {
					wantField(t, err, c.field)
				}
				if err := ks.DeleteContract(ctx, op, draft.ID); err != nil {
					t.Fatal(err)
				}
			})
		}
		got, _ := s.GetContract(ctx, sys, theirs.ID)
		if got.Status != leasing.Expired || got.RenewedBy != "" {
			t.Fatalf("another park's contract changed: %+v", got)
		}
		// A lead's owner must be staff of the lead's park: not a tenant, not another park's staff.
		for _, owner := range []string{w.Users[identity.EntAdmin].ID, "no-such-user"} {
			_, err := ks.CreateLead(ctx, op, leasing.Lead{ParkID: w.Parks[0].ID, Company: "线索", Source: "referral", OwnerID: owner})
			wantField(t, err, "owner_id")
		}
		if _, err := ks.CreateLead(ctx, op, leasing.Lead{ParkID: w.Parks[0].ID, Company: "线索", Source: "referral",
			OwnerID: w.Users[identity.Leasing].ID}); err != nil {
			t.Fatalf("own park's leasing staff as owner: %v", err)
		}
	})
}

// Ranges: areas, prices and amounts out of their domain, and sums that would overflow, are
// field errors; nothing is written.
func TestContractRangesAndOverflow(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op := w.Scope(identity.Leasing)
		huge, err := SpaceOf(s).CreateUnit(ctx, identity.System(), space.Unit{FloorID: w.Floors[0].ID, Code: "HUGE", Kind: space.KindOffice,
			GrossArea: measure.AreaM2(1_000_000), Leasable: true, ValidFrom: civil.Of(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			field string
			set   func(k *leasing.Contract)
		}{
			"negative area": {"units[0].area", func(k *leasing.Contract) { k.Units[0].Area = -10000 }},
			"huge area":     {"units[0].area", func(k *leasing.Contract) { k.Units[0].Area = measure.Area(1e8 * 100) }},
			"huge price":    {"price", func(k *leasing.Contract) { k.Price = measure.Price(1e9 * 10000) }},
			"negative fee":  {"property_fee", func(k *leasing.Contract) { k.PropertyFee = -1 }},
			// Both in range, but 1,000,000 m² at 10,000 元 a day for 20 years is beyond any amount.
			"overflowing total": {"price", func(k *leasing.Contract) {
				k.Units[0].UnitID, k.Units[0].Area = huge.ID, measure.AreaM2(1_000_000)
				k.Price, k.EndOn = measure.Price(10_000*10_000), civil.Of(2045, 12, 31)
			}},
			// The law voids a lease beyond twenty years; from 2026-01-01 the last day is 2045-12-31.
			"term beyond twenty years": {"end_on", func(k *leasing.Contract) { k.EndOn = civil.Of(2046, 1, 1) }},
			"more than the unit":       {"units[0].area", func(k *leasing.Contract) { k.Units[0].Area = measure.AreaM2(301) }},
		} {
			t.Run(name, func(t *testing.T) {
				k := lease(w, "HT-RANGE", w.Units[0][2].ID, "2026-01-01", "2026-12-31")
				c.set(&k)
				_, err := ks.Create(ctx, op, k)
				wantField(t, err, c.field)
			})
		}
		all, _ := s.ListContracts(ctx, op, leasing.Filter{}, page.Request{})
		if len(all.Items) != 0 {
			t.Fatalf("%d refused contracts were written", len(all.Items))
		}
		k := lease(w, "HT-R", w.Units[0][2].ID, "2026-01-01", "2026-12-31")
		k.Status = leasing.Active
		if k, err := ks.Create(ctx, op, k); err != nil {
			t.Fatal(err)
		} else if _, err := ks.RenewContract(ctx, op, k.ID, leasing.Renewal{Number: "HT-R2", EndOn: civil.Of(2027, 12, 31), Price: new(measure.Price(-1))}); err == nil {
			t.Fatal("a renewal at a negative price was accepted")
		} else {
			wantField(t, err, "price")
		}
	})
}

// Changes at once are never lost. A contract's patch is applied to the terms as they are once
// it is locked, so 20 patches each adding a mark to the note all land; 20 edits of one unit
// made from the same read are refused (409) but for the first, which is the one kept. Before,
// every one of them answered 200 and all but one were silently overwritten.
func TestRaceConcurrentChangesAreNeverLost(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op := w.Scope(identity.Leasing)
		draft, err := ks.Create(ctx, op, lease(w, "HT-PATCH", w.Units[0][1].ID, "2026-01-01", "2026-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		wins, conflicts, other := race(20, func(i int) error {
			_, err := ks.PatchContract(ctx, op, draft.ID, func(ch leasing.ContractChange) (leasing.ContractChange, error) {
				ch.Note += fmt.Sprintf("[%d]", i)
				return ch, nil
			})
			return err
		})
		if wins != 20 || conflicts != 0 || len(other) > 0 {
			t.Fatalf("contract patches: %d kept, %d conflicts, %v", wins, conflicts, other)
		}
		got, err := s.GetContract(ctx, op, draft.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			if mark := fmt.Sprintf("[%d]", i); !strings.Contains(got.Note, mark) {
				t.Errorf("patch %s lost: note %q", mark, got.Note)
			}
		}

		pm := w.Scope(identity.ParkManager)
		read, err := s.GetUnit(ctx, pm, w.Units[0][2].ID)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var kept string
		wins, conflicts, other = race(20, func(i int) error {
			u := read
			u.Note = fmt.Sprintf("edit %d", i)
			_, err := SpaceOf(s).UpdateUnit(ctx, pm, u)
			if err == nil {
				mu.Lock()
				kept = u.Note
				mu.Unlock()
			}
			return err
		})
		if wins != 1 || conflicts != 19 || len(other) > 0 {
			t.Fatalf("unit edits from one read: %d kept, %d conflicts, %v", wins, conflicts, other)
		}
		if now, _ := s.GetUnit(ctx, pm, read.ID); now.Note != kept {
			t.Errorf("the unit's note is %q, the accepted edit was %q", now.Note, kept)
		}
	})
}

// Twenty reviewers approve or return one submitted report at once: exactly one review lands,
// with one audit entry; before, each read the report without a lock and on PostgreSQL several
// answered 200.
func TestRaceOneReviewOfAReport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		w := NewWorld(t, s)
		manager, tenant := w.Scope(identity.ParkManager), w.Scope(identity.EntAdmin)
		p, err := StatsOf(s).OpenPeriod(ctx, manager, stats.Period{ParkID: w.Parks[0].ID, Kind: stats.Quarterly, Year: 2025, Seq: 1,
			Deadline: civil.Of(2025, 4, 20)})
		if err != nil {
			t.Fatal(err)
		}
		mine, err := s.ListReports(ctx, tenant, stats.ReportFilter{PeriodID: p.ID}, page.Request{})
		if err != nil || len(mine.Items) != 1 {
			t.Fatalf("reports: %v %v", mine.Items, err)
		}
		id := mine.Items[0].ID
		if _, err := StatsOf(s).SubmitReport(ctx, tenant, id, figures(), []string{"rd_above_revenue"}); err != nil {
			t.Fatal(err)
		}
		wins, conflicts, other := race(20, func(i int) error {
			_, err := StatsOf(s).ReviewReport(ctx, manager, id, i%2 == 0, "请核对")
			return err
		})
		if wins != 1 || conflicts != 19 || len(other) > 0 {
			t.Fatalf("reviews: %d landed, %d conflicts, %v", wins, conflicts, other)
		}
		if n := auditCount(t, s, w, "report", id, "approve") + auditCount(t, s, w, "report", id, "return"); n != 1 {
			t.Errorf("%d review entries in the audit trail, want 1", n)
		}
	})
}

// An idempotency key is kept for 24 hours: after that the same key starts a new request.
func TestIdempotencyKeyExpires(t *testing.T) {
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			s, raw := Raw(t, eng)
			c, err := s.ClaimIdempotencyKey(ctx, "u1", "k", "POST /api/v1/leads", "h")
			if err != nil || !c.Mine {
				t.Fatalf("first claim: %+v %v", c, err)
			}
			if err := s.SaveIdempotentResponse(ctx, "u1", "k", 201, []byte(`{"id":"x"}`)); err != nil {
				t.Fatal(err)
			}
			if c, err = s.ClaimIdempotencyKey(ctx, "u1", "k", "POST /api/v1/leads", "h"); err != nil || c.Mine || c.Status != 201 || c.Response != `{"id":"x"}` {
				t.Fatalf("within 24 h: %+v %v", c, err)
			}
			if _, err := raw.Exec(`UPDATE idempotency_keys SET created_at = $1`, time.Now().UTC().Add(-25*time.Hour)); err != nil {
				t.Fatal(err)
			}
			if c, err = s.ClaimIdempotencyKey(ctx, "u1", "k", "POST /api/v1/leads", "h"); err != nil || !c.Mine {
				t.Fatalf("after 24 h: %+v %v", c, err)
			}
			// Another user's expired key is swept by any claim: answers are not kept for ever.
			if _, err := s.ClaimIdempotencyKey(ctx, "u2", "old", "POST /api/v1/leads", "h"); err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(`UPDATE idempotency_keys SET created_at = $1 WHERE user_id = 'u2'`, time.Now().UTC().Add(-25*time.Hour)); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ClaimIdempotencyKey(ctx, "u3", "k", "POST /api/v1/leads", "h"); err != nil {
				t.Fatal(err)
			}
			var left int
			if err := raw.QueryRow(`SELECT COUNT(*) FROM idempotency_keys WHERE user_id = 'u2'`).Scan(&left); err != nil || left != 0 {
				t.Errorf("an expired key of another user is kept: %d %v", left, err)
			}
			// A claim left without an answer (its process died) is taken over after a while.
			if c, err = s.ClaimIdempotencyKey(ctx, "u3", "k", "POST /api/v1/leads", "h"); err != nil || c.Mine || c.Status != 0 {
				t.Fatalf("a claim in progress: %+v %v", c, err)
			}
			if _, err := raw.Exec(`UPDATE idempotency_keys SET created_at = $1 WHERE user_id = 'u3'`, time.Now().UTC().Add(-3*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if c, err = s.ClaimIdempotencyKey(ctx, "u3", "k", "POST /api/v1/leads", "h"); err != nil || !c.Mine {
				t.Fatalf("an abandoned claim: %+v %v", c, err)
			}
		})
	}
}
