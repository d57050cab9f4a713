package event

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/skip2/go-qrcode"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
)

// Store is what events need of the data layer. Reads and locks resolve ids in the caller's
// scope; writes run in the transaction InTx opened.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	NewID() string

	// CheckEventPark resolves a park whose events the caller runs or sees.
	CheckEventPark(ctx context.Context, sc identity.Scope, parkID string) error
	// UnseenEnterprises are the ids that name no enterprise the caller sees.
	UnseenEnterprises(ctx context.Context, sc identity.Scope, ids []string) ([]string, error)
	InsertEvent(ctx context.Context, e Event) error
	SaveEvent(ctx context.Context, e Event) error
	GetEvent(ctx context.Context, sc identity.Scope, id string) (Event, error)
	LockEvent(ctx context.Context, sc identity.Scope, id string) (Event, error)
	ListEvents(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Event], error)
	InsertRegistration(ctx context.Context, r Registration) error
	SaveRegistration(ctx context.Context, r Registration) error
	GetRegistration(ctx context.Context, sc identity.Scope, id string) (Registration, error)
	LockRegistration(ctx context.Context, sc identity.Scope, id string) (Registration, error)
	// RegistrationByCode is the registration of an event with a check-in code.
	RegistrationByCode(ctx context.Context, eventID, code string) (Registration, error)
	// EventRegistrations are an event's registrations in order of registration.
	EventRegistrations(ctx context.Context, eventID string) ([]Registration, error)
	// MyRegistrations are a user's live registrations of events ending after a time.
	MyRegistrations(ctx context.Context, username string, after time.Time) ([]Registration, error)
	// MarkCheckedIn sets a registration's check-in once: false when it was checked in already.
	MarkCheckedIn(ctx context.Context, id string, at time.Time) (bool, error)
	// ClaimReminders marks as reminded, and returns, the live registrations of users for events
	// starting before a time that were not reminded yet.
	ClaimReminders(ctx context.Context, now, before time.Time) ([]Registration, error)
}

// Notifier tells users of their registrations, in the transaction of ctx.
type Notifier interface {
	TellUser(ctx context.Context, username string, m notify.Message) error
}

// Venues books events' venues through the shared facilities, in the transaction of ctx.
type Venues interface {
	BookVenue(ctx context.Context, sc identity.Scope, resourceID, parkID, title string, start, end time.Time) (booking.Booking, error)
	ReleaseVenue(ctx context.Context, sc identity.Scope, bookingID, reason string) error
}

// Service owns the event rules.
type Service struct {
	st     Store
	venues Venues
	clock  civil.Clock
	notify Notifier
}

// NewService builds the event service.
func NewService(st Store, venues Venues, clock civil.Clock, n Notifier) *Service {
	return &Service{st: st, venues: venues, clock: clock, notify: n}
}

// maxCapacity bounds an event: the largest hall of a park.
const maxCapacity = 5000

// maxYearsAhead bounds how far ahead an event is scheduled.
const maxYearsAhead = 2

// maxGuestsPerUser is how many outside guests one enterprise user may bring to an event, so
// that no one enterprise takes the places of the others.
const maxGuestsPerUser = 3

