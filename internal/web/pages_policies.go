package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/export"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/policy"
	"github.com/parkos/parkos/internal/servicedesk"
)

func (s *Server) policyRoutes(mux *http.ServeMux) {
	mux.Handle("GET /policies", s.listPage(s.policiesPage))
	mux.Handle("GET /policies/new", s.page(func(rq *request) error { return s.policyForm(rq, "") }))
	mux.Handle("POST /policies/new", s.page(func(rq *request) error { return s.policyForm(rq, "") }))
	mux.Handle("POST /policies/describe", s.page(s.describeRule))
	mux.Handle("GET /policies/totals", s.listPage(func(rq *request) error { return s.policyTotals(rq, "") }))
	mux.Handle("GET /policies/totals.xlsx", s.listPage(func(rq *request) error { return s.policyTotals(rq, "xlsx") }))
	mux.Handle("GET /policies/totals.csv", s.listPage(func(rq *request) error { return s.policyTotals(rq, "csv") }))
	mux.Handle("GET /policies/{id}", s.page(func(rq *request) error { return s.showPolicy(rq, nil) }))
	mux.Handle("GET /policies/{id}/edit", s.page(func(rq *request) error { return s.policyForm(rq, rq.r.PathValue("id")) }))
	mux.Handle("POST /policies/{id}/edit", s.page(func(rq *request) error { return s.policyForm(rq, rq.r.PathValue("id")) }))
	mux.Handle("POST /policies/{id}/act", s.page(s.actOnPolicy))
	mux.Handle("POST /policies/{id}/apply", s.page(s.applyForPolicy))
	mux.Handle("GET /policy-applications", s.listPage(func(rq *request) error { return s.applicationsPage(rq, "") }))
	mux.Handle("GET /policy-applications.xlsx", s.listPage(func(rq *request) error { return s.applicationsPage(rq, "xlsx") }))
	mux.Handle("GET /policy-applications.csv", s.listPage(func(rq *request) error { return s.applicationsPage(rq, "csv") }))
	mux.Handle("GET /policy-applications/{id}", s.page(func(rq *request) error { return s.showApplication(rq, nil) }))
	mux.Handle("POST /policy-applications/{id}/act", s.page(s.actOnApplication))
	mux.Handle("POST /policy-applications/{id}/disburse", s.page(s.disburseApplication))
	mux.Handle("POST /policy-applications/{id}/note", s.page(s.noteOnApplication))
	mux.Handle("POST /policy-applications/{id}/attach", s.page(s.attachToApplication))
	mux.Handle("GET /policy-documents/{id}", s.page(s.downloadDocument))
}

// policiesPage lists the policies the caller sees; an enterprise's users see first the
// policies they meet and those they miss by one condition.
func (s *Server) policiesPage(rq *request) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	f := policy.PolicyFilter{Status: policy.Status(q.Str("status")), ParkID: q.Str("park_id"), Q: q.Str("q")}
	if q.Str("in_force") == "true" || rq.scope.Role.IsEnterprise() {
		f.InForce = s.clock.Today()
	}
	if err := q.Err(); err != nil {
		return err
	}
	list, err := s.svc.Policies.Policies(rq.ctx, rq.scope, f, page.Request{Limit: page.MaxLimit, Sort: "valid_from", Desc: true})
	if err != nil {
		return err
	}
	v := struct {
		Policies []policy.Policy
		ForYou   *policy.ForYou
		CanWrite bool
		Status   string
		Q        string
		InForce  bool
	}{Policies: list.Items, CanWrite: rq.scope.May(identity.ManagePolicies), Status: string(f.Status), Q: f.Q, InForce: !f.InForce.IsZero()}
	if rq.scope.Role.IsEnterprise() {
		mine, err := s.svc.Policies.ForEnterprise(rq.ctx, rq.scope, rq.scope.EnterpriseID)
		if err != nil {
			return err
		}
		v.ForYou = &mine
	}
	s.render(rq, "policies", rq.t("policies.title"), v)
	return nil
}

