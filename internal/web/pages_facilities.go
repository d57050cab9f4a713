package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

func (s *Server) facilityRoutes(mux *http.ServeMux) {
	mux.Handle("GET /facilities", s.listPage(s.facilitiesPage))
	mux.Handle("GET /facilities/new", s.page(s.resourceForm))
	mux.Handle("POST /facilities/new", s.page(s.resourceForm))
	mux.Handle("GET /facilities/certificates", s.page(s.certificatesPage))
	mux.Handle("POST /facilities/certificates", s.page(s.issueCertificate))
	mux.Handle("GET /facilities/{id}", s.page(s.resourcePage))
	mux.Handle("POST /facilities/{id}/book", s.page(s.bookResource))
	mux.Handle("GET /bookings", s.listPage(s.bookingsPage))
	mux.Handle("POST /bookings/{id}/decision", s.page(s.decideBooking))
	mux.Handle("POST /bookings/feeds", s.page(s.createFeed))
	mux.Handle("POST /bookings/feeds/{id}/revoke", s.page(s.revokeFeed))
}

func (rq *request) canManageFacilities() bool { return rq.scope.May(identity.ManageFacilities) }

// resourceRow is a resource as the list shows it.
type resourceRow struct {
	R     booking.Resource
	Kind  string
	Hours string
	Price string
}

func (rq *request) hoursText(ws []booking.Window) string {
	var parts []string
	for _, w := range ws {
		parts = append(parts, rq.t(fmt.Sprintf("weekday.%d", w.Weekday))+" "+w.From+"–"+w.To)
	}
	return strings.Join(parts, "，")
}

func (s *Server) facilitiesPage(rq *request) error {
	list, err := s.svc.Bookings.Resources(rq.ctx, rq.scope, "")
	if err != nil {
		return err
	}
	rows := make([]resourceRow, len(list))
	for i, r := range list {
		rows[i] = resourceRow{R: r, Kind: rq.t("resource_kind." + string(r.Kind)), Hours: rq.hoursText(r.Hours),
			Price: rq.t("facilities.price_line", i18n.Money(rq.lang, r.Prices.Member), i18n.Money(rq.lang, r.Prices.OtherPark))}
	}
	s.render(rq, "facilities", rq.t("facilities.title"), struct {
		Rows      []resourceRow
		CanManage bool
	}{rows, rq.canManageFacilities()})
	return nil
}

// hoursLine reads opening hours as the form takes them: "1-5 09:00-18:00; 6 10:00-16:00"
// (weekdays 1 = Monday … 7 = Sunday, a range or one day, then the hours).
var hoursLine = regexp.MustCompile(`^([1-7])(?:-([1-7]))?\s+(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})$`)

func parseHours(text string) ([]booking.Window, error) {
	var out []booking.Window
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '；' || r == '\n' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		m := hoursLine.FindStringSubmatch(part)
		if m == nil {
			var f apperr.Fields
			f.Add("hours", "bad_hours", "开放时间写法：1-5 09:00-18:00；6 10:00-16:00（1 为周一）", "write hours as 1-5 09:00-18:00; 6 10:00-16:00 (1 is Monday)")
			return nil, f.Err()
		}
		from, _ := strconv.Atoi(m[1])
		to := from
		if m[2] != "" {
			to, _ = strconv.Atoi(m[2])
		}
		for wd := from; wd <= to; wd++ {
			out = append(out, booking.Window{Weekday: wd, From: m[3], To: m[4]})
		}
	}
	return out, nil
}

