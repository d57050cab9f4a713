package policy

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
)

// Service owns the policy rules.
type Service struct {
	st     Store
	clock  civil.Clock
	notify Notifier
}

// NewService builds the policy service.
func NewService(st Store, clock civil.Clock, n Notifier) *Service {
	return &Service{st: st, clock: clock, notify: n}
}

// Facts is the catalog of facts conditions may read.
func (s *Service) Facts() []Fact { return Catalog }

// mayAuthor: the authority writes policies for any parks; a park manager for its own park.
func mayAuthor(sc identity.Scope, ownerParkID string) bool {
	if !sc.May(identity.ManagePolicies) {
		return false
	}
	if sc.AllParks() {
		return true
	}
	return ownerParkID != "" && slices.Contains(sc.ParkIDs, ownerParkID)
}

// validate checks a policy's own fields and compiles its rule.
func (n NewPolicy) validate(sc identity.Scope) (*rule, error) {
	var f apperr.Fields
	check.Field(&f, "title", n.Title, true, 200)
	check.Field(&f, "title_en", n.TitleEn, false, 200)
	check.Field(&f, "issuer", n.Issuer, true, 200)
	check.Field(&f, "doc_number", n.DocNumber, false, 100)
	check.Field(&f, "text", n.Text, false, 50_000)
	if n.ValidFrom.IsZero() {
		f.Required("valid_from")
	}
	if !n.ValidTo.IsZero() && n.ValidTo.Before(n.ValidFrom) {
		f.Add("valid_to", "before_start", "失效日期早于生效日期", "valid_to is before valid_from")
	}
	if !slices.Contains(BenefitTypes, n.Benefit) {
		f.Add("benefit", "unknown_value", "取值不在允许范围内", "value is not one of those allowed")
	}
	if n.FactsYear != 0 && (n.FactsYear < 2000 || n.FactsYear > 2100) {
		f.Add("facts_year", "out_of_range", "年度应在 2000–2100 之间", "the year must be between 2000 and 2100")
	}
	n.Amount.Validate(&f, "amount")
	switch n.Scope.Kind {
	case "all":
	case "parks":
		if len(n.Scope.ParkIDs) == 0 || len(n.Scope.ParkIDs) > 500 {
			f.Add("scope.park_ids", "count", "请选择 1–500 个园区", "choose 1 to 500 parks")
		}
	case "district":
		check.Field(&f, "scope.district", n.Scope.District, true, 100)
	default:
		f.Add("scope.kind", "unknown_value", "适用范围应为 all、parks 或 district", "scope.kind is all, parks or district")
	}
	if n.OwnerParkID != "" && (n.Scope.Kind != "parks" || len(n.Scope.ParkIDs) != 1 || n.Scope.ParkIDs[0] != n.OwnerParkID) {
		f.Add("scope.park_ids", "owner_park", "园区发布的政策只适用于本园区", "a park's own policy covers that park only")
	}
	if !sc.AllParks() && n.OwnerParkID == "" {
		f.Required("owner_park_id")
	}
	r, err := compile(n.Eligibility, "eligibility")
	if e, ok := apperr.As(err); ok {
		f = append(f, e.Fields...)
	}
	return r, f.Err()
}

// resolve checks every id the policy names in the caller's scope.
func (s *Service) resolve(ctx context.Context, sc identity.Scope, n NewPolicy) error {
	var f apperr.Fields
	parks := slices.Clone(n.Scope.ParkIDs)
	if n.OwnerParkID != "" {
		parks = append(parks, n.OwnerParkID)
	}
	nodes, condParks := n.Eligibility.Refs()
	unseen, err := s.st.UnseenParks(ctx, sc, append(parks, condParks...))
	if err != nil {
		return err
	}
	for _, id := range unseen {
		field := "eligibility"
		switch {
		case id == n.OwnerParkID:
			field = "owner_park_id"
		case slices.Contains(n.Scope.ParkIDs, id):
			field = "scope.park_ids"
		}
		f.Add(field, "not_found", fmt.Sprintf("园区不存在：%q", id), fmt.Sprintf("no such park: %q", id))
	}
	unknown, err := s.st.UnknownChainNodes(ctx, nodes)
	if err != nil {
		return err
	}
	for _, id := range unknown {
		f.Add("eligibility", "not_found", fmt.Sprintf("产业链环节不存在：%q", id), fmt.Sprintf("no such chain node: %q", id))
	}
	return f.Err()
}

