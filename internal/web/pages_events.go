package web

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/export"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

func (s *Server) eventRoutes(mux *http.ServeMux) {
	mux.Handle("GET /events", s.listPage(s.eventsPage))
	mux.Handle("GET /events/new", s.page(s.newEvent))
	mux.Handle("POST /events/new", s.page(s.newEvent))
	mux.Handle("GET /events/{id}", s.page(func(rq *request) error { return s.showEvent(rq, nil) }))
	mux.Handle("GET /events/{id}/calendar.ics", s.page(func(rq *request) error { return s.eventCalendar(rq, rq.r.PathValue("id"), "") }))
	mux.Handle("GET /events/{id}/attendance.xlsx", s.page(func(rq *request) error { return s.attendanceExport(rq, "xlsx") }))
	mux.Handle("GET /events/{id}/attendance.csv", s.page(func(rq *request) error { return s.attendanceExport(rq, "csv") }))
	mux.Handle("POST /events/{id}/register", s.page(s.registerForEvent))
	mux.Handle("POST /events/{id}/check-in", s.page(s.checkInAtEvent))
	mux.Handle("POST /events/{id}/cancel", s.page(s.cancelEvent))
	mux.Handle("POST /event-registrations/{id}/cancel", s.page(s.cancelRegistration))
	mux.Handle("GET /event-registrations/{id}/qr.png", s.page(s.registrationQR))
	mux.Handle("GET /event-registrations/{id}/calendar.ics", s.page(func(rq *request) error { return s.eventCalendar(rq, "", rq.r.PathValue("id")) }))
}

// eventsPage is the events calendar: upcoming events the caller sees, with the caller's own
// registrations ("events for you").
func (s *Server) eventsPage(rq *request) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	f := event.Filter{ParkID: q.Str("park_id"), Kind: q.Str("kind"), From: s.clock.Now()}
	if q.Str("past") == "true" {
		f.From = time.Time{}
	}
	if err := q.Err(); err != nil {
		return err
	}
	list, err := s.svc.Events.Events(rq.ctx, rq.scope, f, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	mine, err := s.svc.Events.Mine(rq.ctx, rq.scope)
	if err != nil {
		return err
	}
	byEvent := map[string]event.Registration{}
	for _, r := range mine {
		byEvent[r.EventID] = r
	}
	v := struct {
		Events []event.Event
		Mine   map[string]event.Registration
		CanRun bool
		Kind   string
		Kinds  []string
		Tenant bool
		Past   bool
		Parks  []option
		ParkID string
	}{Events: list.Items, Mine: byEvent, CanRun: rq.scope.May(identity.ManageFacilities), Kind: f.Kind, Kinds: event.Kinds,
		Tenant: rq.scope.Role.IsEnterprise(), Past: f.From.IsZero(), ParkID: f.ParkID}
	if !v.Tenant {
		if v.Parks, err = rq.parkOptions(k("filter.all"), false); err != nil {
			return err
		}
		for i := range v.Parks {
			v.Parks[i].Selected = v.Parks[i].Value == f.ParkID
		}
	}
	s.render(rq, "events", rq.t("events.title"), v)
	return nil
}

// newEvent is the staff's form to schedule an event and book its venue.
func (s *Server) newEvent(rq *request) error {
	if !rq.scope.May(identity.ManageFacilities) {
		return apperr.ErrForbidden()
	}
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return err
	}
	venues := []option{{Value: "", Label: "—"}}
	for _, p := range parks {
		rs, err := s.svc.Bookings.Resources(rq.ctx, rq.scope, p.Value)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if r.Active && r.ParkID == p.Value && slices.Contains(booking.VenueKinds, r.Kind) {
				venues = append(venues, option{Value: r.ID, Label: p.Label + " · " + r.Name})
			}
		}
	}
	ents, err := s.svc.Enterprise.ListEnterprises(rq.ctx, rq.scope, enterprise.Filter{}, page.Request{Sort: "name", Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	invitees := []option{}
	for _, e := range ents.Items {
		invitees = append(invitees, option{Value: e.ID, Label: e.Name})
	}
	kinds := []option{}
	for _, kd := range event.Kinds {
		kinds = append(kinds, option{Value: kd, Label: enumLabel(rq.lang, "event_kind", kd)})
	}
	audiences := []option{}
	for _, a := range event.Audiences {
		audiences = append(audiences, option{Value: a, Label: enumLabel(rq.lang, "event_audience", a)})
	}
	specs := []fieldSpec{
		{Name: "park_id", Label: k("events.park"), Kind: "select", Required: true, Options: parks},
		{Name: "title", Label: k("events.event_title"), Kind: "text", Required: true},
		{Name: "kind", Label: k("events.kind"), Kind: "select", Required: true, Options: kinds},
		{Name: "starts_at", Label: k("events.starts_at"), Kind: "datetime", Required: true},
		{Name: "ends_at", Label: k("events.ends_at"), Kind: "datetime", Required: true},
		{Name: "resource_id", Label: k("events.venue"), Kind: "select", Options: venues, Help: k("events.venue_help")},
		{Name: "location", Label: k("events.location"), Kind: "text"},
		{Name: "capacity", Label: k("events.capacity"), Kind: "number", Required: true},
		{Name: "audience", Label: k("events.audience"), Kind: "select", Required: true, Options: audiences},
		{Name: "invited_enterprise_ids", Label: k("events.invited"), Kind: "multiselect", Options: invitees},
		{Name: "waitlist", Label: k("events.waitlist"), Kind: "checkbox"},
		{Name: "description", Label: k("events.description"), Kind: "textarea", Wide: true},
	}
	initial := values{"capacity": {"100"}, "waitlist": {"true"}}
	crumbs := []crumb{{rq.t("events.title"), "/events"}}
	return formPost(s, rq, rq.t("events.new"), specs, initial, crumbs, func(in event.NewEvent) (string, error) {
		e, err := s.svc.Events.CreateEvent(rq.ctx, rq.scope, in)
		return "/events/" + e.ID, err
	})
}

// eventView is an event's page.
type eventView struct {
	E          event.Event
	Mine       *event.Registration
	Attendance *event.Attendance
	CanRun     bool
	CanJoin    bool
	Error      string
	CheckedIn  *event.Registration
}

func (s *Server) showEvent(rq *request, failure error) error {
	id := rq.r.PathValue("id")
	e, err := s.svc.Events.Event(rq.ctx, rq.scope, id)
	if err != nil {
		return err
	}
	v := eventView{E: e, CanRun: rq.scope.May(identity.ManageFacilities) && (rq.scope.AllParks() || rq.scope.HasPark(e.ParkID))}
	mine, err := s.svc.Events.Mine(rq.ctx, rq.scope)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(mine, func(r event.Registration) bool { return r.EventID == id && r.Kind == "user" }); i >= 0 {
		v.Mine = &mine[i]
	}
	v.CanJoin = rq.scope.Role.IsEnterprise() && v.Mine == nil && e.Status == event.Scheduled && s.clock.Now().Before(e.EndsAt)
	if !rq.scope.Role.IsEnterprise() {
		a, err := s.svc.Events.Attendance(rq.ctx, rq.scope, id)
		if err != nil {
			return err
		}
		v.Attendance = &a
	}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(httpx.StatusOf(failure))
	}
	s.render(rq, "event", e.Title, v)
	return nil
}