func resourceSpecs(parks []option) []fieldSpec {
	kinds := make([]option, len(booking.Kinds))
	for i, k := range booking.Kinds {
		kinds[i] = option{Value: string(k), Label: string(k)}
	}
	return []fieldSpec{
		{Name: "park_id", Label: k("facilities.park"), Kind: "select", Required: true, Options: parks},
		{Name: "code", Label: k("facilities.code"), Kind: "text", Required: true},
		{Name: "name", Label: k("facilities.name"), Kind: "text", Required: true},
		{Name: "kind", Label: k("facilities.kind"), Kind: "select", Required: true, Options: kinds},
		{Name: "description", Label: k("facilities.description"), Kind: "textarea"},
		{Name: "hours", Label: k("facilities.hours"), Kind: "text", Required: true, Help: k("facilities.hours_help")},
		{Name: "slot_minutes", Label: k("facilities.slot_minutes"), Kind: "number", Required: true},
		{Name: "min_minutes", Label: k("facilities.min_minutes"), Kind: "number", Required: true},
		{Name: "max_minutes", Label: k("facilities.max_minutes"), Kind: "number", Required: true},
		{Name: "lead_hours", Label: k("facilities.lead_hours"), Kind: "number"},
		{Name: "cancel_hours", Label: k("facilities.cancel_hours"), Kind: "number"},
		{Name: "needs_approval", Label: k("facilities.needs_approval"), Kind: "checkbox"},
		{Name: "certificate", Label: k("facilities.certificate"), Kind: "text", Help: k("facilities.certificate_help")},
		{Name: "prices.member", Label: k("facilities.price_member"), Kind: "number"},
		{Name: "prices.non_member", Label: k("facilities.price_non_member"), Kind: "number"},
		{Name: "prices.other_park", Label: k("facilities.price_other_park"), Kind: "number"},
		{Name: "quota.hours", Label: k("facilities.quota_hours"), Kind: "number"},
		{Name: "quota.per", Label: k("facilities.quota_per"), Kind: "select", Options: []option{{Value: "", Label: "—"}, {Value: "week", Label: "week"}, {Value: "month", Label: "month"}}},
		{Name: "shared_with_parks", Label: k("facilities.shared"), Kind: "checkbox"},
	}
}

func (s *Server) resourceForm(rq *request) error {
	if !rq.canManageFacilities() {
		return apperr.ErrForbidden()
	}
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return err
	}
	specs := resourceSpecs(parks)
	crumbs := []crumb{{rq.t("facilities.title"), "/facilities"}}
	if rq.r.Method == http.MethodGet {
		return s.showCustomForm(rq, rq.t("facilities.new"), specs, values{"kind": {"meeting_room"}, "hours": {"1-5 09:00-18:00"},
			"slot_minutes": {"30"}, "min_minutes": {"30"}, "max_minutes": {"240"}, "cancel_hours": {"24"}}, nil, crumbs)
	}
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var in booking.NewResource
	var r booking.Resource
	hours, err := parseHours(first(vals, "hours"))
	if err == nil {
		obj := map[string]any{}
		_ = json.Unmarshal(toJSON(specs, vals), &obj)
		obj["hours"] = hours
		body, _ := json.Marshal(obj)
		if err = httpin.DecodeStrict(body, &in); err == nil {
			r, err = s.svc.Bookings.CreateResource(rq.ctx, rq.scope, in)
		}
	}
	if formError(err) {
		return s.showCustomForm(rq, rq.t("facilities.new"), specs, vals, err, crumbs)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/facilities/" + r.ID)
}

// weekView is a resource's page: its rules, the week's slots and the booking form.
type weekView struct {
	R          booking.Resource
	Kind       string
	Hours      string
	Week       booking.Week
	Days       []dayView
	Prev, Next string
	Bookings   []bookingRow
	Staff      bool
	CanBook    bool
	CanManage  bool
	Form       map[string]string
	Error      string
	Refused    []booking.Conflict
	Booked     int
	// Use is the resource's utilisation by month of the week's year, for staff.
	Use     []booking.MonthUse
	UseYear int
}

type dayView struct {
	Label   string
	Holiday bool
	Slots   []slotView
}

type slotView struct {
	Time, Date, State, Label string
}

func (s *Server) resourcePage(rq *request) error { return s.showResource(rq, nil, nil, 0) }

