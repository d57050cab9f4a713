package booking

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
)

// Store is what bookings need of the data layer. Reads and the Lock methods resolve ids in the
// caller's scope; the rest are primitives that run in the transaction InTx opened.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	NewID() string

	// ListResources are the resources the caller may see (one park's when parkID is set):
	// operators their parks', enterprise users their park's and those shared with every park.
	ListResources(ctx context.Context, sc identity.Scope, parkID string) ([]Resource, error)
	GetResource(ctx context.Context, sc identity.Scope, id string) (Resource, error)
	// LockResource locks a resource and reads it in the caller's scope: bookings of one resource
	// queue behind it.
	LockResource(ctx context.Context, sc identity.Scope, id string) (Resource, error)
	// InsertResource writes a resource of a park the caller operates.
	InsertResource(ctx context.Context, sc identity.Scope, r Resource) error
	SaveResource(ctx context.Context, r Resource) error

	// Holidays are a park's closed days between two days.
	Holidays(ctx context.Context, parkID string, from, to civil.Date) ([]civil.Date, error)
	// InsertHoliday closes a park for a day; a day closed already is a conflict.
	InsertHoliday(ctx context.Context, parkID string, h Holiday) error
	// Taken are the times held on a resource between two instants.
	Taken(ctx context.Context, resourceID string, from, to time.Time) ([][2]time.Time, error)
	// BookedMinutes are the minutes an enterprise holds or used of a resource between two instants.
	BookedMinutes(ctx context.Context, resourceID, enterpriseID string, from, to time.Time) (int, error)
	// InsertBooking writes a booking; one that overlaps a held booking of its resource is a
	// conflict, refused by the database whatever the service checked.
	InsertBooking(ctx context.Context, b Booking) error
	ListBookings(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Booking], error)
	GetBooking(ctx context.Context, sc identity.Scope, id string) (Booking, error)
	LockBooking(ctx context.Context, sc identity.Scope, id string) (Booking, error)
	SaveBookingStatus(ctx context.Context, b Booking) error

	// ValidCertificate reports whether a user holds a certificate of a kind valid on a day.
	ValidCertificate(ctx context.Context, username, kind string, on civil.Date) (bool, error)
	// UserEnterprise is the enterprise of an enterprise user the caller may see ("" when the
	// user is not an enterprise's or is out of scope).
	UserEnterprise(ctx context.Context, sc identity.Scope, username string) (string, error)
	InsertCertificate(ctx context.Context, c Certificate) error
	// CheckFacilityPark resolves a park named in a body in the caller's scope.
	CheckFacilityPark(ctx context.Context, sc identity.Scope, parkID string) error
	// ExpiringCertificates claims, marking them reminded, the certificates expiring in [from, to]
	// whose holders were not reminded yet.
	ExpiringCertificates(ctx context.Context, from, to, today civil.Date) ([]Certificate, error)
	ListCertificates(ctx context.Context, sc identity.Scope, parkID string) ([]Certificate, error)

	// InsertCharge keeps a charge once per source: a second charge of one booking is ignored.
	InsertCharge(ctx context.Context, c Charge) error
	ListCharges(ctx context.Context, sc identity.Scope, enterpriseID string) ([]Charge, error)
	// Uses are the used times (approved, checked in, completed, no-show) of a park's resources
	// starting in [from, to), in the caller's scope of parks.
	Uses(ctx context.Context, sc identity.Scope, parkID string, from, to time.Time) ([]Use, error)
	InsertFeed(ctx context.Context, f Feed, tokenHash string) error
	Feeds(ctx context.Context, userID string) ([]Feed, error)
	FeedByToken(ctx context.Context, tokenHash string) (Feed, error)
	RevokeFeed(ctx context.Context, userID, id string) error
	// GetUser reads a user in the caller's scope (a feed is read as its maker).
	GetUser(ctx context.Context, sc identity.Scope, id string) (identity.User, error)
	// GetEnterprise resolves an enterprise in the caller's scope.
	GetEnterprise(ctx context.Context, sc identity.Scope, id string) (enterprise.Enterprise, error)
}

// Notifier tells people of bookings (the notification center), in the transaction of ctx.
type Notifier interface {
	TellUser(ctx context.Context, username string, m notify.Message) error
	TellParkStaff(ctx context.Context, parkID string, m notify.Message) error
}

