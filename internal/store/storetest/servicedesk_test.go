package storetest

import (
	"archive/zip"
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/servicedesk"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// movingClock is a clock a test sets: the SLA clocks are checked at chosen instants.
type movingClock struct{ now time.Time }

func (c *movingClock) Today() civil.Date         { return civil.FromTime(c.now) }
func (c *movingClock) Now() time.Time            { return c.now.UTC() }
func (c *movingClock) set(day, hour, minute int) { c.now = at(day, hour, minute) }

func mustOK[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func refusedWith(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

func plainZip() []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	f, _ := z.Create("evil.sh")
	_, _ = f.Write([]byte("echo hi"))
	_ = z.Close()
	return b.Bytes()
}

func pngBytes() []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 2)))
	return b.Bytes()
}

// TestServiceDesk walks a park's service desk through §7 on both engines: the catalog and its
// per-park changes, a repair routed to a team with SLA clocks in working hours, assignment,
// comments, resolution, rating, reopening, a breach and its warning, a priced offering's charge,
// an escalation to the authority, attachments, scope, and the reports and indicators — each
// figure worked by hand.
func TestServiceDesk(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		clock := &movingClock{}
		clock.set(0, 12, 0) // Monday 7 December 2026, noon
		svc := servicedesk.NewService(st, clock, notify.NewService(st, clock.Now))
		park := w.Parks[0].ID
		tenant, staff, servicer := w.Scope(identity.EntAdmin), w.Scope(identity.ParkManager), w.Scope(identity.Service)
		authority := w.Scope(identity.Authority)
		otherTenant := identity.ScopeOf(mustOK[identity.User](t, "other tenant")(AccountsOf(st).CreateUser(ctx, identity.System(),
			identity.UserInput{Username: "other_tenant", Role: identity.EntAdmin, EnterpriseID: w.Enterprises[1].ID, Password: w.Password})))
		otherStaff := identity.ScopeOf(mustOK[identity.User](t, "other staff")(AccountsOf(st).CreateUser(ctx, identity.System(),
			identity.UserInput{Username: "other_staff", Role: identity.ParkManager, ParkIDs: []string{w.Parks[1].ID}, Password: w.Password})))

		// The catalog: §7's defaults, changed for one park only.
		cat := mustOK[servicedesk.Catalog](t, "catalog")(svc.Catalog(ctx, tenant, park))
		if len(cat.Platforms) != len(servicedesk.DefaultPlatforms) || len(cat.Categories) != 11 {
			t.Fatalf("default catalog: %d platforms, %d categories", len(cat.Platforms), len(cat.Categories))
		}
		mustOK[servicedesk.Platform](t, "rename")(svc.SavePlatform(ctx, staff, park, servicedesk.Platform{Code: "hr", System: "enterprise", NameZh: "人才服务", NameEn: "Talent", Active: true}))
		_, err := svc.SavePlatform(ctx, otherStaff, park, servicedesk.Platform{Code: "hr", System: "enterprise", NameZh: "x", NameEn: "x", Active: true})
		refusedWith(t, "another park's staff rename a platform", err, apperr.NotFound)
		_, err = svc.SavePlatform(ctx, tenant, park, servicedesk.Platform{Code: "hr", System: "enterprise", NameZh: "x", NameEn: "x", Active: true})
		refusedWith(t, "a tenant renames a platform", err, apperr.Forbidden)
		if c := mustOK[servicedesk.Catalog](t, "other catalog")(svc.Catalog(ctx, otherTenant, w.Parks[1].ID)); c.Platforms[2].NameZh != "人力资源" {
			t.Errorf("a park's rename leaked into another park: %+v", c.Platforms[2])
		}
		_, err = svc.AddProvider(ctx, staff, servicedesk.NewProvider{ParkID: park, Name: "物业工程部", Kind: "team", Members: []string{w.Users[identity.Leasing].Username}})
		refusedWith(t, "a leasing user as a service team member", err, apperr.Invalid)
		team := mustOK[servicedesk.Provider](t, "team")(svc.AddProvider(ctx, staff, servicedesk.NewProvider{ParkID: park, Name: "物业工程部", Kind: "team",
			Members: []string{servicer.Username}}))
		lawyers := mustOK[servicedesk.Provider](t, "third party")(svc.AddProvider(ctx, staff, servicedesk.NewProvider{ParkID: park, Name: "某律师事务所", Kind: "third_party", Contact: "010-12345678"}))
		_, err = svc.AddCategory(ctx, staff, servicedesk.NewCategory{ParkID: park, Code: "repair", NameZh: "物业报修", NameEn: "Repair", Platform: "property",
			ResponseHours: 3, ResolutionHours: 2, NeedsUnit: true})
		refusedWith(t, "resolution shorter than response", err, apperr.Invalid)
		repair := mustOK[servicedesk.Category](t, "repair")(svc.AddCategory(ctx, staff, servicedesk.NewCategory{ParkID: park, Code: "repair", NameZh: "物业报修",
			NameEn: "Repair", Platform: "property", ResponseHours: 1, ResolutionHours: 4, ProviderID: team.ID, NeedsUnit: true}))
		_, err = svc.AddCategory(ctx, otherStaff, servicedesk.NewCategory{ParkID: w.Parks[1].ID, Code: "x", NameZh: "x", NameEn: "x", Platform: "property",
			ResponseHours: 1, ResolutionHours: 4, ProviderID: team.ID})
		refusedBy(t, "another park's provider in a category", err, "not_found")
		contract := mustOK[servicedesk.Offering](t, "offering")(svc.AddOffering(ctx, staff, servicedesk.NewOffering{ProviderID: lawyers.ID, Platform: "legal",
			Name: "合同审查", Price: measure.Yuan(800), PriceUnit: "item", LeadDays: 3}))
		_, err = svc.AddOffering(ctx, staff, servicedesk.NewOffering{ProviderID: lawyers.ID, Platform: "legal", Name: "x", Price: -1, PriceUnit: "item"})
		refusedWith(t, "a negative price", err, apperr.Invalid)
		cat = mustOK[servicedesk.Catalog](t, "catalog")(svc.Catalog(ctx, tenant, park))
		if len(cat.Categories) != 11 || len(cat.Offerings) != 1 || cat.Platforms[2].NameZh != "人才服务" {
			t.Errorf("changed catalog: %d categories (the park's repair replaces the default), %d offerings, hr named %q", len(cat.Categories), len(cat.Offerings), cat.Platforms[2].NameZh)
		}

		// A repair: it names its unit, is routed to the team, and its clocks run in working
		// hours — submitted Monday 12:00, respond in 1 h (13:00), resolve in 4 h (16:00).
		_, err = svc.Submit(ctx, tenant, servicedesk.Request, servicedesk.NewTicket{CategoryID: repair.ID, Title: "空调不制冷", Body: "A-3-301 空调不制冷"})
		refusedBy(t, "a repair without its unit", err, "required")
		_, err = svc.Submit(ctx, tenant, servicedesk.Request, servicedesk.NewTicket{CategoryID: repair.ID, UnitID: w.Units[1][0].ID, Title: "空调不制冷", Body: "x"})
		refusedBy(t, "a unit of another park", err, "not_found")
		_, err = svc.Submit(ctx, otherTenant, servicedesk.Request, servicedesk.NewTicket{CategoryID: repair.ID, UnitID: w.Units[1][0].ID, Title: "x", Body: "x"})
		refusedBy(t, "another park's category", err, "not_found")
		_, err = svc.Submit(ctx, staff, servicedesk.Request, servicedesk.NewTicket{CategoryID: repair.ID, Title: "x", Body: "x"})
		refusedWith(t, "staff submit an enterprise's request", err, apperr.Forbidden)
		_, err = svc.Submit(ctx, tenant, servicedesk.Request, servicedesk.NewTicket{CategoryID: repair.ID, UnitID: w.Units[0][1].ID, Title: "x", Body: "x"})
		refusedBy(t, "a unit of the park the tenant does not occupy", err, "not_found")
		_, err = svc.Submit(ctx, tenant, servicedesk.Request, servicedesk.NewTicket{CategoryID: repair.ID, UnitID: w.Units[0][0].ID, Title: "  \t", Body: "x"})
		refusedBy(t, "a blank title", err, "required")
		fix := mustOK[servicedesk.Ticket](t, "repair")(svc.Submit(ctx, tenant, servicedesk.Request, servicedesk.NewTicket{CategoryID: repair.ID,
			UnitID: w.Units[0][0].ID, Title: "空调不制冷", Body: "A-3-301 空调不制冷"}))
		if !fix.ResponseDue.Equal(at(0, 13, 0)) || !fix.ResolutionDue.Equal(at(0, 16, 0)) || fix.ProviderID != team.ID || fix.Status != servicedesk.Open ||
			fix.ParkName != w.Parks[0].NameZh || fix.UnitCode != w.Units[0][0].Code {
			t.Errorf("repair: due %s / %s, provider %s, %s", fix.ResponseDue, fix.ResolutionDue, fix.ProviderID, fix.Status)
		}
		if _, err := svc.Ticket(ctx, otherTenant, fix.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another enterprise reads the repair: %v", err)
		}
		if _, err := svc.Ticket(ctx, otherStaff, fix.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another park's staff read the repair: %v", err)
		}
		queue := func(sc identity.Scope, q string) int {
			t.Helper()
			p := mustOK[page.Page[servicedesk.Ticket]](t, q)(svc.Tickets(ctx, sc, servicedesk.Filter{Queue: q}, page.Request{}))
			return len(p.Items)
		}
		if queue(servicer, "team") != 1 || queue(servicer, "mine") != 0 || queue(otherStaff, "all") != 0 || queue(tenant, "all") != 1 {
			t.Errorf("queues before assignment: team %d, mine %d", queue(servicer, "team"), queue(servicer, "mine"))
		}
		inbox := func(sc identity.Scope) int {
			p := mustOK[page.Page[notify.Notification]](t, "inbox")(notify.NewService(st, clock.Now).Inbox(ctx, sc, page.Request{}))
			return len(p.Items)
		}
		if inbox(servicer) != 1 {
			t.Errorf("the team member was told of the repair %d times", inbox(servicer))
		}

		// Assignment: only the park's service staff; it is the response (12:40, on time).
		act := func(sc identity.Scope, id string, a servicedesk.Action) (servicedesk.Ticket, error) {
			return svc.Act(ctx, sc, id, a)
		}
		_, err = act(staff, fix.ID, servicedesk.Action{Action: "assign", Assignee: w.Users[identity.Leasing].Username})
		refusedBy(t, "assign to a leasing user", err, "not_staff")
		_, err = act(tenant, fix.ID, servicedesk.Action{Action: "assign", Assignee: servicer.Username})
		refusedWith(t, "the tenant assigns", err, apperr.Forbidden)
		_, err = act(otherStaff, fix.ID, servicedesk.Action{Action: "assign", Assignee: servicer.Username})
		refusedWith(t, "another park's staff assign", err, apperr.NotFound)
		clock.set(0, 12, 40)
		fix = mustOK[servicedesk.Ticket](t, "assign")(act(staff, fix.ID, servicedesk.Action{Action: "assign", Assignee: strings.ToUpper(servicer.Username)}))
		if fix.Assignee != servicer.Username {
			t.Errorf("the assignee is kept as %q, want the stored %q", fix.Assignee, servicer.Username)
		}
		if fix.Status != servicedesk.Assigned || fix.RespondedAt == nil || !fix.RespondedAt.Equal(at(0, 12, 40)) || queue(servicer, "mine") != 1 {
			t.Errorf("assigned: %s responded %v", fix.Status, fix.RespondedAt)
		}
		if inbox(servicer) != 2 || inbox(tenant) != 1 {
			t.Errorf("after assignment: assignee told %d, tenant %d", inbox(servicer), inbox(tenant))
		}

		// Comments: the tenant writes visible ones only; staff's internal ones stay with staff.
		_, err = svc.Comment(ctx, tenant, fix.ID, servicedesk.NewComment{Body: "x", Internal: true})
		refusedBy(t, "a tenant's internal note", err, "staff_only")
		_, err = svc.Comment(ctx, tenant, fix.ID, servicedesk.NewComment{Body: "a\x00b"})
		refusedBy(t, "a NUL in a comment", err, "nul_byte")
		mustOK[servicedesk.Comment](t, "internal")(svc.Comment(ctx, servicer, fix.ID, servicedesk.NewComment{Body: "压缩机老化，需更换", Internal: true}))
		mustOK[servicedesk.Comment](t, "visible")(svc.Comment(ctx, servicer, fix.ID, servicedesk.NewComment{Body: "师傅 14:00 上门"}))
		trail := mustOK[page.Page[audit.Entry]](t, "tenant's audit")(st.ListAudit(ctx, tenant, audit.Filter{EntityID: fix.ID}, page.Request{Limit: 100}))
		for _, e := range trail.Items {
			if strings.Contains(string(e.After), "压缩机老化") {
				t.Errorf("the tenant reads the internal note in the audit trail: %s", e.After)
			}
		}
		if d := mustOK[servicedesk.Detail](t, "tenant detail")(svc.Ticket(ctx, tenant, fix.ID)); len(d.Comments) != 1 {
			t.Errorf("the tenant sees %d comments, want the visible 1", len(d.Comments))
		}
		if d := mustOK[servicedesk.Detail](t, "staff detail")(svc.Ticket(ctx, staff, fix.ID)); len(d.Comments) != 2 {
			t.Errorf("staff see %d comments, want 2", len(d.Comments))
		}

		// Attachments: a picture is kept; a wrong type, a lie about the type, an empty or too
		// large file are refused; another enterprise cannot fetch it.
		photo := mustOK[servicedesk.Attachment](t, "photo")(svc.Attach(ctx, tenant, fix.ID, "空调.png", pngBytes()))
		for name, c := range map[string]struct {
			file string
			data []byte
			rule string
		}{"an executable": {"a.exe", []byte("MZ"), "refused_type"}, "a text called png": {"a.png", []byte("hello"), "content_mismatch"},
			"an empty file": {"a.pdf", nil, "empty"}, "a plain zip called docx": {"a.docx", plainZip(), "content_mismatch"},
			"UTF-16 text": {"a.txt", []byte("\xff\xfeh\x00i\x00"), "content_mismatch"}} {
			_, err := svc.Attach(ctx, tenant, fix.ID, c.file, c.data)
			refusedBy(t, name, err, c.rule)
		}
		_, err = svc.Attach(ctx, tenant, fix.ID, "big.txt", bytes.Repeat([]byte("a"), servicedesk.MaxAttachment+1))
		refusedWith(t, "a file over 5 MB", err, apperr.TooLarge)
		if _, data, err := svc.AttachmentFile(ctx, staff, photo.ID); err != nil || !bytes.Equal(data, pngBytes()) {
			t.Errorf("staff fetch the photo: %v", err)
		}
		if _, _, err := svc.AttachmentFile(ctx, otherTenant, photo.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another enterprise fetches the photo: %v", err)
		}

		// Resolved at 15:30 (on time), rated, closed; a rating out of range or twice is refused.
		_, err = svc.Rate(ctx, tenant, fix.ID, servicedesk.Rating{Rating: 5})
		refusedWith(t, "rating unresolved work", err, apperr.Conflict)
		clock.set(0, 15, 30)
		mustOK[servicedesk.Ticket](t, "start")(act(servicer, fix.ID, servicedesk.Action{Action: "start"}))
		fix = mustOK[servicedesk.Ticket](t, "resolve")(act(servicer, fix.ID, servicedesk.Action{Action: "resolve", Note: "已更换压缩机"}))
		if fix.Status != servicedesk.Resolved || fix.ResponseBreached || fix.ResolutionBreached {
			t.Errorf("resolved on time: %+v", fix)
		}
		for _, r := range []int{0, 6, -1} {
			_, err := svc.Rate(ctx, tenant, fix.ID, servicedesk.Rating{Rating: r})
			refusedBy(t, "rating out of 1–5", err, "out_of_range")
		}
		_, err = svc.Rate(ctx, otherTenant, fix.ID, servicedesk.Rating{Rating: 5})
		refusedWith(t, "another enterprise rates", err, apperr.NotFound)
		fix = mustOK[servicedesk.Ticket](t, "rate")(svc.Rate(ctx, tenant, fix.ID, servicedesk.Rating{Rating: 4, Comment: "及时"}))
		if fix.Status != servicedesk.Closed || fix.Rating != 4 {
			t.Errorf("rated: %s %d", fix.Status, fix.Rating)
		}
		_, err = svc.Rate(ctx, tenant, fix.ID, servicedesk.Rating{Rating: 5})
		refusedWith(t, "rating twice", err, apperr.Conflict)
		_, err = act(tenant, fix.ID, servicedesk.Action{Action: "reopen"})
		refusedBy(t, "reopen without a reason", err, "required")
		fix = mustOK[servicedesk.Ticket](t, "reopen")(act(tenant, fix.ID, servicedesk.Action{Action: "reopen", Note: "又坏了"}))
		if fix.Status != servicedesk.Assigned || fix.Reopened != 1 || fix.ResolvedAt != nil {
			t.Errorf("reopened: %s %d %v", fix.Status, fix.Reopened, fix.ResolvedAt)
		}
		clock.set(1, 10, 0) // Tuesday 10:00: two working hours past 16:00 Monday
		fix = mustOK[servicedesk.Ticket](t, "resolve again")(act(servicer, fix.ID, servicedesk.Action{Action: "resolve"}))
		if !fix.ResolutionBreached || fix.ResponseBreached || fix.Rating != 0 {
			t.Errorf("resolved again after the due: breaches %v / %v, rating %d (cleared by the reopening)", fix.ResponseBreached, fix.ResolutionBreached, fix.Rating)
		}
		fix = mustOK[servicedesk.Ticket](t, "rate again")(svc.Rate(ctx, tenant, fix.ID, servicedesk.Rating{Rating: 4, Comment: "第二次修好了"}))

		// A priced offering is charged once, on resolution.
		review := mustOK[servicedesk.Ticket](t, "review")(svc.Submit(ctx, tenant, servicedesk.Request, servicedesk.NewTicket{CategoryID: "svc-legal",
			OfferingID: contract.ID, Title: "合同审查", Body: "租赁合同"}))
		if review.ProviderID != lawyers.ID || review.Platform != "legal" || !review.ResolutionDue.Equal(at(3, 16, 0)) {
			t.Errorf("review: provider %s platform %s due %s", review.ProviderID, review.Platform, review.ResolutionDue)
		}
		mustOK[servicedesk.Ticket](t, "resolve review")(act(staff, review.ID, servicedesk.Action{Action: "resolve"}))
		charges := mustOK[[]booking.Charge](t, "charges")(booking.NewService(st, clock, nil).Charges(ctx, tenant, w.Enterprises[0].ID))
		if len(charges) != 1 || charges[0].Amount != measure.Yuan(800) || charges[0].Source != "service_request" || charges[0].SourceID != review.ID {
			t.Errorf("charges: %+v", charges)
		}

		// A breach and its warning: a policy question of Tuesday 10:00, due in 4 and 24 working
		// hours (Tuesday 14:00, Thursday 16:00).
		late := mustOK[servicedesk.Ticket](t, "late")(svc.Submit(ctx, tenant, servicedesk.Request, servicedesk.NewTicket{CategoryID: "svc-policy", Title: "高企认定", Body: "?"}))
		if !late.ResponseDue.Equal(at(1, 14, 0)) || !late.ResolutionDue.Equal(at(3, 16, 0)) {
			t.Errorf("policy question due %s / %s", late.ResponseDue, late.ResolutionDue)
		}
		clock.set(3, 15, 30)
		warner := servicedesk.NewService(st, clock, notify.NewService(st, clock.Now))
		if n, err := warner.WarnDueSoon(ctx); err != nil || n != 1 {
			t.Errorf("warned %d (%v), want 1", n, err)
		}
		if n, _ := warner.WarnDueSoon(ctx); n != 0 {
			t.Errorf("warned again: %d", n)
		}
		if queue(staff, "breached") != 2 || queue(staff, "due_today") != 1 { // the late question's response; the repair's resolution
			t.Errorf("breached %d, due today %d", queue(staff, "breached"), queue(staff, "due_today"))
		}

		// Escalation: the park raises the question to the authority, which works it.
		_, err = act(staff, late.ID, servicedesk.Action{Action: "escalate", CategoryID: "svc-policy", Note: "需管委会答复"})
		refusedBy(t, "escalate under a request category", err, "not_found")
		mustOK[servicedesk.Ticket](t, "escalate")(act(staff, late.ID, servicedesk.Action{Action: "escalate", CategoryID: "dem-policy", Note: "需管委会答复"}))
		if d := mustOK[servicedesk.Detail](t, "escalated")(svc.Ticket(ctx, tenant, late.ID)); len(d.Comments) != 0 {
			t.Errorf("the tenant reads the park's note to the authority: %+v", d.Comments)
		}
		_, err = act(staff, late.ID, servicedesk.Action{Action: "escalate", CategoryID: "dem-policy", Note: "again"})
		refusedBy(t, "escalate twice", err, "not_escalable")
		demands := mustOK[page.Page[servicedesk.Ticket]](t, "demands")(svc.Tickets(ctx, authority, servicedesk.Filter{Kind: servicedesk.Demand}, page.Request{}))
		if len(demands.Items) != 1 || demands.Items[0].EscalatedFrom != late.ID || demands.Items[0].ParkID != park {
			t.Fatalf("the authority's demands: %+v", demands.Items)
		}
		demand := demands.Items[0]
		if p, _ := svc.Tickets(ctx, tenant, servicedesk.Filter{Kind: servicedesk.Demand}, page.Request{}); len(p.Items) != 0 {
			t.Errorf("a tenant sees %d demands", len(p.Items))
		}
		_, err = act(staff, demand.ID, servicedesk.Action{Action: "resolve"})
		refusedWith(t, "the park resolves its own demand", err, apperr.Forbidden)
		_, err = act(authority, demand.ID, servicedesk.Action{Action: "assign", Assignee: servicer.Username})
		refusedBy(t, "assign a demand to park staff", err, "not_staff")
		mustOK[servicedesk.Ticket](t, "authority assigns")(act(authority, demand.ID, servicedesk.Action{Action: "assign", Assignee: authority.Username}))
		mustOK[servicedesk.Ticket](t, "authority resolves")(act(authority, demand.ID, servicedesk.Action{Action: "resolve", Note: "已答复"}))
		mustOK[servicedesk.Ticket](t, "park rates")(svc.Rate(ctx, staff, demand.ID, servicedesk.Rating{Rating: 5}))
		_, err = svc.Submit(ctx, otherStaff, servicedesk.Demand, servicedesk.NewTicket{ParkID: park, CategoryID: "dem-land", Title: "x", Body: "x"})
		refusedBy(t, "a demand for another park", err, "not_found")

		// Reports on Friday, by hand: three requests in December — the repair (responded on time,
		// resolved late: not met, rated 4), the review (responded and resolved at once: met),
		// the question (past its due, unresolved: ended, not met).
		clock.set(4, 9, 0)
		rep := mustOK[servicedesk.Report](t, "report")(svc.Report(ctx, staff, servicedesk.ReportQuery{Kind: servicedesk.Request, By: "platform",
			From: civil.Of(2026, 11, 1), To: civil.Of(2026, 12, 1)}))
		if rep.Total.Volume != 3 || rep.Total.SLAEnded != 3 || rep.Total.SLAMet != 1 || *rep.Total.Satisfaction != 4 || len(rep.Trend) != 2 || rep.Trend[1].Volume != 3 {
			t.Errorf("report total %+v trend %+v", rep.Total, rep.Trend)
		}
		if len(rep.Rows) != 3 {
			t.Errorf("rows by platform: %+v", rep.Rows)
		}
		if p := mustOK[servicedesk.Report](t, "other report")(svc.Report(ctx, otherStaff, servicedesk.ReportQuery{Kind: servicedesk.Request, By: "park",
			From: civil.Of(2026, 12, 1), To: civil.Of(2026, 12, 1)})); p.Total.Volume != 0 {
			t.Errorf("another park's staff count %d requests", p.Total.Volume)
		}
		_, err = svc.Report(ctx, staff, servicedesk.ReportQuery{Kind: servicedesk.Request, By: "park", From: civil.Of(2000, 1, 1), To: civil.Of(2026, 12, 1)})
		refusedBy(t, "a report of 27 years", err, "out_of_range")
		_, err = svc.Report(ctx, tenant, servicedesk.ReportQuery{Kind: servicedesk.Request, By: "park", From: civil.Of(2026, 12, 1), To: civil.Of(2026, 12, 1)})
		refusedWith(t, "a tenant's report", err, apperr.Forbidden)
		themes := mustOK[servicedesk.Report](t, "demands by theme")(svc.Report(ctx, authority, servicedesk.ReportQuery{Kind: servicedesk.Demand, By: "category",
			From: civil.Of(2026, 12, 1), To: civil.Of(2026, 12, 1)}))
		if len(themes.Rows) != 1 || themes.Rows[0].Key != "dem-policy" || themes.Rows[0].Volume != 1 || *themes.Rows[0].Satisfaction != 5 {
			t.Errorf("demands by theme: %+v", themes.Rows)
		}
		vals := mustOK[indicator.ParkValues](t, "indicators")(IndicatorsOf(st).Values(ctx, identity.System(), 2026, indicator.Group{Kind: "all"},
			[]string{"service_requests", "service_sla_compliance", "service_satisfaction"}))
		got := vals.Values[park]
		if got["service_requests"].Value != 3 || !got["service_sla_compliance"].Known || got["service_satisfaction"].Value != 4 {
			t.Errorf("indicators of the park: %+v", got)
		}
	})
}