func (s *Server) showResource(rq *request, failure error, refused []booking.Conflict, booked int) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	day := q.Date("day")
	if err := q.Err(); err != nil {
		return err
	}
	if day.IsZero() {
		day = s.clock.Today()
	}
	week, err := s.svc.Bookings.WeekOf(rq.ctx, rq.scope, rq.r.PathValue("id"), day)
	if err != nil {
		return err
	}
	r := week.Resource
	v := weekView{R: r, Kind: rq.t("resource_kind." + string(r.Kind)), Hours: rq.hoursText(r.Hours), Week: week,
		Prev: week.Monday.AddDays(-7).String(), Next: week.Monday.AddDays(7).String(),
		CanBook: rq.scope.Role.IsEnterprise(), CanManage: rq.canManageFacilities(), Staff: rq.canManageFacilities(), Refused: refused, Booked: booked,
		Form: map[string]string{"date": day.String(), "from": q.Str("from"), "to": "", "weeks": "1"}}
	for _, d := range week.Days {
		dv := dayView{Label: d.Date.String()[5:] + " " + rq.t(fmt.Sprintf("weekday.%d", d.Date.ISOWeekday())), Holiday: d.Holiday}
		for _, sl := range d.Slots {
			t := sl.Start.In(civil.Shanghai).Format("15:04")
			dv.Slots = append(dv.Slots, slotView{Time: t, Date: d.Date.String(), State: sl.State,
				Label: rq.t("facilities.slot_"+sl.State, d.Date.String(), t)})
		}
		v.Days = append(v.Days, dv)
	}
	list, err := s.svc.Bookings.Bookings(rq.ctx, rq.scope, booking.Filter{ResourceID: r.ID, From: week.Monday, To: week.Monday.AddDays(6)}, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	v.Bookings = rq.bookingRows(list.Items)
	if v.CanManage {
		v.UseYear = week.Monday.Year()
		if v.Use, err = s.svc.Bookings.Utilisation(rq.ctx, rq.scope, r.ID, v.UseYear); err != nil {
			return err
		}
	}
	if failure != nil {
		v.Error = rq.problemText(failure)
		vals, _ := rq.formValues()
		for _, k := range []string{"date", "from", "to", "weeks", "note"} {
			v.Form[k] = first(vals, k)
		}
		rq.w.WriteHeader(httpx.StatusOf(failure))
	}
	s.render(rq, "facility", r.Name, v)
	return nil
}

// bookResource books the resource from the page's form: a day, from and to times, weeks.
func (s *Server) bookResource(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	weeks, werr := strconv.Atoi(strings.TrimSpace(first(vals, "weeks")))
	if first(vals, "weeks") == "" {
		weeks, werr = 1, nil
	}
	in := booking.NewBooking{ResourceID: rq.r.PathValue("id"), Weeks: weeks, Note: first(vals, "note")}
	var f apperr.Fields
	if werr != nil {
		f.Add("weeks", "bad_int", "应为整数", "must be an integer")
	}
	parse := func(field, clock string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(first(vals, "date"))+" "+strings.TrimSpace(clock), civil.Shanghai)
		if err != nil {
			f.Add(field, "bad_time", "请填写日期与 HH:MM 时间", "give a date and an HH:MM time")
		}
		return t
	}
	in.Start, in.End = parse("from", first(vals, "from")), parse("to", first(vals, "to"))
	err = f.Err()
	var res booking.SeriesResult
	if err == nil {
		res, err = s.svc.Bookings.Book(rq.ctx, rq.scope, in)
	}
	if formError(err) {
		return s.showResource(rq, err, nil, 0)
	}
	if err != nil {
		return err
	}
	if len(res.Refused) > 0 {
		return s.showResource(rq, nil, res.Refused, len(res.Booked))
	}
	return rq.redirect("/bookings?booked=" + strconv.Itoa(len(res.Booked)))
}

// bookingRow is a booking as lists show it, with the decisions the user may take.
type bookingRow struct {
	B       booking.Booking
	When    string
	Status  string
	Actions []string
}

func (rq *request) bookingRows(list []booking.Booking) []bookingRow {
	staff := rq.canManageFacilities()
	rows := make([]bookingRow, len(list))
	for i, b := range list {
		row := bookingRow{B: b, Status: rq.t("booking_status." + string(b.Status)),
			When: b.Start.In(civil.Shanghai).Format("2006-01-02 15:04") + "–" + b.End.In(civil.Shanghai).Format("15:04")}
		switch b.Status {
		case booking.Requested:
			if staff {
				row.Actions = append(row.Actions, "approve", "reject")
			}
			row.Actions = append(row.Actions, "cancel")
		case booking.Approved:
			if staff {
				row.Actions = append(row.Actions, "check_in", "no_show")
			}
			row.Actions = append(row.Actions, "cancel")
		case booking.CheckedIn:
			if staff {
				row.Actions = append(row.Actions, "complete")
			}
		}
		rows[i] = row
	}
	return rows
}

