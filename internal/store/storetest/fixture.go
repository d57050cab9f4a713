package storetest

import (
	"context"
	"fmt"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/indicator"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/servicedesk"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// World is two parks, each with a building, a floor, three neighbouring units and a resident
// enterprise, and one user per role: the smallest data set in which every scope rule shows.
type World struct {
	Parks       [2]space.Park
	Buildings   [2]space.Building
	Floors      [2]space.Floor
	Units       [2][3]space.Unit
	Enterprises [2]enterprise.Enterprise
	// Users by role; operator and enterprise users belong to park / enterprise 0.
	Users    map[identity.Role]identity.User
	Password string
}

// Scope returns the scope of the fixture user with role r.
func (w *World) Scope(r identity.Role) identity.Scope { return identity.ScopeOf(w.Users[r]) }

// CreditCode makes a valid unified social credit code for fictional company n.
func CreditCode(n int) string {
	first := fmt.Sprintf("91110108MA%07d", n)
	return first + string(enterprise.CreditCheckChar(first))
}

// NewWorld builds the fixture through the store's own methods, as the system.
func NewWorld(t testing.TB, s *sqlstore.Store) *World {
	t.Helper()
	ctx, sys := context.Background(), identity.System()
	w := &World{Users: map[identity.Role]identity.User{}, Password: "correct-horse-battery"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	for i := range 2 {
		w.Parks[i], err = SpaceOf(s).CreatePark(ctx, sys, space.Park{Code: fmt.Sprintf("P%d", i), NameZh: fmt.Sprintf("测试园区%d", i),
			GrossFloorArea: measure.AreaM2(10000), AboveGroundArea: measure.AreaM2(8000)})
		must(err)
		w.Buildings[i], err = SpaceOf(s).CreateBuilding(ctx, sys, space.Building{ParkID: w.Parks[i].ID, Code: "A", Name: "A座", FloorsAbove: 5})
		must(err)
		w.Floors[i], err = SpaceOf(s).CreateFloor(ctx, sys, space.Floor{BuildingID: w.Buildings[i].ID, Level: 3})
		must(err)
		for j := range 3 {
			u := space.Unit{FloorID: w.Floors[i].ID, Code: fmt.Sprintf("A-3-30%d", j+1), Kind: space.KindOffice,
				GrossArea: measure.AreaM2(100 * int64(j+1)), UsableArea: measure.AreaM2(80 * int64(j+1)),
				ListRent: 45000, Leasable: true, ValidFrom: civil.Of(2024, 1, 1)}
			if j > 0 {
				u.NeighbourIDs = []string{w.Units[i][j-1].ID}
			}
			w.Units[i][j], err = SpaceOf(s).CreateUnit(ctx, sys, u)
			must(err)
		}
		w.Enterprises[i], err = EnterpriseOf(s).CreateEnterprise(ctx, sys, enterprise.Enterprise{ParkID: w.Parks[i].ID,
			Name: fmt.Sprintf("测试企业%d有限公司", i), CreditCode: CreditCode(i + 1), IndustryCode: "2761"})
		must(err)
		_, err = EnterpriseOf(s).CreateResidency(ctx, sys, enterprise.Residency{EnterpriseID: w.Enterprises[i].ID, ParkID: w.Parks[i].ID,
			UnitIDs: []string{w.Units[i][0].ID}, MoveIn: civil.Of(2024, 3, 1)})
		must(err)
		_, err = EnterpriseOf(s).CreateQualification(ctx, sys, enterprise.Qualification{EnterpriseID: w.Enterprises[i].ID,
			Kind: "high_tech", CertificateNo: fmt.Sprintf("GR20241100%d", i), IssuedOn: civil.Of(2024, 10, 1),
			ExpiresOn: civil.Of(2027, 10, 1)})
		must(err)
	}
	for _, r := range identity.Roles {
		in := identity.UserInput{Username: "u_" + string(r), Role: r, Password: w.Password}
		if r.IsOperator() {
			in.ParkIDs = []string{w.Parks[0].ID}
		}
		if r.IsEnterprise() {
			in.EnterpriseID = w.Enterprises[0].ID
		}
		w.Users[r], err = AccountsOf(s).CreateUser(ctx, sys, in)
		must(err)
	}
	return w
}

// Contracts is the leasing service over a test store, with the entity-shaped create and update
// the tests write their contracts as.
type Contracts struct{ *leasing.Service }

// ContractsOf is the leasing service over s on the real day.
func ContractsOf(s *sqlstore.Store) Contracts {
	return Contracts{leasing.NewService(s, civil.SystemClock{})}
}

// Create records k as a new contract (draft, or active when k says so).
func (c Contracts) Create(ctx context.Context, sc identity.Scope, k leasing.Contract) (leasing.Contract, error) {
	return c.CreateContract(ctx, sc, leasing.NewContract{ContractTerms: leasing.TermsOf(k), Status: k.Status, RenewalOf: k.RenewalOf})
}

// Update replaces the terms of the draft k.ID with k's.
func (c Contracts) Update(ctx context.Context, sc identity.Scope, k leasing.Contract) (leasing.Contract, error) {
	return c.UpdateContract(ctx, sc, k.ID, leasing.TermsOf(k))
}

// IndicatorsOf is the indicator service over s, with occupancy, facility and service figures,
// on the real day.
func IndicatorsOf(s *sqlstore.Store) *indicator.Service {
	return indicator.NewService(s, indicator.Sources{Occupancy: ContractsOf(s).Service, Facilities: booking.NewService(s, civil.SystemClock{}, nil),
		Services: servicedesk.NewService(s, civil.SystemClock{}, nil)}, civil.SystemClock{})
}

// StatsOf is the statistics service over a test store on the real day.
func StatsOf(s *sqlstore.Store) *stats.Service { return stats.NewService(s, civil.SystemClock{}) }

// SpaceOf is the space service over a test store on the real day.
func SpaceOf(s *sqlstore.Store) *space.Service { return space.NewService(s, civil.SystemClock{}) }

// EnterpriseOf is the enterprise service over a test store on the real day.
func EnterpriseOf(s *sqlstore.Store) *enterprise.Service {
	return enterprise.NewService(s, civil.SystemClock{})
}

// AccountsOf is the identity service over a test store.
func AccountsOf(s *sqlstore.Store) *identity.Accounts {
	return identity.NewAccounts(s, civil.SystemClock{}.Now)
}