// policyFormView is the policy editor: the fields, the rule as JSON for the condition builder,
// and the choices the builder offers.
type policyFormView struct {
	Action, Cancel string
	Values         map[string]string
	Bands          string
	ScopeParks     map[string]bool
	Parks          []option
	OwnerParks     []option
	Benefits       []string
	Eligibility    string
	Words          policy.Description
	Builder        ruleBuilder
	Error          string
	Problems       []apperr.FieldError
	AutoGrant      bool
}

// policyForm drafts a new policy or edits one.
func (s *Server) policyForm(rq *request, id string) error {
	if !rq.scope.May(identity.ManagePolicies) {
		return apperr.ErrForbidden()
	}
	var p policy.Policy
	if id != "" {
		var err error
		if p, err = s.svc.Policies.Policy(rq.ctx, rq.scope, id); err != nil {
			return err
		}
	} else {
		p = policy.Policy{Amount: policy.AmountRule{Kind: "fixed"}, Scope: policy.Coverage{Kind: "all"}, Benefit: "subsidy", ValidFrom: s.clock.Today(),
			Eligibility: policy.Condition{Op: "and", Of: []policy.Condition{{Fact: "revenue", Op: "gte", Value: policy.Value(`"10000000"`)}}}}
		if !rq.scope.AllParks() && len(rq.scope.ParkIDs) > 0 {
			p.OwnerParkID, p.Scope = rq.scope.ParkIDs[0], policy.Coverage{Kind: "parks", ParkIDs: rq.scope.ParkIDs[:1]}
		}
	}
	in := newPolicyOf(p)
	var failure error
	if rq.r.Method == http.MethodPost {
		vals, err := rq.formValues()
		if err != nil && !formError(err) {
			return err
		}
		in, failure = policyFromForm(vals)
		if err != nil {
			failure = err
		}
		if id != "" {
			in.OwnerParkID = p.OwnerParkID
		}
		if failure == nil {
			var saved policy.Policy
			if id == "" {
				saved, failure = s.svc.Policies.CreatePolicy(rq.ctx, rq.scope, in)
			} else {
				saved, failure = s.svc.Policies.UpdatePolicy(rq.ctx, rq.scope, id, in)
			}
			if failure == nil {
				return rq.redirect("/policies/" + saved.ID)
			}
		}
		if !formError(failure) && !apperr.Is(failure, apperr.Conflict) {
			return failure
		}
	}
	v, err := s.policyFormView(rq, in)
	if err != nil {
		return err
	}
	v.Action, v.Cancel = "/policies/new", "/policies"
	title := rq.t("policies.new")
	if id != "" {
		v.Action, v.Cancel, title = "/policies/"+id+"/edit", "/policies/"+id, rq.t("policies.edit")
	}
	if failure != nil {
		v.Error = rq.problemText(failure)
		if e, ok := apperr.As(failure); ok {
			v.Problems = e.Fields
		}
		rq.w.WriteHeader(http.StatusUnprocessableEntity)
	}
	s.render(rq, "policy-form", title, v)
	return nil
}

// newPolicyOf is a policy as its editor holds it.
func newPolicyOf(p policy.Policy) policy.NewPolicy {
	return policy.NewPolicy{OwnerParkID: p.OwnerParkID, Title: p.Title, TitleEn: p.TitleEn, Issuer: p.Issuer, DocNumber: p.DocNumber,
		ValidFrom: p.ValidFrom, ValidTo: p.ValidTo, Text: p.Text, Benefit: p.Benefit, Amount: p.Amount, Scope: p.Scope,
		Eligibility: p.Eligibility, FactsYear: p.FactsYear, AutoGrant: p.AutoGrant, BasedOn: p.UpdatedAt}
}

