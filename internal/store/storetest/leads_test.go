package storetest

import (
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

func TestLeadsHoldsAndConversion(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op := w.Scope(identity.Leasing)
		park := w.Parks[0].ID

		_, err := ks.CreateLead(ctx, op, leasing.Lead{ParkID: park, Company: "", Source: "carrier pigeon", MinArea: 50000, MaxArea: 10000})
		wantField(t, err, "company")
		wantField(t, err, "source")
		wantField(t, err, "max_area")
		_, err = ks.CreateLead(ctx, op, leasing.Lead{ParkID: w.Parks[1].ID, Company: "越权"})
		wantField(t, err, "park_id")

		a, err := ks.CreateLead(ctx, op, leasing.Lead{ParkID: park, Company: "澄明抗体（演示）", Source: "referral",
			MinArea: 10000, MaxArea: 30000, Facilities: []string{"bsl2"}, Budget: 55000, ChainNodeID: "biomed.mid.biologics"})
		if err != nil || a.Stage != "new" || a.Probability != 10 || a.OwnerID != w.Users[identity.Leasing].ID {
			t.Fatalf("lead: %+v %v", a, err)
		}
		for _, st := range []leasing.Stage{"contacted", "site_visit"} {
			if a, err = ks.MoveLead(ctx, op, a.ID, leasing.Move{Stage: st}); err != nil {
				t.Fatal(err)
			}
		}
		if a.Probability != 40 {
			t.Fatalf("probability at site visit: %d", a.Probability)
		}
		_, err = ks.MoveLead(ctx, op, a.ID, leasing.Move{Stage: "lost"})
		wantField(t, err, "loss_reason")
		a, err = ks.AddActivity(ctx, op, a.ID, leasing.ActivityInput{Kind: "visit", Text: "看了 3 层实验室", NextFollowUp: civil.SystemClock{}.Today().AddDays(7)})
		if err != nil || a.NextFollowUp != (civil.SystemClock{}).Today().AddDays(7) {
			t.Fatalf("activity: %+v %v", a, err)
		}
		timeline, _ := s.LeadActivities(ctx, op, a.ID)
		if len(timeline) != 3 || timeline[0].Kind != "visit" || timeline[2].ToStage != "contacted" {
			t.Fatalf("timeline: %+v", timeline)
		}
		due, _ := s.ListLeads(ctx, op, leasing.LeadFilter{FollowUpBy: civil.SystemClock{}.Today().AddDays(10)}, page.Request{})
		if len(due.Items) != 1 {
			t.Fatalf("follow-ups due: %d", len(due.Items))
		}

		// Holds: one lead per unit and dates; a held unit cannot be leased by someone else.
		unit := w.Units[0][1].ID
		today := civil.SystemClock{}.Today()
		hold, err := ks.CreateHold(ctx, op, leasing.Hold{LeadID: a.ID, UnitID: unit, From: today, Until: today.AddDays(30)})
		if err != nil || hold.Status != "active" || hold.ParkID != park {
			t.Fatalf("hold: %+v %v", hold, err)
		}
		b, _ := ks.CreateLead(ctx, op, leasing.Lead{ParkID: park, Company: "青穹医疗（演示）"})
		_, err = ks.CreateHold(ctx, op, leasing.Hold{LeadID: b.ID, UnitID: unit, From: today.AddDays(10), Until: today.AddDays(40)})
		e := wantCode(t, err, apperr.Conflict)
		if len(e.Fields) == 0 || e.Fields[0].Field != "unit_id" || !strings.Contains(e.MessageZh, "澄明抗体") {
			t.Fatalf("hold conflict: %+v", e)
		}
		_, err = ks.CreateHold(ctx, op, leasing.Hold{LeadID: b.ID, UnitID: unit, Until: today.AddDays(400)})
		wantField(t, err, "until")
		other := lease(w, "HT-HOLD", unit, today.AddDays(5).String(), today.AddDays(365).String())
		other.Status = leasing.Active
		_, err = ks.Create(ctx, op, other)
		if e := wantCode(t, err, apperr.Conflict); !strings.Contains(e.MessageEn, "held") {
			t.Fatalf("lease over a hold: %+v", e)
		}
		lapsing, _ := s.ListHolds(ctx, op, leasing.HoldFilter{LapsingBy: today.AddDays(31)}, page.Request{})
		if len(lapsing.Items) != 1 {
			t.Fatalf("holds lapsing: %d", len(lapsing.Items))
		}

		// Conversion: enterprise and draft contract without retyping; signing converts the hold.
		res, err := ks.ConvertLead(ctx, op, a.ID, leasing.Conversion{Number: "HT-LEAD-1", CreditCode: CreditCode(55),
			StartOn: today.AddDays(1), EndOn: today.AddMonths(36)})
		if err != nil || res.Lead.Stage != "won" || res.Lead.Probability != 100 || res.ContractID == "" {
			t.Fatalf("convert: %+v %v", res, err)
		}
		k, _ := s.GetContract(ctx, op, res.ContractID)
		ent, _ := s.GetEnterprise(ctx, op, res.EnterpriseID)
		if k.Status != leasing.Draft || len(k.Units) != 1 || k.Units[0].UnitID != unit || k.Price != 55000 || k.LeadID != a.ID ||
			ent.Name != "澄明抗体（演示）" || ent.ChainNodeIDs[0] != "biomed.mid.biologics" {
			t.Fatalf("converted: %+v / %+v", k, ent)
		}
		if _, err := ks.ActivateContract(ctx, op, k.ID); err != nil {
			t.Fatalf("the lead's own hold blocked its lease: %v", err)
		}
		held, _ := s.GetHold(ctx, op, hold.ID)
		if held.Status != "converted" {
			t.Fatalf("hold after signing: %s", held.Status)
		}
		_, err = ks.ConvertLead(ctx, op, a.ID, leasing.Conversion{Number: "again"})
		wantCode(t, err, apperr.Conflict)

		// Losing a lead releases its holds.
		h2, err := ks.CreateHold(ctx, op, leasing.Hold{LeadID: b.ID, UnitID: w.Units[0][2].ID, Until: today.AddDays(20)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ks.MoveLead(ctx, op, b.ID, leasing.Move{Stage: "lost", LossReason: "price"}); err != nil {
			t.Fatal(err)
		}
		if h, _ := s.GetHold(ctx, op, h2.ID); h.Status != "released" {
			t.Fatalf("hold of a lost lead: %s", h.Status)
		}

		// Scope: leads are park-owned.
		_, err = s.GetLead(ctx, w.Scope(identity.EntAdmin), a.ID)
		wantCode(t, err, apperr.NotFound)
		mine, _ := s.ListLeads(ctx, w.Scope(identity.ParkManager), leasing.LeadFilter{}, page.Request{})
		if len(mine.Items) != 2 {
			t.Fatalf("park manager sees %d leads", len(mine.Items))
		}
	})
}

func TestStackPlanStatuses(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ks := ContractsOf(s)
		w := NewWorld(t, s)
		op := w.Scope(identity.Leasing)
		today := civil.SystemClock{}.Today()
		k := lease(w, "HT-STACK", w.Units[0][0].ID, today.AddDays(-100).String(), today.AddDays(30).String())
		k.Status = leasing.Active
		if _, err := ks.Create(ctx, op, k); err != nil {
			t.Fatal(err)
		}
		lead, _ := ks.CreateLead(ctx, op, leasing.Lead{ParkID: w.Parks[0].ID, Company: "预留方（演示）"})
		if _, err := ks.CreateHold(ctx, op, leasing.Hold{LeadID: lead.ID, UnitID: w.Units[0][1].ID, Until: today.AddDays(5)}); err != nil {
			t.Fatal(err)
		}
		status := func(on civil.Date) map[string]string {
			plan, err := s.StackPlan(ctx, op, w.Parks[0].ID, on, leasing.StackFilter{})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, b := range plan.Buildings {
				for _, f := range b.Floors {
					for _, u := range f.Units {
						out[u.Code] = u.Status + "/" + u.Tenant
					}
				}
			}
			return out
		}
		now := status(today)
		if now["A-3-301"] != "expiring/"+w.Enterprises[0].Name || now["A-3-302"] != "held/预留方（演示）" || now["A-3-303"] != "vacant/" {
			t.Fatalf("today: %v", now)
		}
		later := status(today.AddDays(60))
		if later["A-3-301"] != "vacant/" || later["A-3-302"] != "vacant/" {
			t.Fatalf("in 60 days: %v", later)
		}
		_, err := s.StackPlan(ctx, w.Scope(identity.ParkManager), w.Parks[1].ID, today, leasing.StackFilter{})
		wantCode(t, err, apperr.NotFound)
	})
}