// names are the words for the ids a policy names.
func (s *Service) names(ctx context.Context, c Condition) (Names, error) {
	nodes, parks := c.Refs()
	return s.st.NamesOf(ctx, append(nodes, parks...))
}

// Describe says a rule in plain words, as the editor shows it while it is built.
func (s *Service) Describe(ctx context.Context, sc identity.Scope, c Condition, year int) (Description, error) {
	if year == 0 {
		year = s.clock.Today().Year() - 1
	}
	if this := s.clock.Today().Year(); year < 2000 || year > this {
		return Description{}, apperr.FieldProblem("year", "out_of_range", fmt.Sprintf("年度应在 2000–%d 之间", this), fmt.Sprintf("year is 2000 to %d", this))
	}
	if _, err := compile(c, "eligibility"); err != nil {
		return Description{}, err
	}
	if err := s.resolve(ctx, sc, NewPolicy{Eligibility: c}); err != nil {
		return Description{}, err
	}
	names, err := s.names(ctx, c)
	if err != nil {
		return Description{}, err
	}
	zh, en, err := Describe(c, names, year)
	return Description{Zh: zh, En: en, Year: year}, err
}

// Description is a rule in words.
type Description struct {
	Zh   string `json:"zh"`
	En   string `json:"en"`
	Year int    `json:"year"`
}

// fill sets a policy's fields from what the caller wrote, and its rule in words.
func (s *Service) fill(ctx context.Context, p *Policy, n NewPolicy) error {
	p.OwnerParkID, p.Title, p.TitleEn, p.Issuer, p.DocNumber = n.OwnerParkID, strings.TrimSpace(n.Title), strings.TrimSpace(n.TitleEn), strings.TrimSpace(n.Issuer), strings.TrimSpace(n.DocNumber)
	p.ValidFrom, p.ValidTo, p.Text, p.Benefit, p.Amount = n.ValidFrom, n.ValidTo, n.Text, n.Benefit, n.Amount
	p.Scope, p.Eligibility, p.FactsYear, p.AutoGrant = n.Scope, n.Eligibility, n.FactsYear, n.AutoGrant
	if p.Scope.Kind != "parks" {
		p.Scope.ParkIDs = nil
	}
	if p.Scope.Kind != "district" {
		p.Scope.District = ""
	}
	slices.Sort(p.Scope.ParkIDs)
	p.Scope.ParkIDs = slices.Compact(p.Scope.ParkIDs)
	return s.word(ctx, p)
}

// CreatePolicy drafts a policy.
func (s *Service) CreatePolicy(ctx context.Context, sc identity.Scope, n NewPolicy) (Policy, error) {
	if !sc.May(identity.ManagePolicies) {
		return Policy{}, apperr.ErrForbidden()
	}
	if n.OwnerParkID != "" && !mayAuthor(sc, n.OwnerParkID) {
		return Policy{}, apperr.FieldProblem("owner_park_id", "not_found", "园区不存在", "no such park")
	}
	if err := s.resolve(ctx, sc, n); err != nil {
		return Policy{}, err
	}
	if _, err := n.validate(sc); err != nil {
		return Policy{}, err
	}
	now := s.clock.Now()
	p := Policy{ID: s.st.NewID(), Status: Draft, CreatedBy: sc.Username, CreatedAt: now, UpdatedAt: now}
	if err := s.fill(ctx, &p, n); err != nil {
		return Policy{}, err
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertPolicy(ctx, p); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "policy", p.ID, nil, p)
	})
	return p, err
}