func (n NewEvent) validate(now time.Time) error {
	var f apperr.Fields
	if n.ParkID == "" {
		f.Required("park_id")
	}
	check.Field(&f, "title", n.Title, true, 200)
	check.Field(&f, "description", n.Description, false, 5000)
	check.Field(&f, "location", n.Location, false, 200)
	if !slices.Contains(Kinds, n.Kind) {
		f.Add("kind", "unknown_value", "活动类型应为 forum、roadshow、training 或 park_visit", "kind is forum, roadshow, training or park_visit")
	}
	if !slices.Contains(Audiences, n.Audience) {
		f.Add("audience", "unknown_value", "对象应为 open、tenants 或 invited", "audience is open, tenants or invited")
	}
	if n.StartsAt.IsZero() {
		f.Required("starts_at")
	}
	if n.EndsAt.IsZero() {
		f.Required("ends_at")
	}
	switch {
	case n.StartsAt.IsZero() || n.EndsAt.IsZero():
	case !n.EndsAt.After(n.StartsAt):
		f.Add("ends_at", "before_start", "结束时间应晚于开始时间", "ends_at is not after starts_at")
	case n.EndsAt.Sub(n.StartsAt) > 7*24*time.Hour:
		f.Add("ends_at", "too_long", "活动至多持续 7 天", "an event lasts at most 7 days")
	case n.StartsAt.Before(now):
		f.Add("starts_at", "in_past", "开始时间已过", "starts_at has passed")
	case n.StartsAt.After(now.AddDate(maxYearsAhead, 0, 0)):
		f.Add("starts_at", "out_of_range", fmt.Sprintf("活动至多提前 %d 年安排", maxYearsAhead), fmt.Sprintf("an event is scheduled at most %d years ahead", maxYearsAhead))
	}
	if n.Capacity < 1 || n.Capacity > maxCapacity {
		f.Add("capacity", "out_of_range", fmt.Sprintf("名额应为 1–%d", maxCapacity), fmt.Sprintf("capacity is 1 to %d", maxCapacity))
	}
	if n.Audience == "invited" && len(n.Invited) == 0 {
		f.Add("invited_enterprise_ids", "required", "定向邀请须列出受邀企业", "an invited audience needs the enterprises invited")
	}
	if len(n.Invited) > 500 {
		f.Add("invited_enterprise_ids", "too_many", "至多邀请 500 家企业", "at most 500 enterprises")
	}
	return f.Err()
}

// mayRun: park staff who manage facilities run their parks' events.
func mayRun(sc identity.Scope, parkID string) bool {
	return sc.May(identity.ManageFacilities) && (sc.AllParks() || sc.HasPark(parkID))
}

// CreateEvent schedules an event and books its venue for its time, in one transaction: a
// venue taken at that time refuses the event.
func (s *Service) CreateEvent(ctx context.Context, sc identity.Scope, n NewEvent) (Event, error) {
	if err := n.validate(s.clock.Now()); err != nil {
		return Event{}, err
	}
	if err := s.st.CheckEventPark(ctx, sc, n.ParkID); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return Event{}, apperr.FieldProblem("park_id", "not_found", "园区不存在", "no such park")
		}
		return Event{}, err
	}
	if !mayRun(sc, n.ParkID) {
		return Event{}, apperr.ErrForbidden()
	}
	slices.Sort(n.Invited)
	n.Invited = slices.Compact(n.Invited)
	unseen, err := s.st.UnseenEnterprises(ctx, sc, n.Invited)
	if err != nil {
		return Event{}, err
	}
	if len(unseen) > 0 {
		return Event{}, apperr.FieldProblem("invited_enterprise_ids", "not_found", "企业不存在："+unseen[0], "no such enterprise: "+unseen[0])
	}
	now := s.clock.Now()
	e := Event{ID: s.st.NewID(), ParkID: n.ParkID, Title: strings.TrimSpace(n.Title), Kind: n.Kind, Description: n.Description,
		StartsAt: n.StartsAt.UTC(), EndsAt: n.EndsAt.UTC(), ResourceID: n.ResourceID, Location: strings.TrimSpace(n.Location), Capacity: n.Capacity,
		Audience: n.Audience, Invited: n.Invited, Waitlist: n.Waitlist, Status: Scheduled, Organizer: sc.Username, CreatedAt: now, UpdatedAt: now}
	if e.Audience != "invited" {
		e.Invited = nil
	}
	var out Event
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if e.ResourceID != "" {
			b, err := s.venues.BookVenue(ctx, sc, e.ResourceID, e.ParkID, "活动："+e.Title, e.StartsAt, e.EndsAt)
			if err != nil {
				return err
			}
			e.BookingID = b.ID
		}
		if err := s.st.InsertEvent(ctx, e); err != nil {
			return err
		}
		if err := s.st.Record(ctx, sc, "create", "event", e.ID, nil, e); err != nil {
			return err
		}
		out, err = s.st.GetEvent(ctx, sc, e.ID)
		return err
	})
	return out, err
}

