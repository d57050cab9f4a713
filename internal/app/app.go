// Package app assembles the services of every bounded context on one store and one clock. The
// API and the console are built on it and never see the store behind it.
package app

import (
	"context"

	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/evaluation"
	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/goals"
	"github.com/parkos/parkos/internal/idempotency"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/policy"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/servicedesk"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/uploadstash"
)

// Health is what the readiness check asks of the database.
type Health interface {
	// Ready is nil when the database answers and holds no half-written data set.
	Ready(ctx context.Context) error
	// Engine names the engine: sqlite or postgres.
	Engine() string
}

// Store is everything the services need of the data layer.
type Store interface {
	space.Store
	space.UnitStore
	enterprise.Store
	leasing.Store
	leasing.ContractStore
	leasing.SnapshotStore
	stats.Store
	stats.ReportStore
	enterprise.WriteStore
	identity.Store
	identity.AccountStore
	onboard.Store
	idempotency.Store
	indicator.Store
	pool.Store
	goals.Store
	evaluation.Store
	booking.Store
	servicedesk.Store
	billing.Store
	policy.Store
	event.Store
	notify.Store
	notify.Recipients
	notify.Outbox
	uploadstash.Store
	Health
}

// Services are the bounded contexts' services, sharing one clock.
type Services struct {
	Clock      civil.Clock
	Space      *space.Service
	Enterprise *enterprise.Service
	Leasing    *leasing.Service
	Stats      *stats.Service
	Accounts   *identity.Accounts
	Onboard    *onboard.Service
	Indicators *indicator.Service
	Pool       *pool.Service
	Goals      *goals.Service
	Evaluation *evaluation.Service
	Bookings   *booking.Service
	Services   *servicedesk.Service
	Billing    *billing.Service
	Policies   *policy.Service
	Events     *event.Service
	Notices    *notify.Service
	// Uploads keeps console uploads between their preview and their confirmation.
	Uploads *uploadstash.Service
	// Outbox is what the delivery worker sends from.
	Outbox notify.Outbox
	Health Health
	// Idempotency keeps the keys of creating requests and their answers.
	Idempotency idempotency.Store
	store       Store
}

// On is the same services on another clock: the demo loader writes last year's events as they
// happened, each on its own day.
func (s *Services) On(clock civil.Clock) *Services { return New(s.store, clock) }

// Atomically runs fn so that every write the services make with the context it is given lands
// in one transaction, or none does; their reads with that context see those writes.
func (s *Services) Atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.store.InTx(ctx, fn)
}

// New builds every service on st and clock.
func New(st Store, clock civil.Clock) *Services {
	lease, ent, sp := leasing.NewService(st, clock), enterprise.NewService(st, clock), space.NewService(st, clock)
	notices := notify.NewService(st, clock.Now)
	bookings := booking.NewService(st, clock, notices)
	services := servicedesk.NewService(st, clock, notices)
	ind := indicator.NewService(st, indicator.Sources{Occupancy: lease, Facilities: bookings, Services: services}, clock)
	return &Services{
		Clock:       clock,
		Space:       sp,
		Enterprise:  ent,
		Leasing:     lease,
		Stats:       stats.NewService(st, clock),
		Accounts:    identity.NewAccounts(st, clock.Now),
		Onboard:     onboard.NewService(st, importWriter{lease, ent, sp}),
		Indicators:  ind,
		Pool:        pool.NewService(st, clock),
		Goals:       goals.NewService(st, ind),
		Evaluation:  evaluation.NewService(st, ind),
		Bookings:    bookings,
		Services:    services,
		Billing:     billing.NewService(st, clock, notices),
		Policies:    policy.NewService(st, clock, notices),
		Events:      event.NewService(st, bookings, clock, notices),
		Notices:     notices,
		Uploads:     uploadstash.NewService(st, clock),
		Outbox:      st,
		Health:      st,
		Idempotency: st,
		store:       st,
	}
}

// importWriter is what an onboarding import writes through: the leasing, enterprise and space
// services (named apart, since each type is called Service).
type importWriter struct {
	*leasingService
	*enterpriseService
	*spaceService
}

type (
	leasingService    = leasing.Service
	enterpriseService = enterprise.Service
	spaceService      = space.Service
)
