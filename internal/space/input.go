package space

import (
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// The input types below hold only what a caller may set. Ids, timestamps and what follows
// from a parent (a floor's park, a unit's park and building) are the server's; the parent a
// record hangs off is chosen when it is created and does not change afterwards.

// ZoneChange is what a change of a zone may set; NewZone adds its park.
type ZoneChange struct {
	Code        string `json:"code"`
	NameZh      string `json:"name_zh"`
	NameEn      string `json:"name_en"`
	Description string `json:"description"`
}

// NewZone creates a zone in a park.
type NewZone struct {
	ParkID string `json:"park_id"`
	ZoneChange
}

// ZoneChangeOf is a zone's settable fields, the base a merge patch applies to.
func ZoneChangeOf(z Zone) ZoneChange {
	return ZoneChange{Code: z.Code, NameZh: z.NameZh, NameEn: z.NameEn, Description: z.Description}
}

// Apply sets the changed fields on z.
func (c ZoneChange) Apply(z Zone) Zone {
	z.Code, z.NameZh, z.NameEn, z.Description = c.Code, c.NameZh, c.NameEn, c.Description
	return z
}

// Zone is the new zone.
func (n NewZone) Zone() Zone { return n.ZoneChange.Apply(Zone{ParkID: n.ParkID}) }

// BuildingChange is what a change of a building may set; NewBuilding adds its park.
type BuildingChange struct {
	ZoneID          string       `json:"zone_id"`
	Code            string       `json:"code"`
	Name            string       `json:"name"`
	FloorsAbove     int          `json:"floors_above"`
	FloorsBelow     int          `json:"floors_below"`
	GrossArea       measure.Area `json:"gross_area"`
	AboveGroundArea measure.Area `json:"above_ground_area"`
	CompletedYear   int          `json:"completed_year"`
	Description     string       `json:"description"`
}

// NewBuilding creates a building in a park.
type NewBuilding struct {
	ParkID string `json:"park_id"`
	BuildingChange
}

// BuildingChangeOf is a building's settable fields.
func BuildingChangeOf(b Building) BuildingChange {
	return BuildingChange{ZoneID: b.ZoneID, Code: b.Code, Name: b.Name, FloorsAbove: b.FloorsAbove, FloorsBelow: b.FloorsBelow,
		GrossArea: b.GrossArea, AboveGroundArea: b.AboveGroundArea, CompletedYear: b.CompletedYear, Description: b.Description}
}

// Apply sets the changed fields on b.
func (c BuildingChange) Apply(b Building) Building {
	b.ZoneID, b.Code, b.Name, b.FloorsAbove, b.FloorsBelow = c.ZoneID, c.Code, c.Name, c.FloorsAbove, c.FloorsBelow
	b.GrossArea, b.AboveGroundArea, b.CompletedYear, b.Description = c.GrossArea, c.AboveGroundArea, c.CompletedYear, c.Description
	return b
}

// Building is the new building.
func (n NewBuilding) Building() Building { return n.BuildingChange.Apply(Building{ParkID: n.ParkID}) }

// FloorChange is what a change of a floor may set; NewFloor adds its building (the park
// follows from it).
type FloorChange struct {
	Level     int          `json:"level"`
	Label     string       `json:"label"`
	GrossArea measure.Area `json:"gross_area"`
}

// NewFloor creates a floor in a building.
type NewFloor struct {
	BuildingID string `json:"building_id"`
	FloorChange
}

// FloorChangeOf is a floor's settable fields.
func FloorChangeOf(f Floor) FloorChange {
	return FloorChange{Level: f.Level, Label: f.Label, GrossArea: f.GrossArea}
}

// Apply sets the changed fields on f.
func (c FloorChange) Apply(f Floor) Floor {
	f.Level, f.Label, f.GrossArea = c.Level, c.Label, c.GrossArea
	return f
}

// Floor is the new floor.
func (n NewFloor) Floor() Floor { return n.FloorChange.Apply(Floor{BuildingID: n.BuildingID}) }

// UnitEdit is what a change of a unit may set; NewUnit adds its floor (park and building
// follow from it). Splits and merges change a unit's shape, not edits.
type UnitEdit struct {
	Code         string        `json:"code"`
	Kind         UnitKind      `json:"kind"`
	GrossArea    measure.Area  `json:"gross_area"`
	UsableArea   measure.Area  `json:"usable_area"`
	Facilities   Facilities    `json:"facilities"`
	ListRent     measure.Price `json:"list_rent"`
	PropertyFee  measure.Price `json:"property_fee"`
	Leasable     bool          `json:"leasable"`
	NeighbourIDs []string      `json:"neighbour_ids"`
	ValidFrom    civil.Date    `json:"valid_from"`
	ValidTo      civil.Date    `json:"valid_to"`
	Note         string        `json:"note"`
	// EffectiveOn is the day a new kind, area or leasable flag takes effect: today or later,
	// today when not given. Figures for days before it keep the unit as it was.
	EffectiveOn civil.Date `json:"effective_on,omitzero"`
}

// NewUnit creates a unit on a floor.
type NewUnit struct {
	FloorID string `json:"floor_id"`
	UnitEdit
}

// UnitEditOf is a unit's settable fields.
func UnitEditOf(u Unit) UnitEdit {
	return UnitEdit{Code: u.Code, Kind: u.Kind, GrossArea: u.GrossArea, UsableArea: u.UsableArea, Facilities: u.Facilities,
		ListRent: u.ListRent, PropertyFee: u.PropertyFee, Leasable: u.Leasable, NeighbourIDs: u.NeighbourIDs,
		ValidFrom: u.ValidFrom, ValidTo: u.ValidTo, Note: u.Note}
}

// Apply sets the changed fields on u.
func (c UnitEdit) Apply(u Unit) Unit {
	u.Code, u.Kind, u.GrossArea, u.UsableArea, u.Facilities = c.Code, c.Kind, c.GrossArea, c.UsableArea, c.Facilities
	u.ListRent, u.PropertyFee, u.Leasable, u.NeighbourIDs = c.ListRent, c.PropertyFee, c.Leasable, c.NeighbourIDs
	u.ValidFrom, u.ValidTo, u.Note, u.EffectiveOn = c.ValidFrom, c.ValidTo, c.Note, c.EffectiveOn
	return u
}

// Unit is the new unit.
func (n NewUnit) Unit() Unit { return n.UnitEdit.Apply(Unit{FloorID: n.FloorID}) }

// NewPark is what a caller sets on a park, on creating it and on changing it (ParkChange).
type NewPark struct {
	Code            string       `json:"code"`
	NameZh          string       `json:"name_zh"`
	NameEn          string       `json:"name_en"`
	District        string       `json:"district"`
	Address         string       `json:"address"`
	Latitude        float64      `json:"latitude"`
	Longitude       float64      `json:"longitude"`
	LandArea        measure.Area `json:"land_area"`
	GrossFloorArea  measure.Area `json:"gross_floor_area"`
	AboveGroundArea measure.Area `json:"above_ground_area"`
	Operator        string       `json:"operator"`
	LeadingNodeIDs  []string     `json:"leading_node_ids"`
	Status          ParkStatus   `json:"status"`
	Phase           string       `json:"phase"`
	ContactName     string       `json:"contact_name"`
	ContactPhone    string       `json:"contact_phone"`
	Description     string       `json:"description"`
}

// ParkChange is what a change of a park may set: the same fields, none required in a patch.
type ParkChange NewPark

// ParkChangeOf is a park's settable fields.
func ParkChangeOf(p Park) ParkChange {
	return ParkChange{Code: p.Code, NameZh: p.NameZh, NameEn: p.NameEn, District: p.District, Address: p.Address,
		Latitude: p.Latitude, Longitude: p.Longitude, LandArea: p.LandArea, GrossFloorArea: p.GrossFloorArea,
		AboveGroundArea: p.AboveGroundArea, Operator: p.Operator, LeadingNodeIDs: p.LeadingNodeIDs, Status: p.Status,
		Phase: p.Phase, ContactName: p.ContactName, ContactPhone: p.ContactPhone, Description: p.Description}
}

// Apply sets the changed fields on p.
func (c ParkChange) Apply(p Park) Park {
	id, created, updated := p.ID, p.CreatedAt, p.UpdatedAt
	p = NewPark(c).Park()
	p.ID, p.CreatedAt, p.UpdatedAt = id, created, updated
	return p
}

// Park is the new park.
func (c NewPark) Park() Park {
	return Park{Code: c.Code, NameZh: c.NameZh, NameEn: c.NameEn, District: c.District, Address: c.Address,
		Latitude: c.Latitude, Longitude: c.Longitude, LandArea: c.LandArea, GrossFloorArea: c.GrossFloorArea,
		AboveGroundArea: c.AboveGroundArea, Operator: c.Operator, LeadingNodeIDs: c.LeadingNodeIDs, Status: c.Status,
		Phase: c.Phase, ContactName: c.ContactName, ContactPhone: c.ContactPhone, Description: c.Description}
}