// policyFromForm reads the editor's form; what cannot be read at all is a field error.
func policyFromForm(v values) (policy.NewPolicy, error) {
	var f apperr.Fields
	in := policy.NewPolicy{OwnerParkID: first(v, "owner_park_id"), Title: first(v, "title"), TitleEn: first(v, "title_en"), Issuer: first(v, "issuer"),
		DocNumber: first(v, "doc_number"), Text: first(v, "text"), Benefit: first(v, "benefit"), AutoGrant: first(v, "auto_grant") == "true",
		Scope:  policy.Coverage{Kind: first(v, "scope_kind"), ParkIDs: v["scope_park_ids"], District: first(v, "scope_district")},
		Amount: policy.AmountRule{Kind: first(v, "amount_kind"), Measure: first(v, "amount_measure")}}
	day := func(name string) civil.Date {
		s := first(v, name)
		if s == "" {
			return civil.Date{}
		}
		d, err := civil.Parse(s)
		if err != nil {
			f.Add(name, "invalid", "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD")
		}
		return d
	}
	in.ValidFrom, in.ValidTo = day("valid_from"), day("valid_to")
	yuan := func(name string) measure.Money {
		s := strings.TrimSpace(first(v, name))
		if s == "" {
			return 0
		}
		m, err := measure.ParseYuan(s)
		if err != nil {
			f.Add("amount."+name, "invalid", "金额应为数字（元）", "an amount is a number of yuan")
		}
		return m
	}
	in.Amount.Fixed, in.Amount.Floor, in.Amount.Cap = yuan("fixed"), yuan("floor"), yuan("cap")
	if p := strings.TrimSpace(first(v, "percent")); p != "" {
		d, err := measure.ParseDecimal2(p)
		if err != nil {
			f.Add("amount.percent", "invalid", "比例应为数字", "a percentage is a number")
		}
		in.Amount.Percent = d
	}
	for i, line := range strings.Split(first(v, "bands"), "\n") {
		from, amount, ok := strings.Cut(strings.TrimSpace(line), "=")
		if strings.TrimSpace(line) == "" {
			continue
		}
		a, err1 := measure.ParseYuan(strings.TrimSpace(from))
		b, err2 := measure.ParseYuan(strings.TrimSpace(amount))
		if !ok || err1 != nil || err2 != nil {
			f.Add(fmt.Sprintf("amount.bands[%d]", i), "invalid", "每行写“起点=金额”（元）", "write each band as from=amount in yuan")
			continue
		}
		in.Amount.Bands = append(in.Amount.Bands, policy.Band{From: a, Amount: b})
	}
	if y := strings.TrimSpace(first(v, "facts_year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			f.Add("facts_year", "invalid", "年度应为整数", "the year is a whole number")
		}
		in.FactsYear = n
	}
	if err := json.Unmarshal([]byte(first(v, "eligibility")), &in.Eligibility); err != nil {
		f.Add("eligibility", "invalid", "条件不是有效的 JSON", "the conditions are not valid JSON")
	}
	return in, f.Err()
}

