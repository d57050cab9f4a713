package onboard

import (
	"context"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
)

// Store lists what an export holds and applies an onboarding batch in one transaction,
// writing contracts through lifecycle.
type Store interface {
	Lister
	ImportOnboarding(ctx context.Context, sc identity.Scope, b Batch, dryRun bool, lifecycle leasing.ContractWriter) ([]RowOutcome, []RowProblem, error)
}

// Service imports a park's data (§9) through the same rules as the console: contracts pass the
// leasing service's lifecycle.
type Service struct {
	Lister
	store     Store
	contracts leasing.ContractWriter
}

// NewService builds the onboarding service.
func NewService(st Store, contracts leasing.ContractWriter) *Service {
	return &Service{Lister: st, store: st, contracts: contracts}
}

// ImportOnboarding applies a batch, all or nothing; with dryRun it only says what would happen.
func (s *Service) ImportOnboarding(ctx context.Context, sc identity.Scope, b Batch, dryRun bool) ([]RowOutcome, []RowProblem, error) {
	return s.store.ImportOnboarding(ctx, sc, b, dryRun, s.contracts)
}