// TestRaceWorkingHoursAndLateFees: replacements of a park's working week, and of a contract's
// late-fee rule, made at once queue on both engines: each succeeds, none collides.
func TestRaceWorkingHoursAndLateFees(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		clock := &movingClock{}
		dayClock(clock, civil.Of(2026, 2, 10))
		desk, bills := servicedesk.NewService(st, clock, nil), billing.NewService(st, clock, nil)
		k := billingLease(t, st, w)
		staff, finance := w.Scope(identity.ParkManager), w.Scope(identity.Finance)
		wins, conflicts, other := race(10, func(i int) error {
			if i%2 == 0 {
				_, err := desk.SetWorkingHours(ctx, staff, w.Parks[0].ID, []servicedesk.WorkingWindow{{Weekday: 1 + i%5, FromMin: 480, ToMin: 1020}})
				return err
			}
			_, err := bills.SetLateFee(ctx, finance, k.ID, &billing.LateFee{RateBP: i, GraceDays: 3})
			return err
		})
		if wins != 10 || conflicts != 0 || len(other) > 0 {
			t.Fatalf("%d succeeded, %d conflicts, errors %v", wins, conflicts, other)
		}
		hours := mustOK[[]servicedesk.WorkingWindow](t, "hours")(desk.WorkingHours(ctx, staff, w.Parks[0].ID))
		rule := mustOK[*billing.LateFee](t, "rule")(bills.LateFeeOf(ctx, finance, k.ID))
		if len(hours) != 1 || rule == nil {
			t.Errorf("after the race: %d windows, rule %v", len(hours), rule)
		}
	})
}