// policyFormView fills the editor from a policy being written.
func (s *Server) policyFormView(rq *request, in policy.NewPolicy) (policyFormView, error) {
	v := policyFormView{Values: map[string]string{"title": in.Title, "title_en": in.TitleEn, "issuer": in.Issuer, "doc_number": in.DocNumber,
		"valid_from": dateText(in.ValidFrom), "valid_to": dateText(in.ValidTo), "text": in.Text, "benefit": in.Benefit,
		"scope_kind": in.Scope.Kind, "scope_district": in.Scope.District, "owner_park_id": in.OwnerParkID,
		"amount_kind": in.Amount.Kind, "amount_measure": in.Amount.Measure, "fixed": moneyText(in.Amount.Fixed),
		"percent": decimalText(in.Amount.Percent), "floor": moneyText(in.Amount.Floor), "cap": moneyText(in.Amount.Cap), "facts_year": yearText(in.FactsYear)},
		ScopeParks: map[string]bool{}, Benefits: policy.BenefitTypes, AutoGrant: in.AutoGrant}
	for _, b := range in.Amount.Bands {
		v.Bands += b.From.String() + "=" + b.Amount.String() + "\n"
	}
	for _, id := range in.Scope.ParkIDs {
		v.ScopeParks[id] = true
	}
	rule, _ := json.MarshalIndent(in.Eligibility, "", "  ")
	v.Eligibility = string(rule)
	if words, err := s.svc.Policies.Describe(rq.ctx, rq.scope, in.Eligibility, in.FactsYear); err == nil {
		v.Words = words
	}
	var err error
	if v.Parks, err = rq.parkOptions("", false); err != nil {
		return v, err
	}
	if !rq.scope.AllParks() {
		v.OwnerParks = v.Parks
	}
	nodes, err := rq.chainNodeOptions()
	if err != nil {
		return v, err
	}
	builder := ruleBuilder{Lang: rq.lang, Facts: s.svc.Policies.Facts(), Labels: map[string]string{}, Names: map[string][]choice{}}
	for _, key := range []string{"and", "or", "not", "gte", "gt", "lte", "lt", "eq", "in", "has", "is", "add_condition", "add_group", "remove", "yes", "no", "codes_help"} {
		builder.Labels[key] = rq.t("policies.builder_" + key)
	}
	for _, f := range builder.Facts {
		builder.Labels["fact_"+f.Key] = rq.pick(f.Zh, f.En)
		for _, o := range f.Options {
			label := enumLabel(rq.lang, "stage", o)
			if f.Key == "qualification" {
				label = enumLabel(rq.lang, "qualification_kind", o)
			}
			builder.Names[f.Key] = append(builder.Names[f.Key], choice{Value: o, Label: label})
		}
	}
	for _, o := range v.Parks {
		builder.Names["park"] = append(builder.Names["park"], choice{Value: o.Value, Label: o.Label})
	}
	for _, o := range nodes {
		builder.Names["chain_node"] = append(builder.Names["chain_node"], choice{Value: o.Value, Label: o.Label})
	}
	v.Builder = builder
	return v, nil
}

// ruleBuilder is what the condition builder's script needs: the facts, the words and the
// choices of the list facts, written into the page as JSON.
type ruleBuilder struct {
	Lang   string              `json:"lang"`
	Facts  []policy.Fact       `json:"facts"`
	Labels map[string]string   `json:"labels"`
	Names  map[string][]choice `json:"choices"`
}

type choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