// CancelEvent cancels an event: its venue is released and everyone registered is told.
func (s *Service) CancelEvent(ctx context.Context, sc identity.Scope, id, reason string) (Event, error) {
	var f apperr.Fields
	check.Field(&f, "reason", reason, true, 500)
	if err := f.Err(); err != nil {
		return Event{}, err
	}
	var out Event
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		old, err := s.st.LockEvent(ctx, sc, id)
		if err != nil {
			return err
		}
		if !mayRun(sc, old.ParkID) {
			return apperr.ErrForbidden()
		}
		if old.Status == Cancelled {
			return apperr.New(apperr.Conflict, "活动已取消", "the event is cancelled already")
		}
		out = old
		out.Status, out.UpdatedAt = Cancelled, s.clock.Now()
		if err := s.st.SaveEvent(ctx, out); err != nil {
			return err
		}
		if out.BookingID != "" {
			if err := s.venues.ReleaseVenue(ctx, sc, out.BookingID, "活动取消："+reason); err != nil {
				return err
			}
		}
		if err := s.st.Record(ctx, sc, "cancel", "event", id, old, out); err != nil {
			return err
		}
		regs, err := s.st.EventRegistrations(ctx, id)
		if err != nil {
			return err
		}
		for _, r := range regs {
			if r.Kind == "user" && r.Status != Withdrawn {
				if err := s.tell(ctx, r.Username, "event_update", out, "活动取消："+out.Title, "Event cancelled: "+out.Title, reason, reason); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}

func (s *Service) tell(ctx context.Context, username, kind string, e Event, titleZh, titleEn, bodyZh, bodyEn string) error {
	if s.notify == nil {
		return nil
	}
	return s.notify.TellUser(ctx, username, notify.Message{Kind: kind, Link: "/events/" + e.ID, ParkID: "", TitleZh: titleZh, TitleEn: titleEn,
		BodyZh: bodyZh, BodyEn: bodyEn})
}

// Event reads one event in the caller's scope.
func (s *Service) Event(ctx context.Context, sc identity.Scope, id string) (Event, error) {
	return s.st.GetEvent(ctx, sc, id)
}

// Events lists the events the caller sees, by start.
func (s *Service) Events(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Event], error) {
	if f.Kind != "" && !slices.Contains(Kinds, f.Kind) {
		return page.Page[Event]{}, apperr.FieldProblem("kind", "unknown_value", "取值不在允许范围内", "value is not one of those allowed")
	}
	return s.st.ListEvents(ctx, sc, f, req)
}

// CodeAlphabet leaves out letters and digits read alike at a door (0/O, 1/I/L).
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func newCode() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = CodeAlphabet[int(b[i])%len(CodeAlphabet)]
	}
	return string(b)
}

var phonePattern = regexp.MustCompile(`^[0-9+\- ]{5,20}$`)

