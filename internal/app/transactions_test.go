package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/policy"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/store/storetest"
)

// Services may run inside one another's transactions (Atomically, as the demo loader does):
// these are the ways that could go wrong, each found by a review of that change.

func onePark(code string) onboard.Batch {
	return onboard.Batch{Parks: []onboard.ParkRow{{Ref: onboard.Ref{Sheet: "parks", Row: 2, Present: map[string]bool{"code": true, "name_zh": true}},
		Park: space.Park{Code: code, NameZh: "试算园区", GrossFloorArea: measure.AreaM2(1000), AboveGroundArea: measure.AreaM2(800)}}}}
}

func parkCount(t *testing.T, s *sqlstore.Store) int {
	t.Helper()
	pg, err := s.ListParks(context.Background(), identity.System(), space.ParkFilter{}, page.Request{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(pg.Items)
}

// A dry run writes nothing, even inside a transaction that commits: the import undoes its own
// rows by failing, and only its savepoint is rolled back.
func TestDryRunInsideATransactionWritesNothing(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			s := eng.Open(t)
			svc := New(s, civil.SystemClock{})
			err := svc.Atomically(context.Background(), func(ctx context.Context) error {
				outcomes, problems, err := svc.Onboard.ImportOnboarding(ctx, identity.System(), onePark("DRY1"), true)
				if len(outcomes) != 1 || len(problems) != 0 {
					t.Errorf("dry run: %+v, %+v", outcomes, problems)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if n := parkCount(t, s); n != 0 {
				t.Errorf("a dry run inside a committed transaction left %d parks", n)
			}
		})
	}
}

// A refused or dry-run pool import, which undoes itself by failing its own InTx, does so inside
// an outer transaction too: the nested InTx runs under a savepoint.
func TestDryRunPoolImportInsideATransactionWritesNothing(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			s := eng.Open(t)
			w := storetest.NewWorld(t, s)
			svc := New(s, civil.SystemClock{})
			row := pool.ImportRow{Row: 2, ParkCode: w.Parks[0].Code, EnteredOn: civil.Of(2024, 1, 1), Tier: pool.Reserve, Reason: "试算"}
			err := svc.Atomically(context.Background(), func(ctx context.Context) error {
				n, problems, err := svc.Pool.Import(ctx, identity.System(), []pool.ImportRow{row}, true)
				if n != 1 || len(problems) != 0 {
					t.Errorf("dry run: %d entered, %+v", n, problems)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			entries, err := s.ListPool(context.Background(), identity.System(), pool.Filter{}, page.Request{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(entries.Items) != 0 {
				t.Errorf("a dry-run pool import inside a committed transaction left %d entries", len(entries.Items))
			}
		})
	}
}

// factsWriter reads policy facts from inside an onboarding import's batch, where the store's
// reads share the batch's one connection.
type factsWriter struct {
	onboard.Writer
	s   *sqlstore.Store
	err *error
}

func (w factsWriter) CreatePark(ctx context.Context, sc identity.Scope, p space.Park) (space.Park, error) {
	if _, err := w.s.PolicyFacts(ctx, identity.System(), policy.Coverage{Kind: "all"}, "", []int{2024, 2025}); err != nil {
		*w.err = err
	}
	return w.Writer.CreatePark(ctx, sc, p)
}

// Reads that run side by side on the reader pool run one after another on a transaction's
// connection (PostgreSQL refused the second with "conn busy").
func TestPolicyFactsInsideAnImportBatch(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			s := eng.Open(t)
			storetest.NewWorld(t, s)
			svc := New(s, civil.SystemClock{})
			var factsErr error
			w := factsWriter{Writer: importWriter{svc.Leasing, svc.Enterprise, svc.Space}, s: s, err: &factsErr}
			if _, _, err := s.ImportOnboarding(context.Background(), identity.System(), onePark("BATCH1"), false, w); err != nil || factsErr != nil {
				t.Errorf("policy facts inside an import: %v; the import: %v", factsErr, err)
			}
		})
	}
}

// Resolving an API token notes its use; inside a transaction the note joins it instead of
// waiting for SQLite's only writer connection, which the transaction holds.
func TestTokenResolvedInsideATransaction(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			s := eng.Open(t)
			w := storetest.NewWorld(t, s)
			token, err := storetest.AccountsOf(s).CreateToken(context.Background(), identity.ScopeOf(w.Users[identity.ParkManager]), "ci",
				civil.SystemClock{}.Today().AddDays(1).Time())
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err = s.InTx(ctx, func(tx context.Context) error {
				_, err := s.UserByToken(tx, token.Token, 0)
				return err
			})
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatal("resolving a token inside a transaction waited for the writer until the deadline")
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