func dateText(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func moneyText(m measure.Money) string {
	if m == 0 {
		return ""
	}
	return m.String()
}

func decimalText(d measure.Decimal2) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// describeRule answers the editor's script with the rule in words, or what is wrong with it.
func (s *Server) describeRule(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var c policy.Condition
	var words policy.Description
	year, _ := strconv.Atoi(first(vals, "facts_year"))
	if err = json.Unmarshal([]byte(first(vals, "eligibility")), &c); err == nil {
		words, err = s.svc.Policies.Describe(rq.ctx, rq.scope, c, year)
	} else {
		err = apperr.FieldProblem("eligibility", "invalid", "条件不是有效的 JSON", "the conditions are not valid JSON")
	}
	v := struct {
		Zh    string `json:"zh"`
		En    string `json:"en"`
		Error string `json:"error,omitempty"`
	}{Zh: words.Zh, En: words.En}
	if err != nil {
		if !formError(err) {
			return err
		}
		v.Error = rq.problemText(err)
	}
	rq.w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(rq.w).Encode(v)
}

// policyView is a policy's page.
type policyView struct {
	P        policy.Policy
	Author   bool
	Matches  *policy.Matches
	Outcome  string
	Prev     string
	Next     string
	Mine     *policy.Match
	Totals   *policy.Totals
	CanApply bool
	Error    string
	Parks    string
}

// showPolicy shows a policy: to its authors and the parks' staff who is eligible and why, and
// its uptake; to an enterprise how it stands and the application form.
func (s *Server) showPolicy(rq *request, failure error) error {
	id := rq.r.PathValue("id")
	p, err := s.svc.Policies.Policy(rq.ctx, rq.scope, id)
	if err != nil {
		return err
	}
	v := policyView{P: p, Author: rq.scope.May(identity.ManagePolicies) && (rq.scope.AllParks() || rq.scope.HasPark(p.OwnerParkID))}
	names := make([]string, 0, len(p.Scope.ParkIDs))
	for _, pid := range p.Scope.ParkIDs {
		names = append(names, rq.parkName(pid))
	}
	v.Parks = strings.Join(names, "、")
	if rq.scope.Role.IsEnterprise() {
		mine, err := s.svc.Policies.ForEnterprise(rq.ctx, rq.scope, rq.scope.EnterpriseID)
		if err != nil {
			return err
		}
		for _, m := range append(mine.Matching, mine.Near...) {
			if m.PolicyID == id {
				v.Mine = &m
			}
		}
		v.CanApply = p.InForce(s.clock.Today()) && !p.AutoGrant && (v.Mine == nil || v.Mine.Application == "")
	} else {
		q := httpin.NewQuery(rq.r.URL.Query())
		mq := policy.MatchQuery{Outcome: policy.Outcome(q.Str("outcome")), Offset: q.Int("offset"), Limit: 50}
		if err := q.Err(); err != nil {
			return err
		}
		m, err := s.svc.Policies.Matches(rq.ctx, rq.scope, id, mq)
		if err != nil {
			return err
		}
		v.Matches, v.Outcome = &m, string(mq.Outcome)
		if v.Outcome == "" {
			v.Outcome = "met"
		}
		if m.Offset > 0 {
			v.Prev = fmt.Sprintf("?outcome=%s&offset=%d", v.Outcome, max(m.Offset-50, 0))
		}
		if m.Offset+len(m.Items) < m.Total {
			v.Next = fmt.Sprintf("?outcome=%s&offset=%d", v.Outcome, m.Offset+50)
		}
		t, err := s.svc.Policies.Totals(rq.ctx, rq.scope, "policy", policy.AppFilter{PolicyID: id})
		if err != nil {
			return err
		}
		v.Totals = &t
	}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(httpx.StatusOf(failure))
	}
	s.render(rq, "policy", p.Title, v)
	return nil
}

func (s *Server) actOnPolicy(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	id := rq.r.PathValue("id")
	switch first(vals, "action") {
	case "publish":
		_, err = s.svc.Policies.Publish(rq.ctx, rq.scope, id)
	case "withdraw":
		_, err = s.svc.Policies.Withdraw(rq.ctx, rq.scope, id)
	case "confirm_all":
		_, err = s.svc.Policies.ConfirmAll(rq.ctx, rq.scope, id)
	default:
		err = apperr.FieldProblem("action", "unknown_value", "未知操作", "unknown action")
	}
	return rq.outcome(err, func(err error) error { return s.showPolicy(rq, err) }, "/policies/"+id)
}

func (s *Server) applyForPolicy(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	id := rq.r.PathValue("id")
	in := policy.NewApplication{PolicyID: id, Statement: first(vals, "statement"), Submit: first(vals, "submit") == "true"}
	if r := strings.TrimSpace(first(vals, "requested")); r != "" {
		if in.Requested, err = measure.ParseYuan(r); err != nil {
			return s.showPolicy(rq, apperr.FieldProblem("requested", "invalid", "金额应为数字（元）", "an amount is a number of yuan"))
		}
	}
	a, err := s.svc.Policies.Apply(rq.ctx, rq.scope, in)
	return rq.outcome(err, func(err error) error { return s.showPolicy(rq, err) }, "/policy-applications/"+a.ID)
}

