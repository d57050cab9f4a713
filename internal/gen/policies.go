package gen

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/policy"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// policyFactYears is how many years of figures the matcher keeps per enterprise.
const policyFactYears = 5

// policyDay is the generator's "today" for policies: figures of 2025 are read.
var policyDay = civil.Of(2026, 6, 30)

// policyTemplates are the shapes of generated rules: a figure threshold, a qualification, an
// industry, founders, combined with and / or / not.
var policyTemplates = []string{
	`{"op":"and","of":[{"fact":"revenue","op":"gte","value":"%d"},{"fact":"qualification","op":"has","value":["high_tech","tech_sme"]}]}`,
	`{"op":"and","of":[{"fact":"rd_intensity","op":"gte","value":"%d"},{"op":"or","of":[{"fact":"industry","op":"in","value":["27","35"]},{"fact":"industry","op":"in","value":["65"]}]}]}`,
	`{"op":"and","of":[{"fact":"revenue_growth","op":"gte","value":"%d"},{"fact":"employees","op":"gte","value":50}]}`,
	`{"op":"or","of":[{"fact":"scientist_founded","op":"is","value":true},{"op":"and","of":[{"fact":"returnee_founded","op":"is","value":true},{"fact":"employees","op":"gte","value":%d}]}]}`,
	`{"op":"and","of":[{"fact":"age_years","op":"lte","value":%d},{"op":"not","of":[{"fact":"stage","op":"in","value":["moved_out","graduated"]}]}]}`,
}

var (
	policyCols = []string{"id", "owner_park_id", "title", "title_en", "issuer", "doc_number", "valid_from", "valid_to", "body", "benefit",
		"amount_json", "scope_kind", "scope_district", "eligibility_json", "facts_year", "auto_grant", "status", "created_by", "published_at", "created_at", "updated_at"}
	applicationCols = []string{"id", "policy_id", "enterprise_id", "park_id", "status", "auto", "statement", "requested", "estimate", "approved",
		"disbursed", "reason", "created_by", "submitted_at", "decided_by", "decided_at", "created_at", "updated_at"}
)