// Service keeps resources, bookings and certificates.
type Service struct {
	st     Store
	clock  civil.Clock
	notify Notifier
}

// NewService builds the booking service; n may be nil (nobody is told).
func NewService(st Store, clock civil.Clock, n Notifier) *Service {
	return &Service{st: st, clock: clock, notify: n}
}

// tell runs fn on the notifier when there is one.
func (s *Service) tell(fn func(n Notifier) error) error {
	if s.notify == nil {
		return nil
	}
	return fn(s.notify)
}

func when(b Booking) string {
	return b.Start.In(civil.Shanghai).Format("2006-01-02 15:04") + "–" + b.End.In(civil.Shanghai).Format("15:04")
}

// Resources are the resources the caller may book or manage.
func (s *Service) Resources(ctx context.Context, sc identity.Scope, parkID string) ([]Resource, error) {
	return s.st.ListResources(ctx, sc, parkID)
}

// Resource is one resource.
func (s *Service) Resource(ctx context.Context, sc identity.Scope, id string) (Resource, error) {
	return s.st.GetResource(ctx, sc, id)
}

// CreateResource adds a bookable resource to a park the caller operates.
func (s *Service) CreateResource(ctx context.Context, sc identity.Scope, n NewResource) (Resource, error) {
	if !sc.May(identity.ManageFacilities) {
		return Resource{}, apperr.ErrForbidden()
	}
	if err := n.Validate(); err != nil {
		return Resource{}, err
	}
	r := Resource{ID: s.st.NewID(), ParkID: n.ParkID, Code: n.Code, Name: n.Name, Kind: n.Kind, Description: n.Description, ResourceRules: n.ResourceRules}
	r.Active = true
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertResource(ctx, sc, r); err != nil {
			return err
		}
		var err error
		if r, err = s.st.LockResource(ctx, sc, r.ID); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "resource", r.ID, nil, r)
	})
	return r, err
}

// UpdateRules changes a resource's rules; bookings already made keep theirs.
func (s *Service) UpdateRules(ctx context.Context, sc identity.Scope, id string, rules ResourceRules) (Resource, error) {
	if _, err := s.st.GetResource(ctx, sc, id); err != nil {
		return Resource{}, err
	}
	if !sc.May(identity.ManageFacilities) {
		return Resource{}, apperr.ErrForbidden()
	}
	var f apperr.Fields
	rules.Validate(&f)
	if err := f.Err(); err != nil {
		return Resource{}, err
	}
	var out Resource
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		before, err := s.st.LockResource(ctx, sc, id)
		if err != nil {
			return err
		}
		out = before
		out.ResourceRules = rules
		if err := s.st.SaveResource(ctx, out); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "update", "resource", id, before, out)
	})
	return out, err
}

// Book books a resource for the caller's enterprise: once, or weekly for n.Weeks weeks. A single
// booking refused by a rule is an error naming the rule and what would be allowed; a series
// books every date it can and reports each date it could not, with the rule.
func (s *Service) Book(ctx context.Context, sc identity.Scope, n NewBooking) (SeriesResult, error) {
	if err := n.Validate(); err != nil {
		return SeriesResult{}, err
	}
	if !sc.Role.IsEnterprise() || sc.EnterpriseID == "" {
		return SeriesResult{}, apperr.New(apperr.Forbidden, "只有企业用户可以预约", "only an enterprise's users book facilities")
	}
	// Read before the transaction: a read inside it would wait for a pooled connection that
	// the transactions queued on the resource's lock may all hold (PostgreSQL).
	booker, err := s.st.GetEnterprise(ctx, sc, sc.EnterpriseID)
	if err != nil {
		return SeriesResult{}, err
	}
	out := SeriesResult{Booked: []Booking{}, Refused: []Conflict{}}
	series := ""
	if n.Weeks > 1 {
		series = s.st.NewID()
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		r, err := s.st.LockResource(ctx, sc, n.ResourceID)
		if apperr.Is(err, apperr.NotFound) {
			return ruleError("resource_id", "not_found", "资源不存在", "no such resource")
		}
		if err != nil {
			return err
		}
		if !r.Active {
			return ruleError("resource_id", "inactive", "该资源已停用", "this resource is not in service")
		}
		for week := range n.Weeks {
			start, end := n.Start.AddDate(0, 0, 7*week), n.End.AddDate(0, 0, 7*week)
			b, err := s.bookOne(ctx, sc, booker, r, start, end, n.Note, series)
			if err != nil {
				ae, ok := apperr.As(err)
				if !ok || n.Weeks == 1 || len(ae.Fields) == 0 {
					return err
				}
				out.Refused = append(out.Refused, Conflict{Date: civil.FromTime(start), Rule: ae.Fields[0].Code,
					MessageZh: ae.Fields[0].MessageZh, MessageEn: ae.Fields[0].MessageEn})
				continue
			}
			out.Booked = append(out.Booked, b)
		}
		if len(out.Booked) == 0 && len(out.Refused) > 0 {
			return ruleError("start", "series_refused", "每一周都无法预约，见各日期原因", "no week of the series could be booked; see each date's reason")
		}
		return nil
	})
	return out, err
}