// applicationView is an application's page.
type applicationView struct {
	A     policy.ApplicationDetail
	Can   map[string]bool
	Error string
	Types string
	Today string
}

func (s *Server) showApplication(rq *request, failure error) error {
	d, err := s.svc.Policies.Application(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	v := applicationView{A: d, Can: map[string]bool{}, Types: strings.Join(servicedesk.AttachmentTypes(), ", "), Today: s.clock.Today().String()}
	for _, a := range d.Actions {
		v.Can[a] = true
	}
	v.Can["attach"] = rq.scope.EnterpriseID == d.EnterpriseID || v.Can["approve"] || v.Can["disburse"] || v.Can["reject"]
	v.Can["note"] = len(d.Notes) > 0 || v.Can["approve"] || v.Can["disburse"] || v.Can["reject"] || v.Can["confirm"]
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(httpx.StatusOf(failure))
	}
	s.render(rq, "policy-application", d.PolicyTitle+" · "+d.Enterprise, v)
	return nil
}

// applicationForm runs a form of an application's page.
func (s *Server) applicationForm(rq *request, run func(vals values) error) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	return rq.outcome(run(vals), func(err error) error { return s.showApplication(rq, err) }, "/policy-applications/"+rq.r.PathValue("id"))
}

// yuanField reads an optional amount of a form.
func yuanField(vals values, name string) (measure.Money, error) {
	s := strings.TrimSpace(first(vals, name))
	if s == "" {
		return 0, nil
	}
	m, err := measure.ParseYuan(s)
	if err != nil {
		return 0, apperr.FieldProblem(name, "invalid", "金额应为数字（元）", "an amount is a number of yuan")
	}
	return m, nil
}

func (s *Server) actOnApplication(rq *request) error {
	return s.applicationForm(rq, func(vals values) error {
		amount, err := yuanField(vals, "amount")
		if err != nil {
			return err
		}
		_, err = s.svc.Policies.Act(rq.ctx, rq.scope, rq.r.PathValue("id"), policy.AppAction{Action: first(vals, "action"), Amount: amount, Reason: first(vals, "reason")})
		return err
	})
}

func (s *Server) disburseApplication(rq *request) error {
	return s.applicationForm(rq, func(vals values) error {
		amount, err := yuanField(vals, "amount")
		if err != nil {
			return err
		}
		paid, err := civil.Parse(first(vals, "paid_on"))
		if err != nil {
			return apperr.FieldProblem("paid_on", "invalid", "日期格式应为 YYYY-MM-DD", "a date is YYYY-MM-DD")
		}
		_, err = s.svc.Policies.Disburse(rq.ctx, rq.scope, rq.r.PathValue("id"), policy.NewDisbursement{PaidOn: paid, Amount: amount, Reference: first(vals, "reference")})
		return err
	})
}

func (s *Server) noteOnApplication(rq *request) error {
	return s.applicationForm(rq, func(vals values) error {
		_, err := s.svc.Policies.AddNote(rq.ctx, rq.scope, rq.r.PathValue("id"), policy.NewNote{Body: first(vals, "body")})
		return err
	})
}

func (s *Server) attachToApplication(rq *request) error {
	name, data, err := rq.uploadedFile()
	if err == nil {
		_, err = s.svc.Policies.Attach(rq.ctx, rq.scope, rq.r.PathValue("id"), name, data)
	}
	return rq.outcome(err, func(err error) error { return s.showApplication(rq, err) }, "/policy-applications/"+rq.r.PathValue("id"))
}

