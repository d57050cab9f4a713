package onboard

import (
	"context"

	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/space"
)

// Writer is how an import writes its records: through the services, so that a row from a file
// passes the same rules as one typed in.
type Writer interface {
	leasing.ContractWriter
	CreatePark(ctx context.Context, sc identity.Scope, p space.Park) (space.Park, error)
	UpdatePark(ctx context.Context, sc identity.Scope, p space.Park) (space.Park, error)
	CreateBuilding(ctx context.Context, sc identity.Scope, b space.Building) (space.Building, error)
	UpdateBuilding(ctx context.Context, sc identity.Scope, b space.Building) (space.Building, error)
	CreateFloor(ctx context.Context, sc identity.Scope, f space.Floor) (space.Floor, error)
	UpdateFloor(ctx context.Context, sc identity.Scope, f space.Floor) (space.Floor, error)
	CreateUnit(ctx context.Context, sc identity.Scope, u space.Unit) (space.Unit, error)
	UpdateUnit(ctx context.Context, sc identity.Scope, u space.Unit) (space.Unit, error)
	CreateEnterprise(ctx context.Context, sc identity.Scope, e enterprise.Enterprise) (enterprise.Enterprise, error)
	UpdateEnterprise(ctx context.Context, sc identity.Scope, e enterprise.Enterprise) (enterprise.Enterprise, error)
	CreateResidency(ctx context.Context, sc identity.Scope, r enterprise.Residency) (enterprise.Residency, error)
	UpdateResidency(ctx context.Context, sc identity.Scope, r enterprise.Residency) (enterprise.Residency, error)
	CreateQualification(ctx context.Context, sc identity.Scope, q enterprise.Qualification) (enterprise.Qualification, error)
	UpdateQualification(ctx context.Context, sc identity.Scope, q enterprise.Qualification) (enterprise.Qualification, error)
}

// Store lists what an export holds and applies an onboarding batch in one transaction,
// writing through w what has its rules in a service.
type Store interface {
	Lister
	ImportOnboarding(ctx context.Context, sc identity.Scope, b Batch, dryRun bool, w Writer) ([]RowOutcome, []RowProblem, error)
}

// Service imports a park's data (§9) through the same rules as the console: every record passes
// its context's service.
type Service struct {
	Lister
	store  Store
	writer Writer
}

// NewService builds the onboarding service.
func NewService(st Store, w Writer) *Service {
	return &Service{Lister: st, store: st, writer: w}
}

// ImportOnboarding applies a batch, all or nothing; with dryRun it only says what would happen.
func (s *Service) ImportOnboarding(ctx context.Context, sc identity.Scope, b Batch, dryRun bool) ([]RowOutcome, []RowProblem, error) {
	return s.store.ImportOnboarding(ctx, sc, b, dryRun, s.writer)
}