// bookOne checks every rule for one booking of r and writes it, in the transaction that holds
// r's lock.
func (s *Service) bookOne(ctx context.Context, sc identity.Scope, booker enterprise.Enterprise, r Resource, start, end time.Time, note, series string) (Booking, error) {
	day := civil.FromTime(start)
	holidays, err := s.st.Holidays(ctx, r.ParkID, day, day)
	if err != nil {
		return Booking{}, err
	}
	if err := r.CheckTime(start, end, s.clock.Now(), holidays); err != nil {
		return Booking{}, err
	}
	minutes := int(end.Sub(start) / time.Minute)
	dayStart := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, civil.Shanghai)
	taken, err := s.st.Taken(ctx, r.ID, dayStart, dayStart.AddDate(0, 0, 1))
	if err != nil {
		return Booking{}, err
	}
	for _, t := range taken {
		if start.Before(t[1]) && t[0].Before(end) {
			return Booking{}, s.overlap(r, start, minutes, taken, holidays)
		}
	}
	home := booker.ParkID
	kind := "member"
	switch {
	case home == "":
		kind = "non_member"
	case home != r.ParkID:
		kind = "other_park"
	}
	if r.Certificate != "" {
		ok, err := s.st.ValidCertificate(ctx, sc.Username, r.Certificate, day)
		if err != nil {
			return Booking{}, err
		}
		if !ok {
			return Booking{}, ruleError("resource_id", "certificate", fmt.Sprintf("须持有 %s 当日有效的培训合格证（%s），请向园区申请培训", day, r.Certificate),
				fmt.Sprintf("a training certificate \"%s\" valid on %s is required; ask the park for the training", r.Certificate, day))
		}
	}
	if r.Quota.Hours > 0 {
		from, to := quotaPeriod(day, r.Quota.Per)
		used, err := s.st.BookedMinutes(ctx, r.ID, sc.EnterpriseID, from, to)
		if err != nil {
			return Booking{}, err
		}
		if left := r.Quota.Hours*60 - used; minutes > left {
			per := map[string][2]string{"week": {"每周", "a week"}, "month": {"每月", "a month"}}[r.Quota.Per]
			return Booking{}, ruleError("end", "quota", fmt.Sprintf("超出配额：%s %d 小时，本期剩余 %d 分钟", per[0], r.Quota.Hours, max(0, left)),
				fmt.Sprintf("over the quota of %d hours %s: %d minutes left in this period", r.Quota.Hours, per[1], max(0, left)))
		}
	}
	price, rule := r.Price(kind, minutes)
	status := Approved
	if r.NeedsApproval {
		status = Requested
	}
	b := Booking{ID: s.st.NewID(), ResourceID: r.ID, ResourceName: r.Name, ParkID: r.ParkID, EnterpriseID: sc.EnterpriseID,
		EnterpriseName: booker.Name, Username: sc.Username,
		Start: start.In(civil.Shanghai), End: end.In(civil.Shanghai), Status: status, BookerKind: kind, Price: price, PriceRule: rule, SeriesID: series, Note: note}
	if err := s.st.InsertBooking(ctx, b); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Booking{}, s.overlap(r, start, minutes, taken, holidays)
		}
		return Booking{}, err
	}
	if err := s.st.Record(ctx, sc, "create", "booking", b.ID, nil, b); err != nil {
		return Booking{}, err
	}
	if b.Status == Requested {
		err = s.tell(func(n Notifier) error {
			return n.TellParkStaff(ctx, r.ParkID, notify.Message{Kind: "booking_requested", Link: "/bookings",
				TitleZh: "待审批预约：" + r.Name, TitleEn: "Booking to approve: " + r.Name,
				BodyZh: sc.Username + " 预约 " + when(b), BodyEn: sc.Username + " asks for " + when(b)})
		})
	}
	return b, err
}