// digits counts the digits of a phone number.
func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// Register takes a place at an event: an enterprise user's own place, or an outside guest's
// (named, by park staff or by an enterprise user bringing one). When the places are taken the
// registration joins the waiting list, or is refused if the event keeps none.
func (s *Service) Register(ctx context.Context, sc identity.Scope, eventID string, n NewRegistration) (Registration, error) {
	guest := strings.TrimSpace(n.GuestName) != ""
	var f apperr.Fields
	check.Field(&f, "guest_name", n.GuestName, false, 100)
	check.Field(&f, "guest_org", n.GuestOrg, false, 200)
	if n.GuestPhone != "" && (!phonePattern.MatchString(n.GuestPhone) || digits(n.GuestPhone) < 5) {
		f.Add("guest_phone", "invalid", "电话号码格式不正确", "the phone number is not valid")
	}
	if !guest && (n.GuestOrg != "" || n.GuestPhone != "") {
		f.Required("guest_name")
	}
	if err := f.Err(); err != nil {
		return Registration{}, err
	}
	var out Registration
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		e, err := s.st.LockEvent(ctx, sc, eventID)
		if err != nil {
			return err
		}
		if !sc.Role.IsEnterprise() && !mayRun(sc, e.ParkID) {
			return apperr.ErrForbidden()
		}
		if !guest && !sc.Role.IsEnterprise() {
			return apperr.FieldProblem("guest_name", "required", "园区人员登记来宾须填写姓名", "park staff register guests by name")
		}
		if e.Status == Cancelled {
			return apperr.New(apperr.Conflict, "活动已取消", "the event is cancelled")
		}
		if !s.clock.Now().Before(e.EndsAt) {
			return apperr.New(apperr.Conflict, "活动已结束", "the event is over")
		}
		now := s.clock.Now()
		r := Registration{ID: s.st.NewID(), EventID: e.ID, Kind: "user", Status: Registered, Code: newCode(), RegisteredBy: sc.Username,
			CreatedAt: now, UpdatedAt: now}
		if sc.Role.IsEnterprise() {
			r.EnterpriseID = sc.EnterpriseID
		}
		if guest {
			r.Kind, r.GuestName, r.GuestOrg, r.GuestPhone = "guest", strings.TrimSpace(n.GuestName), strings.TrimSpace(n.GuestOrg), strings.TrimSpace(n.GuestPhone)
		} else {
			r.Username = sc.Username
		}
		if guest && sc.Role.IsEnterprise() {
			if err := s.guestAllowance(ctx, e.ID, sc.Username); err != nil {
				return err
			}
		}
		if e.Registered >= e.Capacity {
			if !e.Waitlist {
				return apperr.FieldProblem("capacity", "full", fmt.Sprintf("活动已满员（%d 人），且不设候补", e.Capacity),
					fmt.Sprintf("the event is full (%d places) and keeps no waiting list", e.Capacity))
			}
			r.Status = Waitlisted
		}
		if err := s.st.InsertRegistration(ctx, r); err != nil {
			return err
		}
		out, err = s.st.GetRegistration(ctx, sc, r.ID)
		if err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "register", "event_registration", r.ID, nil, out)
	})
	return out, err
}

// guestAllowance refuses an enterprise user's guest beyond maxGuestsPerUser live ones.
func (s *Service) guestAllowance(ctx context.Context, eventID, username string) error {
	regs, err := s.st.EventRegistrations(ctx, eventID)
	if err != nil {
		return err
	}
	brought := 0
	for _, r := range regs {
		if r.Kind == "guest" && r.RegisteredBy == username && r.Status != Withdrawn {
			brought++
		}
	}
	if brought >= maxGuestsPerUser {
		return apperr.FieldProblem("guest_name", "too_many_guests", fmt.Sprintf("每位企业用户至多为本活动登记 %d 位来宾", maxGuestsPerUser),
			fmt.Sprintf("an enterprise user registers at most %d guests for an event", maxGuestsPerUser))
	}
	return nil
}

// CancelRegistration gives up a place (its registrant, or the park's staff); the first on the
// waiting list takes it and is told.
func (s *Service) CancelRegistration(ctx context.Context, sc identity.Scope, id string) (Registration, error) {
	var out Registration
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		old, err := s.st.LockRegistration(ctx, sc, id)
		if err != nil {
			return err
		}
		e, err := s.st.LockEvent(ctx, identity.System(), old.EventID)
		if err != nil {
			return err
		}
		own := sc.Role.IsEnterprise() && (old.Username == sc.Username || old.Kind == "guest" && old.EnterpriseID == sc.EnterpriseID)
		if !own && !mayRun(sc, e.ParkID) {
			return apperr.ErrForbidden()
		}
		if old.Status == Withdrawn {
			return apperr.New(apperr.Conflict, "报名已取消", "the registration is cancelled already")
		}
		if old.CheckedInAt != nil {
			return apperr.New(apperr.Conflict, "已签到，不能取消", "checked in already; it cannot be cancelled")
		}
		out = old
		out.Status, out.UpdatedAt = Withdrawn, s.clock.Now()
		if err := s.st.SaveRegistration(ctx, out); err != nil {
			return err
		}
		if err := s.st.Record(ctx, sc, "cancel", "event_registration", id, old, out); err != nil {
			return err
		}
		if old.Status != Registered {
			return nil
		}
		return s.promote(ctx, sc, e)
	})
	return out, err
}