func (s *Server) downloadDocument(rq *request) error {
	d, data, err := s.svc.Policies.DocumentData(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return sendFile(rq, d.ContentType, d.Filename, data)
}

// applicationsPage lists applications with filters, and exports them.
func (s *Server) applicationsPage(rq *request, format string) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	f := policy.AppFilter{PolicyID: q.Str("policy_id"), ParkID: q.Str("park_id"), Status: policy.AppStatus(q.Str("status")), Year: q.Int("year")}
	if err := q.Err(); err != nil {
		return err
	}
	apps, err := page.All(func(r page.Request) (page.Page[policy.Application], error) {
		r.Sort, r.Desc = "created", true
		return s.svc.Policies.Applications(rq.ctx, rq.scope, f, r)
	}, 20_000)
	if err != nil {
		return err
	}
	if format != "" {
		t := export.Table{Title: rq.t("policies.applications"), Columns: []export.Column{
			{Header: rq.t("policies.policy"), Kind: export.Text}, {Header: rq.t("policies.enterprise"), Kind: export.Text},
			{Header: rq.t("policies.status"), Kind: export.Text}, {Header: rq.t("policies.estimate"), Kind: export.Yuan},
			{Header: rq.t("policies.approved"), Kind: export.Yuan}, {Header: rq.t("policies.disbursed"), Kind: export.Yuan},
			{Header: rq.t("policies.created"), Kind: export.Text}}}
		for _, a := range apps {
			t.Rows = append(t.Rows, []any{a.PolicyTitle, a.Enterprise, enumLabel(rq.lang, "application_status", string(a.Status)), a.Estimate, a.Approved, a.Disbursed, stamp(a.CreatedAt)})
		}
		t.Sums = []export.Sum{{Label: rq.t("policies.total"), Match: 0, Of: []int{3, 4, 5}}}
		return writeTable(rq, "policy-applications", format, t)
	}
	v := struct {
		Apps     []policy.Application
		Statuses []policy.AppStatus
		Status   string
		PolicyID string
		Query    string
	}{Apps: apps, Statuses: policy.AppStatuses, Status: string(f.Status), PolicyID: f.PolicyID,
		Query: url.Values{"policy_id": {f.PolicyID}, "status": {string(f.Status)}, "park_id": {f.ParkID}}.Encode()}
	s.render(rq, "policy-applications", rq.t("policies.applications"), v)
	return nil
}

// policyTotals shows uptake by policy, park, year or enterprise, and exports it.
func (s *Server) policyTotals(rq *request, format string) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	by := q.Str("by")
	f := policy.AppFilter{ParkID: q.Str("park_id"), Year: q.Int("year")}
	if err := q.Err(); err != nil {
		return err
	}
	totals, err := s.svc.Policies.Totals(rq.ctx, rq.scope, by, f)
	if err != nil {
		return err
	}
	if format != "" {
		t := export.Table{Title: rq.t("policies.totals"), Columns: []export.Column{
			{Header: rq.t("policies.by_" + totals.By), Kind: export.Text}, {Header: rq.t("policies.eligible"), Kind: export.Integer},
			{Header: rq.t("policies.applied"), Kind: export.Integer}, {Header: rq.t("policies.approved_count"), Kind: export.Integer},
			{Header: rq.t("policies.rejected"), Kind: export.Integer}, {Header: rq.t("policies.approved"), Kind: export.Yuan},
			{Header: rq.t("policies.disbursed"), Kind: export.Yuan}}}
		for _, r := range totals.Rows {
			t.Rows = append(t.Rows, []any{r.Name, r.Eligible, r.Applied, r.Approved, r.Rejected, r.ApprovedSum, r.DisbursedSum})
		}
		t.Notes = append(t.Notes, rq.t("policies.totals_note", totals.Total.Enterprises, totals.Total.ApprovedSum.String(), totals.Total.DisbursedSum.String()))
		return writeTable(rq, "policy-totals", format, t)
	}
	v := struct {
		T     policy.Totals
		By    []string
		Query string
	}{T: totals, By: policy.TotalsBy, Query: url.Values{"by": {totals.By}, "park_id": {f.ParkID}, "year": {yearText(f.Year)}}.Encode()}
	s.render(rq, "policy-totals", rq.t("policies.totals"), v)
	return nil
}
