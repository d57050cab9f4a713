package enterprise

import (
	"context"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/refdata"
)

// Store is what the enterprise context needs, each call in the caller's scope: enterprises,
// their residencies and qualifications, and the reference data that classifies them.
type Store interface {
	ListEnterprises(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Enterprise], error)
	GetEnterprise(ctx context.Context, sc identity.Scope, id string) (Enterprise, error)
	CreateEnterprise(ctx context.Context, sc identity.Scope, e Enterprise) (Enterprise, error)
	UpdateEnterprise(ctx context.Context, sc identity.Scope, e Enterprise) (Enterprise, error)
	DeleteEnterprise(ctx context.Context, sc identity.Scope, id string) error
	ListResidencies(ctx context.Context, sc identity.Scope, f ResidencyFilter, req page.Request) (page.Page[Residency], error)
	GetResidency(ctx context.Context, sc identity.Scope, id string) (Residency, error)
	CreateResidency(ctx context.Context, sc identity.Scope, r Residency) (Residency, error)
	UpdateResidency(ctx context.Context, sc identity.Scope, r Residency) (Residency, error)
	DeleteResidency(ctx context.Context, sc identity.Scope, id string) error
	ListQualifications(ctx context.Context, sc identity.Scope, f QualificationFilter, req page.Request) (page.Page[Qualification], error)
	GetQualification(ctx context.Context, sc identity.Scope, id string) (Qualification, error)
	CreateQualification(ctx context.Context, sc identity.Scope, q Qualification) (Qualification, error)
	UpdateQualification(ctx context.Context, sc identity.Scope, q Qualification) (Qualification, error)
	DeleteQualification(ctx context.Context, sc identity.Scope, id string) error
	IndustryClasses(ctx context.Context, _ identity.Scope, prefix, q string) ([]refdata.IndustryClass, error)
	Chains(ctx context.Context, sc identity.Scope) ([]refdata.Chain, error)
}

// Service is the enterprise context (§3).
type Service struct {
	Store
	clock civil.Clock
}

// NewService builds the enterprise service.
func NewService(st Store, clock civil.Clock) *Service { return &Service{Store: st, clock: clock} }

// ExpiringBefore is the filter bound for qualifications expiring within days from today.
func (s *Service) ExpiringBefore(days int) civil.Date { return s.clock.Today().AddDays(days + 1) }
