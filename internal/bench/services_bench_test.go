package bench

import (
	"context"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/servicedesk"
)

// BenchmarkServiceQueue: a park's staff open their queue — the big park's requests, newest first,
// one page of 50, with the SLA marks.
func BenchmarkServiceQueue(b *testing.B) {
	st := dataset(b)
	park := parkByCode(b, st, "G0000")
	svc := servicedesk.NewService(st, civil.SystemClock{}, nil)
	staff := identity.Scope{Role: identity.ParkManager, ParkIDs: []string{park.ID}, Username: "pm-G0000"}
	for b.Loop() {
		p, err := svc.Tickets(context.Background(), staff, servicedesk.Filter{ParkID: park.ID}, page.Request{Limit: 50, Sort: "submitted", Desc: true})
		if err != nil || len(p.Items) == 0 {
			b.Fatalf("queue: %d, %v", len(p.Items), err)
		}
	}
}

// BenchmarkServiceReportAllParks: the authority's report by park over two years of every
// park's requests (300,000 at beijing scale), with the monthly trend.
func BenchmarkServiceReportAllParks(b *testing.B) {
	st := dataset(b)
	svc := servicedesk.NewService(st, civil.SystemClock{}, nil)
	q := servicedesk.ReportQuery{Kind: servicedesk.Request, By: "park", From: civil.Of(2024, 1, 1), To: civil.Of(2025, 12, 1)}
	for b.Loop() {
		rep, err := svc.Report(context.Background(), identity.Scope{Role: identity.Authority}, q)
		if err != nil || rep.Total.Volume == 0 {
			b.Fatalf("report: %d, %v", rep.Total.Volume, err)
		}
	}
}

// BenchmarkSubmitRequest: an enterprise files a request through the service — category, SLA
// clocks on the park's calendar, routing, the insert and its audit entry.
func BenchmarkSubmitRequest(b *testing.B) {
	st := dataset(b)
	ctx := context.Background()
	ents, err := st.ListEnterprises(ctx, identity.System(), enterprise.Filter{}, page.Request{Limit: 1})
	if err != nil || len(ents.Items) == 0 {
		b.Fatalf("enterprises: %v", err)
	}
	svc := servicedesk.NewService(st, civil.SystemClock{}, nil)
	tenant := identity.Scope{Role: identity.EntAdmin, EnterpriseID: ents.Items[0].ID, Username: "bench"}
	for b.Loop() {
		if _, err := svc.Submit(ctx, tenant, servicedesk.Request, servicedesk.NewTicket{CategoryID: "svc-legal", Title: "合同审查", Body: "压测"}); err != nil {
			b.Fatal(err)
		}
	}
}