// VenueKinds are the resources an event may be held in.
var VenueKinds = []Kind{"meeting_room", "roadshow_hall"}

// EventBooking is the booker kind of a park event's venue: the park's own booking, with no
// enterprise and no charge.
const EventBooking = "event"

// BookVenue books a resource of the event's park for an event, in the transaction of ctx: the
// resource's opening hours, holidays and slots apply, and its other bookings — no venue is ever
// booked twice at once.
func (s *Service) BookVenue(ctx context.Context, sc identity.Scope, resourceID, parkID, title string, start, end time.Time) (Booking, error) {
	r, err := s.st.LockResource(ctx, sc, resourceID)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return Booking{}, ruleError("resource_id", "not_found", "场地不存在", "no such venue")
		}
		return Booking{}, err
	}
	if r.ParkID != parkID {
		return Booking{}, ruleError("resource_id", "other_park", "活动场地须是本园区的资源", "the venue must be a resource of the event's park")
	}
	if !r.Active {
		return Booking{}, ruleError("resource_id", "inactive", "该资源已停用", "this resource is not in service")
	}
	if !slices.Contains(VenueKinds, r.Kind) {
		return Booking{}, ruleError("resource_id", "not_a_venue", "活动场地须是会议室或路演厅", "an event's venue is a meeting room or a roadshow hall")
	}
	day := civil.FromTime(start)
	holidays, err := s.st.Holidays(ctx, r.ParkID, day, day)
	if err != nil {
		return Booking{}, err
	}
	if err := r.CheckTime(start, end, s.clock.Now(), holidays); err != nil {
		return Booking{}, err
	}
	// Taken is read before the insert: on PostgreSQL a refused insert ends the transaction.
	dayStart := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, civil.Shanghai)
	taken, err := s.st.Taken(ctx, r.ID, dayStart, dayStart.AddDate(0, 0, 1))
	if err != nil {
		return Booking{}, err
	}
	for _, t := range taken {
		if start.Before(t[1]) && t[0].Before(end) {
			return Booking{}, s.overlap(r, start, int(end.Sub(start)/time.Minute), taken, holidays)
		}
	}
	b := Booking{ID: s.st.NewID(), ResourceID: r.ID, ResourceName: r.Name, ParkID: r.ParkID, Username: sc.Username,
		Start: start.In(civil.Shanghai), End: end.In(civil.Shanghai), Status: Approved, BookerKind: EventBooking, PriceRule: "event", Note: title}
	if err := s.st.InsertBooking(ctx, b); err != nil {
		return Booking{}, err
	}
	return b, s.st.Record(ctx, sc, "create", "booking", b.ID, nil, b)
}

// ReleaseVenue cancels an event's venue booking, in the transaction of ctx.
func (s *Service) ReleaseVenue(ctx context.Context, sc identity.Scope, bookingID, reason string) error {
	before, err := s.st.LockBooking(ctx, sc, bookingID)
	if err != nil || !before.Status.Holds() {
		return err
	}
	out := before
	out.Status, out.Reason = Cancelled, reason
	if err := s.st.SaveBookingStatus(ctx, out); err != nil {
		return err
	}
	return s.st.Record(ctx, sc, "cancel", "booking", bookingID, before, out)
}

// overlap refuses a taken time, naming the next free stretch of the same length that day.
func (s *Service) overlap(r Resource, start time.Time, minutes int, taken [][2]time.Time, holidays []civil.Date) error {
	err := apperr.New(apperr.Conflict, "该时段已被预约，当天没有同样长度的空闲时段", "this time is taken, and the day has no free stretch as long")
	if next, ok := r.NextFree(start, minutes, taken, holidays); ok {
		at := next.In(civil.Shanghai).Format("15:04")
		err = apperr.New(apperr.Conflict, fmt.Sprintf("该时段已被预约，当天最近可约：%s 起 %d 分钟", at, minutes),
			fmt.Sprintf("this time is taken; the next free %d minutes that day start at %s", minutes, at))
	}
	return err.WithField("start", "overlap")
}

