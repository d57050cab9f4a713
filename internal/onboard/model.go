// Package onboard is how a park goes live from the sheets it already keeps (§10): its parks,
// buildings, floors and units, its enterprises with their qualifications and residencies, and
// its contracts, each row naming what it belongs to by the codes people use (park code,
// building code, floor level, unit code, credit code, contract number) rather than by id.
//
// An import matches each row to an existing record by those codes and then creates it, changes
// the columns the file carries, or leaves it alone; an export writes the same rows, so a full
// export imports back to the same data.
package onboard

import (
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/space"
)

// Entity names, also the keys of an import's counts and the sheets' identities.
const (
	Parks          = "parks"
	Buildings      = "buildings"
	Floors         = "floors"
	Units          = "units"
	Enterprises    = "enterprises"
	Qualifications = "qualifications"
	Residencies    = "residencies"
	Contracts      = "contracts"
	ContractUnits  = "contract_units"
)

// Entities lists them in the order an import applies them: each refers only to earlier ones.
var Entities = []string{Parks, Buildings, Floors, Units, Enterprises, Qualifications, Residencies, Contracts, ContractUnits}

// Ref is where a row came from, and which columns its file had: an import changes only those,
// so a sheet with a few columns does not blank the others.
type Ref struct {
	Sheet   string          `json:"sheet"`
	Row     int             `json:"row"`
	Present map[string]bool `json:"-"`
}

// Has says whether the row's file had the column.
func (r Ref) Has(key string) bool { return r.Present[key] }

// ParkRow is a park, by its code.
type ParkRow struct {
	Ref
	space.Park
}

// BuildingRow is a building of a park.
type BuildingRow struct {
	Ref
	ParkCode string `json:"park_code"`
	space.Building
}

// FloorRow is a level of a building.
type FloorRow struct {
	Ref
	ParkCode     string `json:"park_code"`
	BuildingCode string `json:"building_code"`
	space.Floor
}

// UnitRow is a unit on a floor. Unit codes are unique within a park.
type UnitRow struct {
	Ref
	ParkCode     string `json:"park_code"`
	BuildingCode string `json:"building_code"`
	FloorLevel   int    `json:"floor_level"`
	space.Unit
}

// EnterpriseRow is a company, by its credit code; ParkCode is the park that keeps its record.
type EnterpriseRow struct {
	Ref
	ParkCode string `json:"park_code"`
	enterprise.Enterprise
}

// QualificationRow is a certificate of a company, matched by kind and issue date.
type QualificationRow struct {
	Ref
	EnterpriseCode string `json:"enterprise_credit_code"`
	enterprise.Qualification
}

// ResidencyRow is a stay of a company in a park, matched by its move-in date.
type ResidencyRow struct {
	Ref
	EnterpriseCode string   `json:"enterprise_credit_code"`
	ParkCode       string   `json:"park_code"`
	UnitCodes      []string `json:"unit_codes"`
	enterprise.Residency
}

// ContractRow is a lease, by park and number. UnitCodes let the units for the whole term when
// no ContractUnitRow names the contract; RenewalOfNumber names the contract it renews.
type ContractRow struct {
	Ref
	ParkCode        string   `json:"park_code"`
	EnterpriseCode  string   `json:"enterprise_credit_code"`
	UnitCodes       []string `json:"unit_codes"`
	RenewalOfNumber string   `json:"renewal_of_number"`
	leasing.Contract
}

// ContractUnitRow is one unit of a contract with its own dates, as amendments leave them.
type ContractUnitRow struct {
	Ref
	ParkCode       string `json:"park_code"`
	ContractNumber string `json:"contract_number"`
	UnitCode       string `json:"unit_code"`
	leasing.ContractUnit
}

// Batch is everything one file holds.
type Batch struct {
	Parks          []ParkRow
	Buildings      []BuildingRow
	Floors         []FloorRow
	Units          []UnitRow
	Enterprises    []EnterpriseRow
	Qualifications []QualificationRow
	Residencies    []ResidencyRow
	Contracts      []ContractRow
	ContractUnits  []ContractUnitRow
}

// Len is the number of rows.
func (b Batch) Len() int {
	return len(b.Parks) + len(b.Buildings) + len(b.Floors) + len(b.Units) + len(b.Enterprises) +
		len(b.Qualifications) + len(b.Residencies) + len(b.Contracts) + len(b.ContractUnits)
}

// Outcomes of a row.
const (
	Created   = "created"
	Changed   = "changed"
	Unchanged = "unchanged"
)

// RowOutcome is what an import did, or would do, with one row.
type RowOutcome struct {
	Entity  string `json:"entity"`
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Key     string `json:"key"` // the row's codes, e.g. "SJQ / A / 3F-301"
	Outcome string `json:"outcome"`
}

// RowProblem is a row the store refused, with the field at fault ("" for the row as a whole).
type RowProblem struct {
	Sheet     string `json:"sheet"`
	Row       int    `json:"row"`
	Field     string `json:"field"`
	Code      string `json:"code"`
	MessageZh string `json:"message_zh"`
	MessageEn string `json:"message_en"`
}

// Counts are an entity's rows by outcome.
type Counts struct {
	Created   int `json:"created"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
}

// Tally counts outcomes per entity, with every entity present.
func Tally(outcomes []RowOutcome) map[string]Counts {
	out := make(map[string]Counts, len(Entities))
	for _, e := range Entities {
		out[e] = Counts{}
	}
	for _, o := range outcomes {
		c := out[o.Entity]
		switch o.Outcome {
		case Created:
			c.Created++
		case Changed:
			c.Changed++
		default:
			c.Unchanged++
		}
		out[o.Entity] = c
	}
	return out
}
