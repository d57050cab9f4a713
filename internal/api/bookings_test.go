package api

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/identity"
)

// TestCalendarFeeds: a tenant's feed of its own bookings and a resource's feed answer without
// signing in at their secret address, as iCalendar with Shanghai times; the resource feed shows
// another enterprise's booking only as taken time; a revoked or made-up address is not found.
func TestCalendarFeeds(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		w := e.world
		resource, _ := facility(t, e, 0, w.Users[identity.EntAdmin].Username, 9)
		other := identity.Scope{Role: identity.EntMember, EnterpriseID: w.Enterprises[1].ID, Username: "someone_else", Source: "test"}
		rules := allDay()
		rules.SharedWithParks = true
		if _, err := e.api.svc.Bookings.UpdateRules(t.Context(), identity.System(), resource, rules); err != nil {
			t.Fatal(err)
		}
		if _, err := e.api.svc.Bookings.Book(t.Context(), other, booking.NewBooking{ResourceID: resource, Start: tomorrowAt(15), End: tomorrowAt(16)}); err != nil {
			t.Fatal(err)
		}
		get := func(path string) (int, string, string) {
			res, err := http.Get(e.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, res.Header.Get("Content-Type"), string(b)
		}
		var mine, theirs booking.FeedCreated
		e.do(identity.EntAdmin, "POST", "/api/v1/calendar-feeds", map[string]any{}, 201, &mine)
		e.do(identity.EntAdmin, "POST", "/api/v1/calendar-feeds", map[string]any{"resource_id": resource}, 201, &theirs)
		day := tomorrowAt(9).Format("20060102")
		status, kind, body := get(mine.Path)
		if status != 200 || !strings.HasPrefix(kind, "text/calendar") || !strings.Contains(body, "DTSTART;TZID=Asia/Shanghai:"+day+"T090000\r\n") ||
			strings.Contains(body, "T150000") {
			t.Fatalf("my feed: %d %s\n%s", status, kind, body)
		}
		_, _, body = get(theirs.Path)
		if !strings.Contains(body, day+"T090000") || !strings.Contains(body, day+"T150000") || strings.Contains(body, "someone_else") ||
			!strings.Contains(body, "已被预约") {
			t.Errorf("the resource's feed shows both bookings, the other enterprise's only as taken:\n%s", body)
		}
		e.do(identity.EntAdmin, "DELETE", "/api/v1/calendar-feeds/"+mine.ID, nil, 204, nil)
		for _, path := range []string{mine.Path, "/calendar/cal_nothing.ics", strings.TrimSuffix(theirs.Path, ".ics"), "/calendar/%00.ics"} {
			if status, _, _ := get(path); status != 404 {
				t.Errorf("GET %s: %d, want 404", path, status)
			}
		}
		e.do(identity.ParkManager, "DELETE", "/api/v1/calendar-feeds/"+theirs.ID, nil, 404, nil)
		e.do(identity.EntAdmin, "POST", "/api/v1/calendar-feeds", map[string]any{"resource_id": "nope"}, 422, nil)
		for _, day := range []string{"9999-12-31", "1000-01-01"} { // once a 500: year 9999's week ends past what JSON dates hold
			e.do(identity.EntAdmin, "GET", "/api/v1/resources/"+resource+"/week?day="+day, nil, 422, nil)
		}
	})
}