// UpdatePolicy rewrites a draft or published policy; a published one is matched again.
func (s *Service) UpdatePolicy(ctx context.Context, sc identity.Scope, id string, n NewPolicy) (Policy, error) {
	return s.change(ctx, sc, id, "update", func(p *Policy) error {
		if p.Status == Withdrawn {
			return apperr.New(apperr.Conflict, "政策已废止，不能修改", "the policy is withdrawn and cannot be changed")
		}
		if err := apperr.UnchangedSince(p.UpdatedAt, n.BasedOn); err != nil {
			return err
		}
		n.OwnerParkID = p.OwnerParkID
		if err := s.resolve(ctx, sc, n); err != nil {
			return err
		}
		if _, err := n.validate(sc); err != nil {
			return err
		}
		return s.fill(ctx, p, n)
	})
}

// Publish puts a draft policy in force (from its start date) and matches it.
func (s *Service) Publish(ctx context.Context, sc identity.Scope, id string) (Policy, error) {
	return s.change(ctx, sc, id, "publish", func(p *Policy) error {
		if p.Status != Draft {
			return apperr.New(apperr.Conflict, "只有草稿可以发布", "only a draft can be published")
		}
		p.Status, p.PublishedAt = Published, s.clock.Now()
		return nil
	})
}

// Withdraw takes a policy out of force; applications already decided stand.
func (s *Service) Withdraw(ctx context.Context, sc identity.Scope, id string) (Policy, error) {
	return s.change(ctx, sc, id, "withdraw", func(p *Policy) error {
		if p.Status != Published {
			return apperr.New(apperr.Conflict, "只有已发布的政策可以废止", "only a published policy can be withdrawn")
		}
		p.Status = Withdrawn
		return nil
	})
}

// change locks a policy its caller may author, lets fn change it, saves it, records it and
// brings its matches up to date.
func (s *Service) change(ctx context.Context, sc identity.Scope, id, action string, fn func(p *Policy) error) (Policy, error) {
	var out Policy
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		old, err := s.st.LockPolicy(ctx, sc, id)
		if err != nil {
			return err
		}
		if !mayAuthor(sc, old.OwnerParkID) {
			return apperr.ErrForbidden()
		}
		p := old
		if err := fn(&p); err != nil {
			return err
		}
		p.UpdatedAt = s.clock.Now()
		if err := s.st.SavePolicy(ctx, p); err != nil {
			return err
		}
		if err := s.st.Record(ctx, sc, action, "policy", id, old, p); err != nil {
			return err
		}
		out = p
		return s.rematch(ctx, p)
	})
	return out, err
}

// Policy reads one policy in the caller's scope.
func (s *Service) Policy(ctx context.Context, sc identity.Scope, id string) (Policy, error) {
	p, err := s.st.GetPolicy(ctx, sc, id)
	if err != nil {
		return p, err
	}
	return p, s.word(ctx, &p)
}

// word sets a policy's rule in words, naming the parks and chain nodes it names.
func (s *Service) word(ctx context.Context, p *Policy) error {
	names, err := s.names(ctx, p.Eligibility)
	if err != nil {
		return err
	}
	p.RuleZh, p.RuleEn, err = Describe(p.Eligibility, names, p.YearOn(s.clock.Today()))
	return err
}

// Policies lists policies in the caller's scope.
func (s *Service) Policies(ctx context.Context, sc identity.Scope, f PolicyFilter, req page.Request) (page.Page[Policy], error) {
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		return page.Page[Policy]{}, apperr.FieldProblem("status", "unknown_value", "取值不在允许范围内", "value is not one of those allowed")
	}
	out, err := s.st.ListPolicies(ctx, sc, f, req)
	for i := range out.Items {
		if err == nil {
			err = s.word(ctx, &out.Items[i])
		}
	}
	return out, err
}

// judged is one enterprise's outcome for a policy.
type judged struct {
	facts    *Facts
	outcome  Outcome
	short    []int
	estimate Estimate
}

// judgeAll judges every fact set against a policy's rule on day.
func judgeAll(p Policy, r *rule, all []Facts, day civil.Date) []judged {
	year := p.YearOn(day)
	out := make([]judged, len(all))
	leaves := make([]Outcome, maxLeaves+1)
	for i := range all {
		j := judge{facts: &all[i], day: day, year: year, leaves: leaves}
		o := j.outcome(r)
		out[i] = judged{facts: &all[i], outcome: o}
		if o == Met {
			out[i].estimate = p.Amount.Estimate(all[i], year)
		} else {
			out[i].short = shortOf(r, leaves[:countLeaves(r)+1])
		}
	}
	return out
}