// policies publishes the scale's policies (§8 at beijing scale: 200 for every park), writes who
// each finds eligible on the generator's day as the matcher would, and the scale's applications
// (50,000 at beijing) across their states with payments. The matcher's list of changed
// enterprises is emptied: everything is judged here.
func (g *generator) policies() error {
	plan := g.scale.Policies
	facts, err := g.st.PolicyFacts(g.ctx, identity.System(), policy.Coverage{Kind: "all"}, "", []int{policyDay.Year() - 1, policyDay.Year() - 2})
	if err != nil {
		return err
	}
	parkOf := map[string]string{}
	factsOf := map[string][]policy.Facts{}
	for _, f := range facts {
		parkOf[f.EnterpriseID] = f.ParkID
		factsOf[f.ParkID] = append(factsOf[f.ParkID], f)
	}
	now := g.stamp()
	var policies, policyParks, matches, apps, payments [][]any
	type eligible struct {
		policy   string
		ents     []string
		estimate map[string]measure.Money
	}
	var all []eligible
	for i := range plan.Count {
		rule := fmt.Sprintf(policyTemplates[i%len(policyTemplates)], []int{5_000_000 + 100_000*i, 3 + i%10, 5 + i%20, 50 + i%100, 3 + i%8}[i%len(policyTemplates)])
		var c policy.Condition
		if err := json.Unmarshal([]byte(rule), &c); err != nil {
			return err
		}
		p := policy.Policy{ID: g.id(), Title: fmt.Sprintf("产业支持政策 %03d（生成）", i+1), Issuer: "园区主管部门", ValidFrom: civil.Of(2026, 1, 1),
			Benefit: policy.BenefitTypes[i%len(policy.BenefitTypes)], Scope: policy.Coverage{Kind: "all"}, Eligibility: c, Status: policy.Published,
			Amount: policy.AmountRule{Kind: "percent", Percent: measure.Decimal2(100 + 100*(i%10)), Measure: "rd_expense", Floor: measure.Yuan(50_000), Cap: measure.Yuan(2_000_000)}}
		if i%4 == 0 {
			p.Amount = policy.AmountRule{Kind: "fixed", Fixed: measure.Yuan(int64(100_000 * (1 + i%10)))}
		}
		covered := facts
		if plan.ParksEach > 0 {
			// Policy i covers the ParksEach parks from its share of the list on, so every park
			// is covered by about as many policies.
			p.Scope, covered = policy.Coverage{Kind: "parks"}, nil
			for j := range plan.ParksEach {
				park := g.parkIDs[(i*len(g.parkIDs)/plan.Count+j)%len(g.parkIDs)]
				p.Scope.ParkIDs = append(p.Scope.ParkIDs, park)
				policyParks = append(policyParks, []any{p.ID, park})
				covered = append(covered, factsOf[park]...)
			}
		}
		amount, _ := json.Marshal(p.Amount)
		policies = append(policies, []any{p.ID, nil, p.Title, "", p.Issuer, fmt.Sprintf("生成〔2026〕%d号", i+1), p.ValidFrom, nil, "", p.Benefit,
			string(amount), p.Scope.Kind, "", rule, 0, false, string(p.Status), "gen", now, now, now})
		est, err := policy.Eligible(p, covered, policyDay)
		if err != nil {
			return err
		}
		e := eligible{policy: p.ID, estimate: est}
		for id, amount := range est {
			matches = append(matches, []any{p.ID, id, amount, policyDay})
			e.ents = append(e.ents, id)
		}
		slices.Sort(e.ents)
		all = append(all, e)
	}
	statuses := []policy.AppStatus{policy.Disbursed, policy.Disbursed, policy.Approved, policy.Submitted, policy.UnderReview, policy.Rejected, policy.AppDraft, policy.Disbursed}
	// Round the policies, each time taking the next of a policy's eligible enterprises, so no
	// enterprise applies twice to one policy.
	want := plan.Applications
	next := make([]int, len(all))
	for k, dry := 0, 0; len(apps) < want && dry < len(all); k++ {
		pi := k % len(all)
		e := all[pi]
		if next[pi] >= len(e.ents) {
			dry++
			continue
		}
		dry = 0
		ent := e.ents[next[pi]]
		next[pi]++
		st := statuses[k%len(statuses)]
		estimate := e.estimate[ent]
		approved, disbursed := measure.Money(0), measure.Money(0)
		var decided any
		decidedBy := ""
		if st == policy.Approved || st == policy.Disbursed {
			approved, decided, decidedBy = estimate, now, "gen"
		}
		if st == policy.Disbursed {
			disbursed = approved
		}
		if st == policy.Rejected {
			decided, decidedBy = now, "gen"
		}
		var submitted any = now
		if st == policy.AppDraft {
			submitted = nil
		}
		id := g.id()
		apps = append(apps, []any{id, e.policy, ent, nullPark(parkOf[ent]), string(st), false, "", 0, estimate, approved, disbursed, "", "gen",
			submitted, decidedBy, decided, now, now})
		if disbursed > 0 {
			payments = append(payments, []any{g.id(), id, ent, policyDay.AddDays(-k % 150), disbursed, "", "gen", now})
		}
	}
	g.stats.Policies, g.stats.Applications = len(policies), len(apps)
	return g.st.BulkLoad(g.ctx, identity.System(), func(b *sqlstore.Bulk) error {
		if err := b.Insert("policies", policyCols, policies); err != nil {
			return err
		}
		if err := b.Insert("policy_parks", []string{"policy_id", "park_id"}, policyParks); err != nil {
			return err
		}
		if err := b.Insert("policy_matches", []string{"policy_id", "enterprise_id", "estimate", "matched_on"}, matches); err != nil {
			return err
		}
		if err := b.Insert("policy_applications", applicationCols, apps); err != nil {
			return err
		}
		if err := b.Insert("policy_disbursements", []string{"id", "application_id", "enterprise_id", "paid_on", "amount", "reference", "created_by", "created_at"}, payments); err != nil {
			return err
		}
		return b.ForgetStaleFacts()
	})
}

func nullPark(id string) any {
	if id == "" {
		return nil
	}
	return id
}
