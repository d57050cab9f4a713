package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
)

// TestFacilityPages: staff add a resource with the form (bad hours refused naming the field),
// a tenant sees its week and books a free slot, is refused by a rule with the reason shown,
// staff issue a certificate and approve, and the tenant cancels.
func TestFacilityPages(t *testing.T) {
	s := newSite(t)
	w := s.world
	staff, tenant := s.login(identity.ParkManager), s.login(identity.EntAdmin)
	form := url.Values{"park_id": {w.Parks[0].ID}, "code": {"P2-1"}, "name": {"P2 实验室"}, "kind": {"p2_lab"}, "hours": {"1-7 x"},
		"slot_minutes": {"60"}, "min_minutes": {"60"}, "max_minutes": {"180"}, "lead_hours": {"0"}, "cancel_hours": {"0"},
		"needs_approval": {"true"}, "certificate": {"p2"}, "prices.member": {"100"}}
	res, body := s.send(staff, "POST", "/facilities/new", form)
	if res.StatusCode != 422 || !strings.Contains(body, "开放时间写法") {
		t.Fatalf("bad hours: %d", res.StatusCode)
	}
	form.Set("hours", "1-7 08:00-20:00")
	res, _ = s.send(staff, "POST", "/facilities/new", form)
	if res.StatusCode != 303 {
		t.Fatalf("new resource: %d", res.StatusCode)
	}
	page := res.Header.Get("Location")
	tomorrow := civil.SystemClock{}.Today().AddDays(1).String()
	res, body = s.send(tenant, "GET", page+"?day="+tomorrow, nil)
	if res.StatusCode != 200 || !strings.Contains(body, `class="slot free"`) || !strings.Contains(body, "会员 100元") {
		t.Fatalf("the tenant's week: %d", res.StatusCode)
	}
	book := url.Values{"date": {tomorrow}, "from": {"10:00"}, "to": {"11:00"}, "weeks": {"1"}}
	res, body = s.send(tenant, "POST", page+"/book", book)
	if res.StatusCode != 422 || !strings.Contains(body, "培训合格证") {
		t.Fatalf("booking without a certificate: %d, want the rule named", res.StatusCode)
	}
	res, body = s.send(staff, "POST", "/facilities/certificates", url.Values{"park_id": {w.Parks[0].ID}, "username": {"nobody"}, "kind": {"p2"},
		"issued_on": {"2025-01-01"}, "expires_on": {"2030-01-01"}})
	if res.StatusCode != 422 || !strings.Contains(body, "没有该企业用户") {
		t.Errorf("a certificate for no such user: %d", res.StatusCode)
	}
	res, _ = s.send(staff, "POST", "/facilities/certificates", url.Values{"park_id": {w.Parks[0].ID}, "username": {"u_ent_admin"}, "kind": {"p2"},
		"issued_on": {"2025-01-01"}, "expires_on": {"2030-01-01"}})
	if res.StatusCode != 303 {
		t.Fatalf("issue a certificate: %d", res.StatusCode)
	}
	res, _ = s.send(tenant, "POST", page+"/book", book)
	if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/bookings") {
		t.Fatalf("book: %d", res.StatusCode)
	}
	res, body = s.send(tenant, "POST", page+"/book", url.Values{"date": {tomorrow}, "from": {"10:00"}, "to": {"12:00"}})
	if res.StatusCode != 409 || !strings.Contains(body, "当天最近可约：11:00") {
		t.Errorf("an overlapping booking: %d, want the next free slot named", res.StatusCode)
	}
	_, body = s.send(staff, "GET", "/bookings", nil)
	if !strings.Contains(body, "待审批") || !strings.Contains(body, `value="approve"`) {
		t.Fatal("staff see the booking awaiting approval with an approve button")
	}
	id := between(body, `data-booking="`, `"`)
	if res, _ = s.send(staff, "POST", "/bookings/"+id+"/decision", url.Values{"action": {"reject"}}); res.StatusCode != 422 {
		t.Errorf("a rejection without a reason: %d", res.StatusCode)
	}
	if res, _ = s.send(staff, "POST", "/bookings/"+id+"/decision", url.Values{"action": {"approve"}}); res.StatusCode != 303 {
		t.Errorf("approve: %d", res.StatusCode)
	}
	_, body = s.send(tenant, "GET", "/notifications", nil)
	if !strings.Contains(body, `id="unread">2<`) || !strings.Contains(body, "预约已批准：P2 实验室") {
		t.Errorf("the tenant's bell and list show the approval and the certificate")
	}
	nid := between(body, `action="/notifications/`, `/read"`)
	if res, _ = s.send(tenant, "POST", "/notifications/"+nid+"/read", url.Values{"link": {"//evil.example"}}); res.Header.Get("Location") != "/notifications" {
		t.Errorf("a notification's link elsewhere is not followed: %q", res.Header.Get("Location"))
	}
	if res, _ = s.send(staff, "POST", "/notifications/"+nid+"/read", url.Values{}); res.StatusCode != 404 {
		t.Errorf("staff reading the tenant's notification: %d", res.StatusCode)
	}
	if res, _ = s.send(tenant, "POST", "/notifications/preferences", url.Values{"booking_decided.email": {"true"}}); res.StatusCode != 303 {
		t.Errorf("save preferences: %d", res.StatusCode)
	}
	if _, body = s.send(tenant, "GET", "/notifications", nil); !strings.Contains(body, `name="booking_decided.email" value="true" checked`) {
		t.Error("the e-mail choice is kept")
	}
	_, body = s.send(tenant, "GET", "/bookings", nil)
	if !strings.Contains(body, "已确认") || strings.Contains(body, `value="approve"`) {
		t.Error("the tenant sees the confirmed booking and no approve button")
	}
	if res, _ = s.send(tenant, "POST", "/bookings/"+id+"/decision", url.Values{"action": {"cancel"}}); res.StatusCode != 303 {
		t.Errorf("the tenant cancels: %d", res.StatusCode)
	}
	if _, body = s.send(staff, "GET", page, nil); !strings.Contains(body, `id="utilisation"`) {
		t.Error("staff see the resource's utilisation by month")
	}
	if _, body = s.send(tenant, "GET", page, nil); strings.Contains(body, `id="utilisation"`) {
		t.Error("a tenant sees no utilisation")
	}
	if res, _ = s.send(s.login(identity.ParkManager), "GET", "/facilities/new", nil); res.StatusCode != 200 {
		t.Errorf("the form: %d", res.StatusCode)
	}
	if res, _ = s.send(tenant, "GET", "/facilities/new", nil); res.StatusCode != 403 {
		t.Errorf("a tenant opening the resource form: %d, want 403", res.StatusCode)
	}
}

// between is the text of s after the first start up to the next end.
func between(s, start, end string) string {
	_, rest, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(rest, end)
	return v
}