// promote gives a freed place to the first on the waiting list, in the transaction that holds
// the event's lock.
func (s *Service) promote(ctx context.Context, sc identity.Scope, e Event) error {
	regs, err := s.st.EventRegistrations(ctx, e.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(regs, func(r Registration) bool { return r.Status == Waitlisted })
	if i < 0 {
		return nil
	}
	before := regs[i]
	up := before
	up.Status, up.UpdatedAt = Registered, s.clock.Now()
	if err := s.st.SaveRegistration(ctx, up); err != nil {
		return err
	}
	if err := s.st.Record(ctx, sc, "promote", "event_registration", up.ID, before, up); err != nil {
		return err
	}
	if up.Kind != "user" {
		return nil
	}
	when := e.StartsAt.In(civil.Shanghai).Format("2006-01-02 15:04")
	return s.tell(ctx, up.Username, "event_update", e, "候补转正："+e.Title, "A place for you: "+e.Title,
		"您已获得活动名额，时间 "+when+"，签到码 "+up.Code, "you have a place; it starts "+when+", check-in code "+up.Code)
}

// CheckIn checks a registration in at the door by its code, scanned or typed: once.
func (s *Service) CheckIn(ctx context.Context, sc identity.Scope, eventID string, in CheckIn) (Registration, error) {
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	if code == "" {
		return Registration{}, apperr.FieldProblem("code", "required", "请输入或扫描签到码", "type or scan the check-in code")
	}
	if len(code) > 32 || !utf8.ValidString(code) {
		return Registration{}, apperr.FieldProblem("code", "invalid", "签到码无效", "the check-in code is not valid")
	}
	var out Registration
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		e, err := s.st.LockEvent(ctx, sc, eventID)
		if err != nil {
			return err
		}
		if !mayRun(sc, e.ParkID) {
			return apperr.ErrForbidden()
		}
		if e.Status == Cancelled {
			return apperr.New(apperr.Conflict, "活动已取消，不能签到", "the event is cancelled; there is no check-in")
		}
		if opens, closes := checkInDays(e); s.clock.Now().Before(opens) || !s.clock.Now().Before(closes) {
			first, last := civil.FromTime(e.StartsAt).String(), civil.FromTime(e.EndsAt).String()
			return apperr.New(apperr.Conflict, "签到仅在活动当天开放（"+first+" 至 "+last+"）", "check-in is open on the event's days only ("+first+" to "+last+")")
		}
		r, err := s.st.RegistrationByCode(ctx, eventID, code)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.FieldProblem("code", "not_found", "签到码不属于本活动", "no registration of this event has this code")
		}
		if err != nil {
			return err
		}
		switch {
		case r.Status == Waitlisted:
			return apperr.FieldProblem("code", "waitlisted", "该报名仍在候补，未获名额", "this registration is on the waiting list, without a place")
		case r.Status == Withdrawn:
			return apperr.FieldProblem("code", "cancelled", "该报名已取消", "this registration was cancelled")
		case r.CheckedInAt != nil:
			return apperr.FieldProblem("code", "already_used", "签到码已使用（"+r.CheckedInAt.In(civil.Shanghai).Format("15:04")+" 已签到）",
				"the code was used already (checked in at "+r.CheckedInAt.In(civil.Shanghai).Format("15:04")+")")
		}
		now := s.clock.Now()
		ok, err := s.st.MarkCheckedIn(ctx, r.ID, now)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.FieldProblem("code", "already_used", "签到码已使用", "the code was used already")
		}
		out = r
		out.CheckedInAt = &now
		return s.st.Record(ctx, sc, "check_in", "event_registration", r.ID, r, out)
	})
	return out, err
}

// checkInDays are when the door is open: from the start of the event's first day to the end of
// its last, in Beijing time.
func checkInDays(e Event) (opens, closes time.Time) {
	first, last := e.StartsAt.In(civil.Shanghai), e.EndsAt.In(civil.Shanghai)
	opens = time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, civil.Shanghai)
	closes = time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, civil.Shanghai)
	return opens, closes
}