// eventForm runs a form of an event's page.
func (s *Server) eventForm(rq *request, run func(vals values) error) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	return rq.outcome(run(vals), func(err error) error { return s.showEvent(rq, err) }, "/events/"+rq.r.PathValue("id"))
}

func (s *Server) registerForEvent(rq *request) error {
	return s.eventForm(rq, func(vals values) error {
		_, err := s.svc.Events.Register(rq.ctx, rq.scope, rq.r.PathValue("id"), event.NewRegistration{GuestName: first(vals, "guest_name"),
			GuestOrg: first(vals, "guest_org"), GuestPhone: first(vals, "guest_phone")})
		return err
	})
}

func (s *Server) checkInAtEvent(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	r, err := s.svc.Events.CheckIn(rq.ctx, rq.scope, rq.r.PathValue("id"), event.CheckIn{Code: first(vals, "code")})
	if err != nil {
		return rq.outcome(err, func(err error) error { return s.showEvent(rq, err) }, "")
	}
	return rq.redirect(fmt.Sprintf("/events/%s?checked_in=%s", rq.r.PathValue("id"), r.ID))
}

func (s *Server) cancelEvent(rq *request) error {
	return s.eventForm(rq, func(vals values) error {
		_, err := s.svc.Events.CancelEvent(rq.ctx, rq.scope, rq.r.PathValue("id"), first(vals, "reason"))
		return err
	})
}

func (s *Server) cancelRegistration(rq *request) error {
	r, err := s.svc.Events.CancelRegistration(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return rq.redirect("/events")
		}
		return err
	}
	return rq.redirect("/events/" + r.EventID)
}

func (s *Server) registrationQR(rq *request) error {
	png, err := s.svc.Events.QR(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	rq.w.Header().Set("Content-Type", "image/png")
	rq.w.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = rq.w.Write(png)
	return err
}

func (s *Server) eventCalendar(rq *request, eventID, registrationID string) error {
	data, _, err := s.svc.Events.ICS(rq.ctx, rq.scope, eventID, registrationID)
	if err != nil {
		return err
	}
	return sendFile(rq, "text/calendar; charset=utf-8", "event.ics", data)
}

// attendanceExport writes an event's registrations with who came.
func (s *Server) attendanceExport(rq *request, format string) error {
	a, err := s.svc.Events.Attendance(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	t := export.Table{Title: a.Event.Title, Columns: []export.Column{{Header: rq.t("events.attendee"), Kind: export.Text},
		{Header: rq.t("events.organisation"), Kind: export.Text}, {Header: rq.t("events.status"), Kind: export.Text},
		{Header: rq.t("events.checked_in_at"), Kind: export.Text}}}
	for _, r := range a.Registration {
		who, org := r.Username, r.Enterprise
		if r.Kind == "guest" {
			who, org = r.GuestName, r.GuestOrg
		}
		at := ""
		if r.CheckedInAt != nil {
			at = stamp(*r.CheckedInAt)
		}
		t.Rows = append(t.Rows, []any{who, org, enumLabel(rq.lang, "registration_status", string(r.Status)), at})
	}
	t.Notes = append(t.Notes, rq.t("events.attendance_note", a.Registered, a.CheckedIn, a.NoShows, a.Waitlisted, a.Cancelled))
	return writeTable(rq, "attendance", format, t)
}
