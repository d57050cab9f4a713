package api

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/policy"
)

// everyone is a rule every enterprise meets.
var everyone = policy.Condition{Op: "or", Of: []policy.Condition{
	{Fact: "scientist_founded", Op: "is", Value: policy.Value("true")},
	{Fact: "scientist_founded", Op: "is", Value: policy.Value("false")}}}

// fixturePolicies numbers the fixture's policies, so each has its own title.
var fixturePolicies int

// policyBody is a valid new policy as the API takes it: the authority's, for every park, a
// fixed 100,000 yuan to every enterprise.
func policyBody(title string) map[string]any {
	var rule any
	b, _ := json.Marshal(everyone)
	_ = json.Unmarshal(b, &rule)
	return map[string]any{"title": title, "issuer": "中关村管委会", "valid_from": "2020-01-01", "benefit": "subsidy",
		"amount": map[string]any{"kind": "fixed", "fixed": "100000.00"}, "scope": map[string]any{"kind": "all"}, "eligibility": rule}
}

// policyApplication publishes a policy of park i for park i and applies to it for enterprise i
// with a document attached, returning the policy, the application and the document.
func policyApplication(t *testing.T, e *env, i int) (string, string, string) {
	t.Helper()
	ctx, sys := context.Background(), identity.System()
	svc := e.api.svc.Policies
	fixturePolicies++
	park := e.world.Parks[i].ID
	p, err := svc.CreatePolicy(ctx, sys, policy.NewPolicy{OwnerParkID: park, Title: fmt.Sprintf("入驻补贴 %d", fixturePolicies), Issuer: "园区运营方",
		ValidFrom: civil.Of(2020, 1, 1), Benefit: "rent_subsidy", Amount: policy.AmountRule{Kind: "fixed", Fixed: measure.Yuan(50000)},
		Scope: policy.Coverage{Kind: "parks", ParkIDs: []string{park}}, Eligibility: everyone})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, sys, p.ID); err != nil {
		t.Fatal(err)
	}
	tenant := identity.Scope{Role: identity.EntAdmin, Username: "fixture_tenant", EnterpriseID: e.world.Enterprises[i].ID}
	a, err := svc.Apply(ctx, tenant, policy.NewApplication{PolicyID: p.ID, Statement: "申请入驻补贴"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.Attach(ctx, tenant, a.ID, "lease.txt", []byte("租赁合同摘要"))
	if err != nil {
		t.Fatal(err)
	}
	return p.ID, a.ID, d.ID
}

// approvedApplication is policyApplication's application, submitted and approved by the park.
func approvedApplication(t *testing.T, e *env, i int) string {
	t.Helper()
	ctx := context.Background()
	_, app, _ := policyApplication(t, e, i)
	tenant := identity.Scope{Role: identity.EntAdmin, Username: "fixture_tenant", EnterpriseID: e.world.Enterprises[i].ID}
	manager := identity.Scope{Role: identity.ParkManager, Username: "fixture_manager", ParkIDs: []string{e.world.Parks[i].ID}}
	for _, step := range []struct {
		sc identity.Scope
		a  policy.AppAction
	}{{tenant, policy.AppAction{Action: "submit"}}, {manager, policy.AppAction{Action: "approve"}}} {
		if _, err := e.api.svc.Policies.Act(ctx, step.sc, app, step.a); err != nil {
			t.Fatal(err)
		}
	}
	return app
}