func countLeaves(r *rule) int {
	if r.fact.Key != "" {
		return r.leaf
	}
	n := 0
	for _, sub := range r.of {
		n = max(n, countLeaves(sub))
	}
	return n
}

// leafRules lists a rule's comparisons by leaf number.
func leafRules(r *rule, into map[int]*rule) {
	if r.fact.Key != "" {
		into[r.leaf] = r
	}
	for _, sub := range r.of {
		leafRules(sub, into)
	}
}

// MatchQuery asks for a page of a policy's matches.
type MatchQuery struct {
	Outcome Outcome // met (default), near, missing, not_met or all
	ParkID  string
	Offset  int
	Limit   int
}

// Matches judges every enterprise the policy covers, in the caller's scope, on today: counts
// of eligible, nearly eligible and undecided, and a page of them explained.
func (s *Service) Matches(ctx context.Context, sc identity.Scope, id string, q MatchQuery) (Matches, error) {
	p, err := s.st.GetPolicy(ctx, sc, id)
	if err != nil {
		return Matches{}, err
	}
	if sc.Role.IsEnterprise() {
		return Matches{}, apperr.ErrForbidden()
	}
	if q.Outcome == "" {
		q.Outcome = Met
	}
	if !slices.Contains([]Outcome{Met, NotMet, Missing, "near", "all"}, q.Outcome) {
		return Matches{}, apperr.FieldProblem("outcome", "unknown_value", "取值应为 met、near、missing、not_met 或 all", "outcome is met, near, missing, not_met or all")
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	q.Offset = max(q.Offset, 0)
	r, err := compile(p.Eligibility, "eligibility")
	if err != nil {
		return Matches{}, err
	}
	day := s.clock.Today()
	year := p.YearOn(day)
	all, err := s.st.PolicyFacts(ctx, sc, p.Scope, "", p.YearsRead(day))
	if err != nil {
		return Matches{}, err
	}
	if q.ParkID != "" {
		all = slices.DeleteFunc(all, func(f Facts) bool { return f.ParkID != q.ParkID && !slices.Contains(f.ParksOn(day), q.ParkID) })
	}
	out := Matches{Policy: p, Day: day.String(), Year: year, Judged: len(all), Offset: q.Offset, Items: []Match{}}
	var picked []judged
	for _, j := range judgeAll(p, r, all, day) {
		near := j.outcome != Met && len(j.short) > 0
		switch {
		case j.outcome == Met:
			out.Eligible++
			out.EstimateTotal += j.estimate.Amount
		case j.outcome == Missing:
			out.Missing++
		}
		if near {
			out.Near++
		}
		if q.Outcome == "all" || q.Outcome == j.outcome || q.Outcome == "near" && near {
			picked = append(picked, j)
		}
	}
	slices.SortFunc(picked, func(a, b judged) int {
		return cmp.Or(cmp.Compare(a.facts.Name, b.facts.Name), cmp.Compare(a.facts.EnterpriseID, b.facts.EnterpriseID))
	})
	out.Total = len(picked)
	picked = picked[min(q.Offset, len(picked)):min(q.Offset+q.Limit, len(picked))]
	ids := make([]string, len(picked))
	for i, j := range picked {
		ids[i] = j.facts.EnterpriseID
	}
	live, err := s.st.LiveApplications(ctx, p.ID, ids)
	if err != nil {
		return Matches{}, err
	}
	names, err := s.names(ctx, p.Eligibility)
	if err != nil {
		return Matches{}, err
	}
	for _, j := range picked {
		m := s.explain(p, r, *j.facts, day, names)
		m.Application = live[m.EnterpriseID]
		out.Items = append(out.Items, m)
	}
	return out, nil
}

// explain is one enterprise's full judgement of a policy.
func (s *Service) explain(p Policy, r *rule, f Facts, day civil.Date, names Names) Match {
	year := p.YearOn(day)
	leaves := make([]Outcome, maxLeaves+1)
	j := judge{facts: &f, day: day, year: year, leaves: leaves}
	m := Match{PolicyID: p.ID, PolicyTitle: p.Title, EnterpriseID: f.EnterpriseID, Enterprise: f.Name, ParkID: f.ParkID, Year: year,
		Explanation: j.explain(r, names)}
	m.Outcome = j.outcome(r)
	if m.Outcome == Met {
		m.Estimate = p.Amount.Estimate(f, year)
		return m
	}
	byLeaf := map[int]*rule{}
	leafRules(r, byLeaf)
	for _, n := range shortOf(r, leaves[:countLeaves(r)+1]) {
		zh, en := describe(byLeaf[n], names, year)
		m.ShortZh, m.ShortEn = append(m.ShortZh, zh), append(m.ShortEn, en)
	}
	return m
}

// ForEnterprise are the policies in force for an enterprise: those it meets and those it
// nearly meets, each explained.
func (s *Service) ForEnterprise(ctx context.Context, sc identity.Scope, enterpriseID string) (ForYou, error) {
	if sc.Role.IsEnterprise() && enterpriseID == "" {
		enterpriseID = sc.EnterpriseID
	}
	e, err := s.st.GetEnterprise(ctx, sc, enterpriseID)
	if err != nil {
		return ForYou{}, err
	}
	day := s.clock.Today()
	out := ForYou{EnterpriseID: e.ID, Enterprise: e.Name, Day: day.String(), Matching: []Match{}, Near: []Match{}}
	policies, err := s.st.PublishedPolicies(ctx)
	if err != nil {
		return out, err
	}
	policies = slices.DeleteFunc(policies, func(p Policy) bool { return !p.InForce(day) })
	f, districts, err := s.factsOf(ctx, e.ID, policies, day)
	if err != nil || f == nil {
		return out, err
	}
	policies = slices.DeleteFunc(policies, func(p Policy) bool { return !p.Scope.covers(*f, districts) })
	// One read each for the names every rule mentions and the enterprise's applications.
	var refs []string
	for _, p := range policies {
		nodes, parks := p.Eligibility.Refs()
		refs = append(append(refs, nodes...), parks...)
	}
	slices.Sort(refs)
	names, err := s.st.NamesOf(ctx, slices.Compact(refs))
	if err != nil {
		return out, err
	}
	live, err := s.st.LiveApplicationsOf(ctx, e.ID)
	if err != nil {
		return out, err
	}
	for _, p := range policies {
		r, err := compile(p.Eligibility, "eligibility")
		if err != nil {
			return out, err
		}
		m := s.explain(p, r, *f, day, names)
		m.Application = live[p.ID]
		if m.Outcome == Met {
			out.Matching = append(out.Matching, m)
		} else if len(m.ShortZh) > 0 {
			out.Near = append(out.Near, m)
		}
	}
	return out, nil
}

// factsOf reads one enterprise's facts once for several policies — every year of figures they
// read — and the districts of its parks, for their coverage.
func (s *Service) factsOf(ctx context.Context, enterpriseID string, policies []Policy, day civil.Date) (*Facts, map[string]string, error) {
	var years []int
	for _, p := range policies {
		years = append(years, p.YearsRead(day)...)
	}
	slices.Sort(years)
	facts, err := s.st.PolicyFacts(ctx, identity.System(), Coverage{Kind: "all"}, enterpriseID, slices.Compact(years))
	if err != nil || len(facts) == 0 {
		return nil, nil, err
	}
	districts, err := s.st.ParkDistricts(ctx, facts[0].parks())
	return &facts[0], districts, err
}

// ForYou are an enterprise's matching and nearly matching policies.
type ForYou struct {
	EnterpriseID string  `json:"enterprise_id"`
	Enterprise   string  `json:"enterprise"`
	Day          string  `json:"day"`
	Matching     []Match `json:"matching"`
	Near         []Match `json:"near"`
}

// rematch judges every enterprise a policy covers and brings its stored matches up to date:
// a new match is told to the enterprise (and, for 免申即享, granted); one no longer eligible is
// dropped. In the transaction of ctx.
func (s *Service) rematch(ctx context.Context, p Policy) error {
	day := s.clock.Today()
	had, err := s.st.Matched(ctx, p.ID)
	if err != nil {
		return err
	}
	now := map[string]judged{}
	if p.InForce(day) {
		r, err := compile(p.Eligibility, "eligibility")
		if err != nil {
			return err
		}
		all, err := s.st.PolicyFacts(ctx, identity.System(), p.Scope, "", p.YearsRead(day))
		if err != nil {
			return err
		}
		for _, j := range judgeAll(p, r, all, day) {
			if j.outcome == Met {
				now[j.facts.EnterpriseID] = j
			}
		}
	}
	for id := range had {
		if _, still := now[id]; !still {
			if err := s.st.DeleteMatch(ctx, p.ID, id); err != nil {
				return err
			}
		}
	}
	ids := make([]string, 0, len(now))
	for id := range now {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		j := now[id]
		before, old := had[id]
		if old && before == j.estimate.Amount {
			continue // unchanged: the nightly rematch of a city writes only what moved
		}
		if err := s.st.SaveMatch(ctx, p.ID, id, j.estimate.Amount, day); err != nil {
			return err
		}
		if !old {
			if err := s.matched(ctx, p, *j.facts, j.estimate); err != nil {
				return err
			}
		}
	}
	return nil
}

// matched tells an enterprise of a policy it newly meets and, for 免申即享, grants it.
func (s *Service) matched(ctx context.Context, p Policy, f Facts, e Estimate) error {
	link := "/policies/" + p.ID
	// A grant needs a sum: without one (figures missing, or below every band) the enterprise is
	// told it qualifies and applies like anyone else.
	if p.AutoGrant && e.Amount > 0 {
		live, err := s.st.LiveApplications(ctx, p.ID, []string{f.EnterpriseID})
		if err != nil {
			return err
		}
		if live[f.EnterpriseID] == "" {
			now := s.clock.Now()
			a := Application{ID: s.st.NewID(), PolicyID: p.ID, EnterpriseID: f.EnterpriseID, ParkID: f.ParkID, Status: Proposed, Auto: true,
				Estimate: e.Amount, Approved: e.Amount, CreatedBy: "system", CreatedAt: now, UpdatedAt: now}
			if err := s.st.InsertApplication(ctx, a); err != nil {
				return err
			}
			if err := s.st.Record(ctx, identity.System(), "grant", "policy_application", a.ID, nil, a); err != nil {
				return err
			}
			link = "/policy-applications/" + a.ID
		}
	}
	if s.notify == nil {
		return nil
	}
	amountZh, amountEn := fmt.Sprintf("预计 %s 元", e.Amount), fmt.Sprintf("estimated %s yuan", e.Amount)
	if e.Amount <= 0 {
		amountZh, amountEn = "金额待核定", "the sum is yet to be set"
	}
	return s.notify.TellEnterprise(ctx, f.EnterpriseID, notify.Message{Kind: "policy_match", Link: link,
		TitleZh: "符合政策：" + p.Title, TitleEn: "A policy you qualify for: " + cmp.Or(p.TitleEn, p.Title),
		BodyZh: fmt.Sprintf("%s 符合《%s》的条件，%s。", f.Name, p.Title, amountZh),
		BodyEn: fmt.Sprintf("%s meets the conditions of %s; %s.", f.Name, cmp.Or(p.TitleEn, p.Title), amountEn)})
}

// Eligible are the enterprises among all that meet p on day, with their estimates: the
// matcher's judgement, for a generator that writes matches in bulk.
func Eligible(p Policy, all []Facts, day civil.Date) (map[string]measure.Money, error) {
	r, err := compile(p.Eligibility, "eligibility")
	if err != nil {
		return nil, err
	}
	out := map[string]measure.Money{}
	for _, j := range judgeAll(p, r, all, day) {
		if j.outcome == Met {
			out[j.facts.EnterpriseID] = j.estimate.Amount
		}
	}
	return out, nil
}
