package servicedesk

import (
	"context"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
)

// Store is what the service desk needs of the data layer. Reads and Lock methods resolve ids
// in the caller's scope; the rest run in the transaction InTx opened.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	NewID() string

	// CheckServicePark resolves a park whose services the caller may see.
	CheckServicePark(ctx context.Context, sc identity.Scope, parkID string) error
	// ParkPlatforms are a park's changes to the default platforms and its own.
	ParkPlatforms(ctx context.Context, parkID string) ([]Platform, error)
	SavePlatform(ctx context.Context, parkID string, p Platform) error
	// Categories are the defaults (no park) and a park's own, of a kind.
	Categories(ctx context.Context, parkID string, kind Kind) ([]Category, error)
	// GetCategory, GetProvider and GetOffering read one of a park the caller sees, or one
	// without a park (defaults and the authority's).
	GetCategory(ctx context.Context, sc identity.Scope, id string) (Category, error)
	InsertCategory(ctx context.Context, c Category) error
	// Providers are a park's providers ("" for the authority's departments).
	Providers(ctx context.Context, parkID string) ([]Provider, error)
	GetProvider(ctx context.Context, sc identity.Scope, id string) (Provider, error)
	InsertProvider(ctx context.Context, p Provider) error
	Offerings(ctx context.Context, parkID string) ([]Offering, error)
	GetOffering(ctx context.Context, sc identity.Scope, id string) (Offering, error)
	InsertOffering(ctx context.Context, o Offering) error
	// WorkingHours are a park's working week (none set: nil).
	WorkingHours(ctx context.Context, parkID string) ([]WorkingWindow, error)
	SaveWorkingHours(ctx context.Context, parkID string, hours []WorkingWindow) error
	Holidays(ctx context.Context, parkID string, from, to civil.Date) ([]civil.Date, error)
	// ParkUnit is the code of a unit of a park the caller sees (a tenant: its own units).
	ParkUnit(ctx context.Context, sc identity.Scope, parkID, unitID string) (string, error)
	// StaffName is the stored username of an active user who works a park's requests (its park
	// managers and service staff), or, for parkID "", the authority's; "" for anyone else.
	StaffName(ctx context.Context, parkID, username string) (string, error)
	// StaffOf are the usernames StaffName accepts for a park.
	StaffOf(ctx context.Context, parkID string) ([]string, error)
	GetEnterprise(ctx context.Context, sc identity.Scope, id string) (enterprise.Enterprise, error)

	InsertTicket(ctx context.Context, t Ticket) error
	ListTickets(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Ticket], error)
	GetTicket(ctx context.Context, sc identity.Scope, id string) (Ticket, error)
	LockTicket(ctx context.Context, sc identity.Scope, id string) (Ticket, error)
	SaveTicket(ctx context.Context, t Ticket) error
	InsertComment(ctx context.Context, ticketID string, c Comment) error
	Comments(ctx context.Context, ticketID string, withInternal bool) ([]Comment, error)
	InsertAttachment(ctx context.Context, ticketID string, a Attachment, data []byte) error
	Attachments(ctx context.Context, ticketID string) ([]Attachment, error)
	AttachmentCount(ctx context.Context, ticketID string) (int, error)
	// AttachmentData is an attachment and its ticket's id, read in the caller's scope.
	AttachmentData(ctx context.Context, sc identity.Scope, id string) (Attachment, string, []byte, error)
	// ClaimDueSoon marks as warned, and returns, the unfinished tickets whose resolution is due
	// before an instant and who were not warned yet.
	ClaimDueSoon(ctx context.Context, before time.Time) ([]Ticket, error)
	// Tallies count tickets in the caller's scope by bucket of submission and by park or platform.
	Tallies(ctx context.Context, sc identity.Scope, q TallyQuery) ([]Tally, error)

	InsertCharge(ctx context.Context, c booking.Charge) error
}

// Notifier tells people of tickets, in the transaction of ctx.
type Notifier interface {
	TellUser(ctx context.Context, username string, m notify.Message) error
	TellParkStaff(ctx context.Context, parkID string, m notify.Message) error
	TellAuthority(ctx context.Context, m notify.Message) error
}

// Service keeps the catalog and the tickets.
type Service struct {
	st     Store
	clock  civil.Clock
	notify Notifier
}

// NewService builds the service desk; n may be nil (nobody is told).
func NewService(st Store, clock civil.Clock, n Notifier) *Service {
	return &Service{st: st, clock: clock, notify: n}
}

// WithClock is the service on another clock: what it files, it files at that clock's time (a
// history loaded after the fact — the demo's and the generator's past requests).
func (s *Service) WithClock(c civil.Clock) *Service {
	cp := *s
	cp.clock = c
	return &cp
}

func (s *Service) tell(fn func(n Notifier) error) error {
	if s.notify == nil {
		return nil
	}
	return fn(s.notify)
}

// bodyPark resolves a park named in a request body: one the caller may not see is a field
// not found.
func (s *Service) bodyPark(ctx context.Context, sc identity.Scope, parkID string) error {
	err := s.st.CheckServicePark(ctx, sc, parkID)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.FieldProblem("park_id", "not_found", "园区不存在", "no such park")
	}
	return err
}

// mayHandle: the caller works requests of the park (its staff) or, parkID "", the authority's
// demands.
func mayHandle(sc identity.Scope, kind Kind, parkID string) bool {
	if kind == Demand {
		return sc.Role == identity.Authority || sc.Role == identity.Admin
	}
	return sc.May(identity.HandleServices) && sc.HasPark(parkID)
}

// Calendar is a park's SLA calendar around an instant: its working week and its holidays of
// the three years from the year before.
func (s *Service) Calendar(ctx context.Context, parkID string, around time.Time) (Calendar, error) {
	hours, err := s.st.WorkingHours(ctx, parkID)
	if err != nil {
		return Calendar{}, err
	}
	if len(hours) == 0 {
		hours = DefaultHours
	}
	y := civil.FromTime(around).Year()
	holidays, err := s.st.Holidays(ctx, parkID, civil.Of(y-1, 1, 1), civil.Of(y+1, 12, 31))
	return Calendar{Hours: hours, Holidays: holidays}, err
}

// WorkingHours are a park's working week (the default when it set none).
func (s *Service) WorkingHours(ctx context.Context, sc identity.Scope, parkID string) ([]WorkingWindow, error) {
	if err := s.st.CheckServicePark(ctx, sc, parkID); err != nil {
		return nil, err
	}
	hours, err := s.st.WorkingHours(ctx, parkID)
	if len(hours) == 0 {
		hours = DefaultHours
	}
	return hours, err
}

// SetWorkingHours replaces a park's working week; tickets already submitted keep their dues.
func (s *Service) SetWorkingHours(ctx context.Context, sc identity.Scope, parkID string, hours []WorkingWindow) ([]WorkingWindow, error) {
	if err := s.st.CheckServicePark(ctx, sc, parkID); err != nil {
		return nil, err
	}
	if !mayHandle(sc, Request, parkID) {
		return nil, apperr.ErrForbidden()
	}
	if err := ValidateHours(hours); err != nil {
		return nil, err
	}
	return hours, s.st.InTx(ctx, func(ctx context.Context) error {
		before, err := s.st.WorkingHours(ctx, parkID)
		if err != nil {
			return err
		}
		if err := s.st.SaveWorkingHours(ctx, parkID, hours); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "update", "working_hours", parkID, ParkSetting{ParkID: parkID, Hours: before}, ParkSetting{ParkID: parkID, Hours: hours})
	})
}