// Registration reads one registration in the caller's scope.
func (s *Service) Registration(ctx context.Context, sc identity.Scope, id string) (Registration, error) {
	return s.st.GetRegistration(ctx, sc, id)
}

// Mine are the caller's live registrations of events not yet over.
func (s *Service) Mine(ctx context.Context, sc identity.Scope) ([]Registration, error) {
	return s.st.MyRegistrations(ctx, sc.Username, s.clock.Now())
}

// Attendance is an event's registrations and figures, for the park's staff and the authority.
func (s *Service) Attendance(ctx context.Context, sc identity.Scope, id string) (Attendance, error) {
	e, err := s.st.GetEvent(ctx, sc, id)
	if err != nil {
		return Attendance{}, err
	}
	if sc.Role.IsEnterprise() {
		return Attendance{}, apperr.ErrForbidden()
	}
	regs, err := s.st.EventRegistrations(ctx, id)
	if err != nil {
		return Attendance{}, err
	}
	a := Attendance{Event: e, Registration: regs, Ended: !s.clock.Now().Before(e.EndsAt)}
	for _, r := range regs {
		switch {
		case r.Status == Withdrawn:
			a.Cancelled++
		case r.Status == Waitlisted:
			a.Waitlisted++
		case r.CheckedInAt != nil:
			a.Registered++
			a.CheckedIn++
		default:
			a.Registered++
			if a.Ended {
				a.NoShows++
			}
		}
	}
	if a.Registered > 0 {
		rate := float64(a.CheckedIn) / float64(a.Registered)
		a.Rate = &rate
	}
	return a, nil
}

// ICS is an event as an iCalendar document, for whoever sees it; with a registration, the
// registrant's own entry carries the check-in code.
func (s *Service) ICS(ctx context.Context, sc identity.Scope, eventID, registrationID string) ([]byte, string, error) {
	var r Registration
	if registrationID != "" {
		var err error
		if r, err = s.st.GetRegistration(ctx, sc, registrationID); err != nil {
			return nil, "", err
		}
		eventID = r.EventID
	}
	e, err := s.st.GetEvent(ctx, sc, eventID)
	if err != nil {
		return nil, "", err
	}
	where := e.Location
	if e.VenueName != "" {
		where = strings.TrimSpace(e.ParkName + " " + e.VenueName + " " + e.Location)
	}
	entry := booking.Event{UID: e.ID + "@parkos", Start: e.StartsAt, End: e.EndsAt, Summary: e.Title, Description: e.Description,
		Location: where, Stamp: e.UpdatedAt}
	if r.ID != "" {
		entry.UID = r.ID + "@parkos"
		entry.Description = strings.TrimSpace(e.Description + "\n签到码 / check-in code: " + r.Code)
		entry.Tentative = r.Status == Waitlisted
	}
	return booking.ICS(e.Title, []booking.Event{entry}), e.Title, nil
}

// QR is a registration's check-in code as a QR code (PNG), for its registrant and the park.
func (s *Service) QR(ctx context.Context, sc identity.Scope, registrationID string) ([]byte, error) {
	r, err := s.st.GetRegistration(ctx, sc, registrationID)
	if err != nil {
		return nil, err
	}
	return qrcode.Encode(r.Code, qrcode.Medium, 256)
}

// Remind tells the users registered for events starting within a day, once each. It is a job
// of the delivery worker.
func (s *Service) Remind(ctx context.Context) (int, error) {
	n := 0
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		due, err := s.st.ClaimReminders(ctx, now, now.Add(24*time.Hour))
		if err != nil {
			return err
		}
		n = len(due)
		for _, r := range due {
			when := r.StartsAt.In(civil.Shanghai).Format("2006-01-02 15:04")
			e := Event{ID: r.EventID}
			if err := s.tell(ctx, r.Username, "event_reminder", e, "活动提醒："+r.EventTitle, "Reminder: "+r.EventTitle,
				when+" 开始，签到码 "+r.Code, "starts "+when+"; check-in code "+r.Code); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}