// quotaPeriod is the week (Monday to Sunday) or month holding day, as instants.
func quotaPeriod(day civil.Date, per string) (time.Time, time.Time) {
	first := day.AddDays(1 - day.ISOWeekday())
	last := first.AddDays(7)
	if per == "month" {
		first = civil.Of(day.Year(), day.Month(), 1)
		last = first.AddMonths(1)
	}
	at := func(d civil.Date) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, civil.Shanghai)
	}
	return at(first), at(last)
}

// transitions are the decisions on a booking: from which statuses, to which, and who.
var transitions = map[string]struct {
	from    []Status
	to      Status
	manager bool // the park's facility staff; else the booker's enterprise (or staff)
}{
	"approve":  {[]Status{Requested}, Approved, true},
	"reject":   {[]Status{Requested}, Rejected, true},
	"check_in": {[]Status{Approved}, CheckedIn, true},
	"complete": {[]Status{CheckedIn}, Completed, true},
	"no_show":  {[]Status{Approved}, NoShow, true},
	"cancel":   {[]Status{Requested, Approved}, Cancelled, false},
}

// Decide moves a booking on. Facility staff approve, reject, check in, complete and mark no-shows
// (a completed booking, or a no-show, is charged); the booker's enterprise cancels until the
// cancellation window closes, staff at any time with a reason.
func (s *Service) Decide(ctx context.Context, sc identity.Scope, id string, d Decision) (Booking, error) {
	t, ok := transitions[d.Action]
	if !ok {
		return Booking{}, ruleError("action", "unknown_value", "操作应为 approve、reject、check_in、complete、no_show 或 cancel",
			"action must be approve, reject, check_in, complete, no_show or cancel")
	}
	var f apperr.Fields
	if (d.Action == "reject" || d.Action == "cancel" && sc.May(identity.ManageFacilities)) && d.Reason == "" {
		f.Required("reason")
	}
	if err := f.Err(); err != nil {
		return Booking{}, err
	}
	staff := sc.May(identity.ManageFacilities)
	if t.manager && !staff {
		return Booking{}, apperr.ErrForbidden()
	}
	var out Booking
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		before, err := s.st.LockBooking(ctx, sc, id)
		if err != nil {
			return err
		}
		if !staff && before.EnterpriseID != sc.EnterpriseID {
			return apperr.ErrForbidden()
		}
		if before.BookerKind == EventBooking {
			return apperr.New(apperr.Conflict, "活动场地随活动变更或取消", "an event's venue changes or is cancelled with its event").WithField("action", "event")
		}
		if !slices.Contains(t.from, before.Status) {
			return apperr.New(apperr.Conflict, fmt.Sprintf("预约状态为 %s，不能执行此操作", before.Status),
				fmt.Sprintf("a booking that is %s cannot be moved this way", before.Status)).WithField("action", "status")
		}
		if d.Action == "cancel" && !staff {
			r, err := s.st.GetResource(ctx, sc, before.ResourceID)
			if err != nil {
				return err
			}
			if deadline := before.Start.Add(-time.Duration(r.CancelHours) * time.Hour); s.clock.Now().After(deadline) {
				at := deadline.In(civil.Shanghai).Format("2006-01-02 15:04")
				return ruleError("action", "cancel_window", fmt.Sprintf("已过取消期限（须在开始前 %d 小时，即 %s 之前取消）", r.CancelHours, at),
					fmt.Sprintf("too late to cancel: cancel at least %d hours before the start, by %s", r.CancelHours, at))
			}
		}
		out = before
		out.Status, out.Reason = t.to, d.Reason
		if err := s.st.SaveBookingStatus(ctx, out); err != nil {
			return err
		}
		if out.Status == Completed || out.Status == NoShow {
			c := Charge{ID: s.st.NewID(), ParkID: out.ParkID, EnterpriseID: out.EnterpriseID, Source: "booking", SourceID: out.ID,
				Amount: out.Price, Rule: out.PriceRule, On: civil.FromTime(out.Start)}
			if err := s.st.InsertCharge(ctx, c); err != nil {
				return err
			}
		}
		if err := s.st.Record(ctx, sc, d.Action, "booking", id, before, out); err != nil {
			return err
		}
		if d.Action != "approve" && d.Action != "reject" {
			return nil
		}
		verb := map[string][2]string{"approve": {"已批准", "approved"}, "reject": {"被驳回", "rejected"}}[d.Action]
		return s.tell(func(n Notifier) error {
			return n.TellUser(ctx, out.Username, notify.Message{Kind: "booking_decided", Link: "/bookings",
				TitleZh: "预约" + verb[0] + "：" + out.ResourceName, TitleEn: "Booking " + verb[1] + ": " + out.ResourceName,
				BodyZh: when(out) + " " + d.Reason, BodyEn: when(out) + " " + d.Reason})
		})
	})
	return out, err
}

