// Package space is the park's physical inventory (§2): parks, zones, buildings, floors and
// units, and the split/merge history of units.
package space

import (
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// ParkStatus is where a park is in its life.
type ParkStatus string

const (
	ParkPlanned           ParkStatus = "planned"
	ParkUnderConstruction ParkStatus = "under_construction"
	ParkOperating         ParkStatus = "operating"
)

// ParkStatuses lists the valid statuses.
var ParkStatuses = []ParkStatus{ParkPlanned, ParkUnderConstruction, ParkOperating}

// Park is a science or industrial park (园区).
type Park struct {
	ID              string       `json:"id"`
	Code            string       `json:"code"`
	NameZh          string       `json:"name_zh"`
	NameEn          string       `json:"name_en"`
	District        string       `json:"district"`
	Address         string       `json:"address"`
	Latitude        float64      `json:"latitude"`
	Longitude       float64      `json:"longitude"`
	LandArea        measure.Area `json:"land_area"`         // m²
	GrossFloorArea  measure.Area `json:"gross_floor_area"`  // m², total GFA
	AboveGroundArea measure.Area `json:"above_ground_area"` // m²
	Operator        string       `json:"operator"`
	LeadingNodeIDs  []string     `json:"leading_node_ids"` // 主导产业: industry-chain nodes
	Status          ParkStatus   `json:"status"`
	Phase           string       `json:"phase"`
	ContactName     string       `json:"contact_name"`
	ContactPhone    string       `json:"contact_phone"`
	Description     string       `json:"description"`
	CreatedAt       time.Time    `json:"created_at"`
	UpdatedAt       time.Time    `json:"updated_at"`
}

// Zone is an optional functional area of a park (功能区).
type Zone struct {
	ID          string    `json:"id"`
	ParkID      string    `json:"park_id"`
	Code        string    `json:"code"`
	NameZh      string    `json:"name_zh"`
	NameEn      string    `json:"name_en"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Building is a 楼栋.
type Building struct {
	ID              string       `json:"id"`
	ParkID          string       `json:"park_id"`
	ZoneID          string       `json:"zone_id"`
	Code            string       `json:"code"`
	Name            string       `json:"name"`
	FloorsAbove     int          `json:"floors_above"`
	FloorsBelow     int          `json:"floors_below"`
	GrossArea       measure.Area `json:"gross_area"`
	AboveGroundArea measure.Area `json:"above_ground_area"`
	CompletedYear   int          `json:"completed_year"`
	Description     string       `json:"description"`
	CreatedAt       time.Time    `json:"created_at"`
	UpdatedAt       time.Time    `json:"updated_at"`
}

// Floor is a 楼层. Level is negative below ground (-2 is B2) and never 0.
type Floor struct {
	ID         string       `json:"id"`
	ParkID     string       `json:"park_id"` // derived from the building
	BuildingID string       `json:"building_id"`
	Level      int          `json:"level"`
	Label      string       `json:"label"`
	GrossArea  measure.Area `json:"gross_area"`
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

// UnitKind is what a unit is let as.
type UnitKind string

const (
	KindIncubation    UnitKind = "incubation"
	KindOffice        UnitKind = "office"
	KindLab           UnitKind = "lab"
	KindFlatFloor     UnitKind = "flat_floor"
	KindWholeBuilding UnitKind = "whole_building"
	KindProduction    UnitKind = "production"
	KindRetail        UnitKind = "retail"
	KindWarehouse     UnitKind = "warehouse"
	KindAmenity       UnitKind = "amenity"
)

// UnitKinds lists the valid kinds.
var UnitKinds = []UnitKind{KindIncubation, KindOffice, KindLab, KindFlatFloor, KindWholeBuilding,
	KindProduction, KindRetail, KindWarehouse, KindAmenity}

// Biosafety levels of a lab.
var BiosafetyLevels = []string{"", "BSL-1", "BSL-2", "BSL-3"}

// Animal room grades (普通 / 屏障 / SPF).
var AnimalRoomGrades = []string{"", "conventional", "barrier", "spf"}

// Cleanroom grades (GB 50073 / ISO 14644).
var CleanroomGrades = []string{"", "ISO5", "ISO6", "ISO7", "ISO8"}

// Facilities are what a unit offers beyond floor space.
type Facilities struct {
	BiosafetyLevel         string           `json:"biosafety_level"` // "", BSL-1, BSL-2 (P2), BSL-3
	AnimalRoom             string           `json:"animal_room"`     // "", conventional, barrier, spf
	CleanroomGrade         string           `json:"cleanroom_grade"`
	FloorLoad              measure.Decimal2 `json:"floor_load"`     // kN/m²
	CeilingHeight          measure.Decimal2 `json:"ceiling_height"` // m
	FumeExhaust            bool             `json:"fume_exhaust"`
	PureWater              bool             `json:"pure_water"`
	PowerKVA               measure.Decimal2 `json:"power_kva"`
	WastewaterPretreatment bool             `json:"wastewater_pretreatment"`
}

// Unit is a lettable space (房源). A unit exists from ValidFrom; when it is split or merged it
// is retired at ValidTo and its successors take over, so figures for past dates still see it.
type Unit struct {
	ID           string        `json:"id"`
	ParkID       string        `json:"park_id"`     // derived from the floor
	BuildingID   string        `json:"building_id"` // derived from the floor
	FloorID      string        `json:"floor_id"`
	Code         string        `json:"code"`
	Kind         UnitKind      `json:"kind"`
	GrossArea    measure.Area  `json:"gross_area"`
	UsableArea   measure.Area  `json:"usable_area"`
	Facilities   Facilities    `json:"facilities"`
	ListRent     measure.Price `json:"list_rent"`    // 元/㎡/天
	PropertyFee  measure.Price `json:"property_fee"` // 元/㎡/月
	Leasable     bool          `json:"leasable"`
	NeighbourIDs []string      `json:"neighbour_ids"`
	ValidFrom    civil.Date    `json:"valid_from"`
	ValidTo      civil.Date    `json:"valid_to"` // null while the unit is current
	Note         string        `json:"note"`
	// EffectiveOn is, in a change, the day a new kind, area or leasable flag takes effect
	// (today when not given); what the unit was before stays in its versions.
	EffectiveOn civil.Date `json:"effective_on,omitzero"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// ActiveOn reports whether the unit exists on day d.
func (u Unit) ActiveOn(d civil.Date) bool {
	return !d.Before(u.ValidFrom) && (u.ValidTo.IsZero() || d.Before(u.ValidTo))
}

// UnitVersion is a unit's kind, areas and leasable flag from a day on (SPEC §2: they change
// with an effective date and keep their history).
type UnitVersion struct {
	ValidFrom  civil.Date   `json:"valid_from"`
	Kind       UnitKind     `json:"kind"`
	GrossArea  measure.Area `json:"gross_area"`
	UsableArea measure.Area `json:"usable_area"`
	Leasable   bool         `json:"leasable"`
}

// UnitPart describes one successor of a split.
type UnitPart struct {
	Code       string       `json:"code"`
	Kind       UnitKind     `json:"kind"` // empty keeps the parent's kind
	GrossArea  measure.Area `json:"gross_area"`
	UsableArea measure.Area `json:"usable_area"`
}

// SplitRequest splits one unit into parts from EffectiveOn.
type SplitRequest struct {
	EffectiveOn civil.Date `json:"effective_on"`
	Parts       []UnitPart `json:"parts"`
}

// MergeRequest merges neighbouring units of one floor into one from EffectiveOn.
type MergeRequest struct {
	UnitIDs     []string     `json:"unit_ids"`
	EffectiveOn civil.Date   `json:"effective_on"`
	Code        string       `json:"code"`
	Kind        UnitKind     `json:"kind"`        // empty keeps the first unit's kind
	UsableArea  measure.Area `json:"usable_area"` // 0 sums the parts
}

// UnitChange records one split or merge.
type UnitChange struct {
	ID          string     `json:"id"`
	ParkID      string     `json:"park_id"`
	Kind        string     `json:"kind"` // split | merge
	EffectiveOn civil.Date `json:"effective_on"`
	FromIDs     []string   `json:"from_ids"`
	ToIDs       []string   `json:"to_ids"`
	CreatedAt   time.Time  `json:"created_at"`
}

// Filters for lists.
type ParkFilter struct {
	Q        string
	Code     string // exact
	District string
	Status   ParkStatus
}

type ZoneFilter struct{ ParkID string }

type BuildingFilter struct {
	ParkID string
	ZoneID string
	Q      string
}

type FloorFilter struct {
	ParkID     string
	BuildingID string
}

type UnitFilter struct {
	ParkID         string
	BuildingID     string
	FloorID        string
	Kind           UnitKind
	Leasable       *bool
	MinArea        measure.Area
	MaxArea        measure.Area
	BiosafetyLevel string
	On             civil.Date // units that exist on this day; zero means today
	IncludeRetired bool       // every unit ever, ignoring On
	Q              string
}
