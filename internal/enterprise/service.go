package enterprise

import (
	"context"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/refdata"
)

// Store is what the enterprise context reads, each call in the caller's scope: enterprises,
// their residencies and qualifications, and the reference data that classifies them.
type Store interface {
	ListEnterprises(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Enterprise], error)
	GetEnterprise(ctx context.Context, sc identity.Scope, id string) (Enterprise, error)
	ListResidencies(ctx context.Context, sc identity.Scope, f ResidencyFilter, req page.Request) (page.Page[Residency], error)
	GetResidency(ctx context.Context, sc identity.Scope, id string) (Residency, error)
	ListQualifications(ctx context.Context, sc identity.Scope, f QualificationFilter, req page.Request) (page.Page[Qualification], error)
	GetQualification(ctx context.Context, sc identity.Scope, id string) (Qualification, error)
	IndustryClasses(ctx context.Context, _ identity.Scope, prefix, q string) ([]refdata.IndustryClass, error)
	Chains(ctx context.Context, sc identity.Scope) ([]refdata.Chain, error)
}

// WriteStore holds the primitives the enterprise context's writes are composed of; every one
// but InTx runs in the transaction InTx opened, and resolves the ids a record names in the
// caller's scope.
type WriteStore interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	EnterpriseIn(ctx context.Context, sc identity.Scope, id string) (Enterprise, error)
	InsertEnterprise(ctx context.Context, sc identity.Scope, e Enterprise) (Enterprise, error)
	LockEnterprise(ctx context.Context, sc identity.Scope, id string) (Enterprise, error)
	SaveEnterprise(ctx context.Context, sc identity.Scope, e Enterprise, checkRefs bool) (Enterprise, error)
	// DeleteEnterpriseRow refuses an enterprise that still has residencies or accounts.
	DeleteEnterpriseRow(ctx context.Context, id string) error
	InsertResidency(ctx context.Context, sc identity.Scope, r Residency) (Residency, error)
	LockResidency(ctx context.Context, sc identity.Scope, id string) (Residency, error)
	SaveResidency(ctx context.Context, sc identity.Scope, r Residency) (Residency, error)
	DeleteResidencyRow(ctx context.Context, id string) error
	InsertQualification(ctx context.Context, sc identity.Scope, q Qualification) (Qualification, error)
	LockQualification(ctx context.Context, sc identity.Scope, id string) (Qualification, error)
	SaveQualification(ctx context.Context, sc identity.Scope, q Qualification) (Qualification, error)
	DeleteQualificationRow(ctx context.Context, id string) error
}

// Service is the enterprise context (§3): it owns who may change an enterprise's records and
// how, records every change, and serves the reads.
type Service struct {
	Store
	w     WriteStore
	clock civil.Clock
}

// NewService builds the enterprise service.
func NewService(st interface {
	Store
	WriteStore
}, clock civil.Clock) *Service {
	return &Service{Store: st, w: st, clock: clock}
}

// ExpiringBefore is the filter bound for qualifications expiring within days from today.
func (s *Service) ExpiringBefore(days int) civil.Date { return s.clock.Today().AddDays(days + 1) }