// Bookings lists bookings in the caller's scope: an enterprise its own, staff their parks'.
func (s *Service) Bookings(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Booking], error) {
	return s.st.ListBookings(ctx, sc, f, req)
}

// Booking is one booking.
func (s *Service) Booking(ctx context.Context, sc identity.Scope, id string) (Booking, error) {
	return s.st.GetBooking(ctx, sc, id)
}

// Week is a resource's seven days from a Monday: each day's opening hours cut into slots, each
// free or taken (§7: the week calendar).
type Week struct {
	Resource Resource `json:"resource"`
	Monday   civil.Date
	Days     []Day `json:"days"`
}

// Day is one day of a Week.
type Day struct {
	Date    civil.Date `json:"date"`
	Holiday bool       `json:"holiday"`
	Slots   []Slot     `json:"slots"`
}

// Slot is one slot of a day: free, taken, or past (before the lead time allows).
type Slot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	State string    `json:"state"` // free | taken | closed
}

// WeekOf is the week calendar of a resource for the week holding day.
func (s *Service) WeekOf(ctx context.Context, sc identity.Scope, id string, day civil.Date) (Week, error) {
	if day.Year() < 1990 || day.Year() > 2100 {
		return Week{}, ruleError("day", "out_of_range", "日期应在 1990–2100 年之间", "the day must lie within 1990–2100")
	}
	r, err := s.st.GetResource(ctx, sc, id)
	if err != nil {
		return Week{}, err
	}
	monday := day.AddDays(1 - day.ISOWeekday())
	from, to := quotaPeriod(day, "week")
	taken, err := s.st.Taken(ctx, r.ID, from, to)
	if err != nil {
		return Week{}, err
	}
	holidays, err := s.st.Holidays(ctx, r.ParkID, monday, monday.AddDays(6))
	if err != nil {
		return Week{}, err
	}
	earliest := s.clock.Now().Add(time.Duration(r.LeadHours) * time.Hour)
	w := Week{Resource: r, Monday: monday}
	for i := range 7 {
		d := monday.AddDays(i)
		day := Day{Date: d, Holiday: slices.Contains(holidays, d), Slots: []Slot{}}
		midnight := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, civil.Shanghai)
		for _, win := range r.Hours {
			if win.Weekday != d.ISOWeekday() || day.Holiday {
				continue
			}
			wf, _ := ClockMinutes(win.From)
			wt, _ := ClockMinutes(win.To)
			for m := wf; m+r.SlotMinutes <= wt; m += r.SlotMinutes {
				st := midnight.Add(time.Duration(m) * time.Minute)
				sl := Slot{Start: st, End: st.Add(time.Duration(r.SlotMinutes) * time.Minute), State: "free"}
				for _, t := range taken {
					if sl.Start.Before(t[1]) && t[0].Before(sl.End) {
						sl.State = "taken"
					}
				}
				if sl.State == "free" && sl.Start.Before(earliest) {
					sl.State = "closed"
				}
				day.Slots = append(day.Slots, sl)
			}
		}
		w.Days = append(w.Days, day)
	}
	return w, nil
}

// IssueCertificate gives an enterprise's user a training certificate (park facility staff).
func (s *Service) IssueCertificate(ctx context.Context, sc identity.Scope, n NewCertificate) (Certificate, error) {
	if !sc.May(identity.ManageFacilities) {
		return Certificate{}, apperr.ErrForbidden()
	}
	if err := n.Validate(); err != nil {
		return Certificate{}, err
	}
	var c Certificate
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.CheckFacilityPark(ctx, sc, n.ParkID); err != nil {
			return err
		}
		ent, err := s.st.UserEnterprise(ctx, sc, n.Username)
		if err != nil {
			return err
		}
		if ent == "" {
			return ruleError("username", "unknown", "没有该企业用户", "no such enterprise user")
		}
		c = Certificate{ID: s.st.NewID(), ParkID: n.ParkID, EnterpriseID: ent, Username: n.Username, Kind: n.Kind, IssuedOn: n.IssuedOn, ExpiresOn: n.ExpiresOn}
		if err := s.st.InsertCertificate(ctx, c); err != nil {
			return err
		}
		if err := s.st.Record(ctx, sc, "create", "certificate", c.ID, nil, c); err != nil {
			return err
		}
		return s.tell(func(n Notifier) error {
			return n.TellUser(ctx, c.Username, notify.Message{Kind: "certificate_issued", Link: "/facilities/certificates",
				TitleZh: "培训合格证已签发：" + c.Kind, TitleEn: "Training certificate issued: " + c.Kind,
				BodyZh: "有效期至 " + c.ExpiresOn.String(), BodyEn: "valid until " + c.ExpiresOn.String()})
		})
	})
	return c, err
}

