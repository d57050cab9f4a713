package bench

import (
	"context"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/policy"
)

// BenchmarkMatchPolicyAllEnterprises: the authority asks who meets one policy covering every
// park — every enterprise's facts read (profile, stays, qualifications, two years of figures),
// the rule judged for each, the eligible counted with their estimates and a page explained
// condition by condition (§8; target < 500 ms at 50,000 enterprises).
func BenchmarkMatchPolicyAllEnterprises(b *testing.B) {
	st := dataset(b)
	ctx := context.Background()
	svc := policy.NewService(st, civil.FixedClock(civil.Of(2026, 6, 30)), nil)
	list, err := svc.Policies(ctx, identity.System(), policy.PolicyFilter{}, page.Request{Limit: 1, Sort: "title"})
	if err != nil || len(list.Items) == 0 {
		b.Fatalf("no generated policy: %v", err)
	}
	authority := identity.Scope{Role: identity.Authority, Username: "bench"}
	for b.Loop() {
		m, err := svc.Matches(ctx, authority, list.Items[0].ID, policy.MatchQuery{})
		if err != nil || m.Judged == 0 {
			b.Fatalf("matches: %d judged, %v", m.Judged, err)
		}
	}
}

// BenchmarkPoliciesForOneEnterprise: every policy in force judged again for one enterprise — what
// an approved report or a new qualification sets off, and the enterprise's "policies for you"
// (target < 20 ms with 200 policies).
func BenchmarkPoliciesForOneEnterprise(b *testing.B) {
	st := dataset(b)
	ctx := context.Background()
	svc := policy.NewService(st, civil.FixedClock(civil.Of(2026, 6, 30)), nil)
	apps, err := svc.Applications(ctx, identity.System(), policy.AppFilter{}, page.Request{Limit: 1})
	if err != nil || len(apps.Items) == 0 {
		b.Fatalf("no generated application: %v", err)
	}
	tenant := identity.Scope{Role: identity.EntAdmin, EnterpriseID: apps.Items[0].EnterpriseID, Username: "bench"}
	for b.Loop() {
		mine, err := svc.ForEnterprise(ctx, tenant, "")
		if err != nil || len(mine.Matching)+len(mine.Near) == 0 {
			b.Fatalf("for you: %+v, %v", mine, err)
		}
	}
}