func (s *Server) bookingsPage(rq *request) error { return s.showBookings(rq, nil, "") }

// createFeed makes a calendar feed (the user's bookings, or a resource's) and shows its
// address this once.
func (s *Server) createFeed(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	f, err := s.svc.Bookings.CreateFeed(rq.ctx, rq.scope, booking.NewFeed{ResourceID: first(vals, "resource_id")})
	if formError(err) {
		return s.showBookings(rq, err, "")
	}
	if err != nil {
		return err
	}
	scheme := "http"
	if rq.r.TLS != nil {
		scheme = "https"
	}
	return s.showBookings(rq, nil, scheme+"://"+rq.r.Host+f.Path)
}

func (s *Server) revokeFeed(rq *request) error {
	if err := s.svc.Bookings.RevokeFeed(rq.ctx, rq.scope, rq.r.PathValue("id")); err != nil {
		return err
	}
	return rq.redirect("/bookings")
}

func (s *Server) showBookings(rq *request, failure error, feedURL string) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	f := booking.Filter{Status: booking.Status(q.Str("status")), From: q.Date("from"), To: q.Date("to")}
	req := q.Page()
	if err := q.Err(); err != nil {
		return err
	}
	list, err := s.svc.Bookings.Bookings(rq.ctx, rq.scope, f, req)
	if err != nil {
		return err
	}
	feeds, err := s.svc.Bookings.Feeds(rq.ctx, rq.scope)
	if err != nil {
		return err
	}
	v := struct {
		Bookings []bookingRow
		Next     string
		Error    string
		Booked   string
		Staff    bool
		Feeds    []booking.Feed
		FeedURL  string
	}{Bookings: rq.bookingRows(list.Items), Next: list.NextCursor, Booked: q.Str("booked"), Staff: rq.canManageFacilities(), Feeds: feeds, FeedURL: feedURL}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(httpx.StatusOf(failure))
	}
	s.render(rq, "bookings", rq.t("bookings.title"), v)
	return nil
}

func (s *Server) decideBooking(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	_, err = s.svc.Bookings.Decide(rq.ctx, rq.scope, rq.r.PathValue("id"), booking.Decision{Action: first(vals, "action"), Reason: first(vals, "reason")})
	if formError(err) {
		return s.showBookings(rq, err, "")
	}
	if err != nil {
		return err
	}
	return rq.redirect("/bookings")
}

func (s *Server) certificatesPage(rq *request) error { return s.showCertificates(rq, nil, values{}) }

func (s *Server) showCertificates(rq *request, failure error, vals values) error {
	list, err := s.svc.Bookings.Certificates(rq.ctx, rq.scope, "")
	if err != nil {
		return err
	}
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return err
	}
	today := s.clock.Today()
	type certRow struct {
		C       booking.Certificate
		Expired bool
	}
	rows := make([]certRow, len(list))
	for i, c := range list {
		rows[i] = certRow{C: c, Expired: c.ExpiresOn.Before(today)}
	}
	v := struct {
		Rows      []certRow
		CanManage bool
		Parks     []option
		Form      map[string]string
		Error     string
	}{Rows: rows, CanManage: rq.canManageFacilities(), Parks: parks, Form: map[string]string{}}
	for _, k := range []string{"username", "kind", "issued_on", "expires_on"} {
		v.Form[k] = first(vals, k)
	}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(httpx.StatusOf(failure))
	}
	s.render(rq, "certificates", rq.t("certificates.title"), v)
	return nil
}

func (s *Server) issueCertificate(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	specs := []fieldSpec{{Name: "park_id", Kind: "text"}, {Name: "username", Kind: "text"}, {Name: "kind", Kind: "text"},
		{Name: "issued_on", Kind: "date"}, {Name: "expires_on", Kind: "date"}}
	var in booking.NewCertificate
	err = httpin.DecodeStrict(toJSON(specs, vals), &in)
	if err == nil {
		_, err = s.svc.Bookings.IssueCertificate(rq.ctx, rq.scope, in)
	}
	if formError(err) {
		return s.showCertificates(rq, err, vals)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/facilities/certificates")
}