// reminderDays is how long before its expiry a certificate's holder is reminded.
const reminderDays = 30

// RemindExpiring tells the holders of certificates expiring within reminderDays, once each, and
// says how many it told.
func (s *Service) RemindExpiring(ctx context.Context) (int, error) {
	today := s.clock.Today()
	n := 0
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		due, err := s.st.ExpiringCertificates(ctx, today, today.AddDays(reminderDays), today)
		if err != nil {
			return err
		}
		n = len(due)
		for _, c := range due {
			if err := s.tell(func(nt Notifier) error {
				return nt.TellUser(ctx, c.Username, notify.Message{Kind: "certificate_expiring", Link: "/facilities/certificates",
					TitleZh: "培训合格证即将到期：" + c.Kind, TitleEn: "Training certificate expiring: " + c.Kind,
					BodyZh: "有效期至 " + c.ExpiresOn.String() + "，请向园区申请复训", BodyEn: "valid until " + c.ExpiresOn.String() + "; ask the park for a refresher"})
			}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// Certificates are the certificates of a park's users (park staff) or one's own (enterprise users).
func (s *Service) Certificates(ctx context.Context, sc identity.Scope, parkID string) ([]Certificate, error) {
	return s.st.ListCertificates(ctx, sc, parkID)
}

// Holiday is a day a park is closed: no resource of it opens.
type Holiday struct {
	Day  civil.Date `json:"day"`
	Name string     `json:"name"`
}

// ParkHoliday is a holiday with its park, as the audit trail records it.
type ParkHoliday struct {
	ParkID string `json:"park_id"`
	Holiday
}

// AddHoliday closes a park for a day (facility staff of the park).
func (s *Service) AddHoliday(ctx context.Context, sc identity.Scope, parkID string, h Holiday) (Holiday, error) {
	return h, s.AddHolidays(ctx, sc, parkID, []Holiday{h})
}

// AddHolidays closes a park for several days at once (a year's public holidays), all or none.
func (s *Service) AddHolidays(ctx context.Context, sc identity.Scope, parkID string, hs []Holiday) error {
	if !sc.HasPark(parkID) {
		return apperr.ErrNotFound("园区", "park")
	}
	if !sc.May(identity.ManageFacilities) {
		return apperr.ErrForbidden()
	}
	var f apperr.Fields
	for _, h := range hs {
		if h.Day.IsZero() {
			f.Required("day")
		}
		if h.Name == "" {
			f.Required("name")
		}
		check.String(&f, "name", h.Name)
		check.Text(&f, "name", h.Name, check.NameLen)
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.st.InTx(ctx, func(ctx context.Context) error {
		for _, h := range hs {
			if err := s.st.InsertHoliday(ctx, parkID, h); err != nil {
				return err
			}
			if err := s.st.Record(ctx, sc, "create", "holiday", parkID+"/"+h.Day.String(), nil, ParkHoliday{ParkID: parkID, Holiday: h}); err != nil {
				return err
			}
		}
		return nil
	})
}

// ParkHolidays are a park's closed days in a year.
func (s *Service) ParkHolidays(ctx context.Context, sc identity.Scope, parkID string, year int) ([]civil.Date, error) {
	if !sc.HasPark(parkID) {
		return nil, apperr.ErrNotFound("园区", "park")
	}
	return s.st.Holidays(ctx, parkID, civil.Of(year, 1, 1), civil.Of(year, 12, 31))
}

// Charges are an enterprise's facility charges.
func (s *Service) Charges(ctx context.Context, sc identity.Scope, enterpriseID string) ([]Charge, error) {
	if _, err := s.st.GetEnterprise(ctx, sc, enterpriseID); err != nil {
		return nil, err
	}
	return s.st.ListCharges(ctx, sc, enterpriseID)
}
