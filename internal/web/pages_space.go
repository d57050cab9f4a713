package web

import (
	"fmt"
	"net/http"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
)

func (s *Server) spaceRoutes(mux *http.ServeMux) {
	sv := s.svc
	lister[space.Park, space.ParkFilter]{
		path: "/parks", title: k("park.list"),
		cols: []colSpec[space.Park]{
			{k("park.code"), "code", false, func(rq *request, p space.Park) cell { return cell{Text: p.Code, Link: "/parks/" + p.ID} }},
			{k("park.name_zh"), "name", false, func(rq *request, p space.Park) cell { return cell{Text: p.NameZh, Link: "/parks/" + p.ID} }},
			{k("park.district"), "", false, func(rq *request, p space.Park) cell { return cell{Text: p.District} }},
			{k("park.status"), "", false, func(rq *request, p space.Park) cell {
				return cell{Text: enumLabel(rq.lang, "park_status", string(p.Status))}
			}},
			{k("park.gross_floor_area"), "gross_floor_area", true, areaCell(func(p space.Park) measure.Area { return p.GrossFloorArea })},
			{k("park.above_ground_area"), "", true, areaCell(func(p space.Park) measure.Area { return p.AboveGroundArea })},
		},
		filters: func(rq *request) []fieldSpec {
			return []fieldSpec{{Name: "q", Label: k("filter.keyword"), Kind: "text"},
				{Name: "status", Label: k("park.status"), Kind: "select", Options: enumOptions(rq, "park_status", space.ParkStatuses, k("filter.all"))}}
		},
		parse: func(q *httpin.Query) space.ParkFilter {
			return space.ParkFilter{Q: q.Str("q"), Status: space.ParkStatus(q.Str("status"))}
		},
		list: sv.Space.ListParks,
		newURL: func(rq *request) string {
			if rq.user.Role == identity.Admin {
				return "/parks/new"
			}
			return ""
		},
	}.mount(s, mux)
	mux.Handle("GET /parks/{id}", s.page(s.parkPage))
	resource[space.Park]{
		name: "park", base: "/parks", get: sv.Space.GetPark, create: sv.Space.CreatePark, update: sv.Space.UpdatePark, remove: sv.Space.DeletePark,
		setID:       func(p *space.Park, id string) { p.ID = id },
		initial:     func(*request) (space.Park, error) { return space.Park{Status: space.ParkOperating}, nil },
		detail:      func(p space.Park) string { return "/parks/" + p.ID },
		afterDelete: func(space.Park) string { return "/parks" },
		crumbs: func(rq *request, p space.Park) []crumb {
			c := []crumb{{rq.t("nav.parks"), "/parks"}}
			if p.ID != "" {
				c = append(c, crumb{p.NameZh, "/parks/" + p.ID})
			}
			return c
		},
		specs: func(rq *request, _ space.Park, _ bool) ([]fieldSpec, error) {
			nodes, err := rq.chainNodeOptions()
			return []fieldSpec{
				{Name: "code", Label: k("park.code"), Kind: "text", Required: true, Help: k("help.code")},
				{Name: "name_zh", Label: k("park.name_zh"), Kind: "text", Required: true},
				{Name: "name_en", Label: k("park.name_en"), Kind: "text"},
				{Name: "status", Label: k("park.status"), Kind: "select", Options: enumOptions(rq, "park_status", space.ParkStatuses, "")},
				{Name: "district", Label: k("park.district"), Kind: "text"},
				{Name: "address", Label: k("park.address"), Kind: "text", Wide: true},
				{Name: "latitude", Label: k("park.latitude"), Kind: "number"},
				{Name: "longitude", Label: k("park.longitude"), Kind: "number"},
				{Name: "land_area", Label: k("park.land_area"), Kind: "number", Help: k("help.m2")},
				{Name: "gross_floor_area", Label: k("park.gross_floor_area"), Kind: "number", Help: k("help.m2")},
				{Name: "above_ground_area", Label: k("park.above_ground_area"), Kind: "number", Help: k("help.m2")},
				{Name: "operator", Label: k("park.operator"), Kind: "text"},
				{Name: "phase", Label: k("park.phase"), Kind: "text"},
				{Name: "contact_name", Label: k("park.contact_name"), Kind: "text"},
				{Name: "contact_phone", Label: k("park.contact_phone"), Kind: "text"},
				{Name: "leading_node_ids", Label: k("park.leading_nodes"), Kind: "multiselect", Wide: true, Options: nodes, Help: k("help.multiselect")},
				{Name: "description", Label: k("common.description"), Kind: "textarea"},
			}, err
		},
	}.mount(s, mux)

	resource[space.Zone]{
		name: "zone", base: "/zones", get: sv.Space.GetZone, create: sv.Space.CreateZone, update: sv.Space.UpdateZone, remove: sv.Space.DeleteZone,
		setID: func(z *space.Zone, id string) { z.ID = id },
		initial: func(rq *request) (space.Zone, error) {
			return space.Zone{ParkID: rq.r.URL.Query().Get("park_id")}, nil
		},
		detail:      func(z space.Zone) string { return "/parks/" + z.ParkID },
		afterDelete: func(z space.Zone) string { return "/parks/" + z.ParkID },
		crumbs: func(rq *request, z space.Zone) []crumb {
			return []crumb{{rq.t("nav.parks"), "/parks"}, {rq.parkName(z.ParkID), "/parks/" + z.ParkID}}
		},
		specs: func(rq *request, _ space.Zone, creating bool) ([]fieldSpec, error) {
			var specs []fieldSpec
			if creating {
				specs = append(specs, fieldSpec{Name: "park_id", Kind: "hidden"})
			}
			return append(specs,
				fieldSpec{Name: "code", Label: k("zone.code"), Kind: "text", Required: true, Help: k("help.code")},
				fieldSpec{Name: "name_zh", Label: k("zone.name_zh"), Kind: "text", Required: true},
				fieldSpec{Name: "name_en", Label: k("zone.name_en"), Kind: "text"},
				fieldSpec{Name: "description", Label: k("common.description"), Kind: "textarea"}), nil
		},
	}.mount(s, mux)

	lister[space.Building, space.BuildingFilter]{
		path: "/buildings", title: k("building.list"),
		cols: []colSpec[space.Building]{
			{k("building.park"), "", false, func(rq *request, b space.Building) cell {
				return cell{Text: rq.parkName(b.ParkID), Link: "/parks/" + b.ParkID}
			}},
			{k("building.code"), "code", false, func(rq *request, b space.Building) cell { return cell{Text: b.Code, Link: "/buildings/" + b.ID} }},
			{k("building.name"), "name", false, func(rq *request, b space.Building) cell { return cell{Text: b.Name, Link: "/buildings/" + b.ID} }},
			{k("building.floors_above"), "", true, func(rq *request, b space.Building) cell {
				return cell{Text: fmt.Sprint(b.FloorsAbove), Raw: b.FloorsAbove}
			}},
			{k("building.floors_below"), "", true, func(rq *request, b space.Building) cell {
				return cell{Text: fmt.Sprint(b.FloorsBelow), Raw: b.FloorsBelow}
			}},
			{k("building.gross_area"), "gross_area", true, areaCell(func(b space.Building) measure.Area { return b.GrossArea })},
		},
		filters: func(rq *request) []fieldSpec {
			parks, _ := rq.parkOptions(k("filter.all"), false)
			return []fieldSpec{{Name: "park_id", Label: k("building.park"), Kind: "select", Options: parks},
				{Name: "q", Label: k("filter.keyword"), Kind: "text"}}
		},
		parse: func(q *httpin.Query) space.BuildingFilter {
			return space.BuildingFilter{ParkID: q.Str("park_id"), Q: q.Str("q")}
		},
		list: sv.Space.ListBuildings,
		newURL: func(rq *request) string {
			if rq.scope.CanEditSpace() {
				return withQuery("/buildings/new", "park_id", rq.r.URL.Query().Get("park_id"))
			}
			return ""
		},
	}.mount(s, mux)
	mux.Handle("GET /buildings/{id}", s.page(s.buildingPage))
	resource[space.Building]{
		name: "building", base: "/buildings", get: sv.Space.GetBuilding, create: sv.Space.CreateBuilding, update: sv.Space.UpdateBuilding,
		remove: sv.Space.DeleteBuilding, setID: func(b *space.Building, id string) { b.ID = id },
		initial: func(rq *request) (space.Building, error) {
			return space.Building{ParkID: rq.r.URL.Query().Get("park_id")}, nil
		},
		detail:      func(b space.Building) string { return "/buildings/" + b.ID },
		afterDelete: func(b space.Building) string { return "/parks/" + b.ParkID },
		crumbs: func(rq *request, b space.Building) []crumb {
			c := []crumb{{rq.t("nav.buildings"), "/buildings"}}
			if b.ParkID != "" {
				c = append(c, crumb{rq.parkName(b.ParkID), "/parks/" + b.ParkID})
			}
			if b.ID != "" {
				c = append(c, crumb{b.Name, "/buildings/" + b.ID})
			}
			return c
		},
		specs: func(rq *request, b space.Building, creating bool) ([]fieldSpec, error) {
			var specs []fieldSpec
			if creating {
				parks, err := rq.parkOptions("", true)
				if err != nil {
					return nil, err
				}
				specs = append(specs, fieldSpec{Name: "park_id", Label: k("building.park"), Kind: "select", Required: true, Options: parks})
			}
			zones, err := rq.zoneOptions(b.ParkID)
			return append(specs,
				fieldSpec{Name: "zone_id", Label: k("building.zone"), Kind: "select", Options: zones},
				fieldSpec{Name: "code", Label: k("building.code"), Kind: "text", Required: true, Help: k("help.code")},
				fieldSpec{Name: "name", Label: k("building.name"), Kind: "text", Required: true},
				fieldSpec{Name: "floors_above", Label: k("building.floors_above"), Kind: "number"},
				fieldSpec{Name: "floors_below", Label: k("building.floors_below"), Kind: "number"},
				fieldSpec{Name: "gross_area", Label: k("building.gross_area"), Kind: "number", Help: k("help.m2")},
				fieldSpec{Name: "above_ground_area", Label: k("building.above_ground_area"), Kind: "number", Help: k("help.m2")},
				fieldSpec{Name: "completed_year", Label: k("building.completed_year"), Kind: "number"},
				fieldSpec{Name: "description", Label: k("common.description"), Kind: "textarea"}), err
		},
	}.mount(s, mux)

	resource[space.Floor]{
		name: "floor", base: "/floors", get: sv.Space.GetFloor, create: sv.Space.CreateFloor, update: sv.Space.UpdateFloor, remove: sv.Space.DeleteFloor,
		setID: func(f *space.Floor, id string) { f.ID = id },
		initial: func(rq *request) (space.Floor, error) {
			return space.Floor{BuildingID: rq.r.URL.Query().Get("building_id")}, nil
		},
		detail:      func(f space.Floor) string { return "/buildings/" + f.BuildingID },
		afterDelete: func(f space.Floor) string { return "/buildings/" + f.BuildingID },
		crumbs: func(rq *request, f space.Floor) []crumb {
			return []crumb{{rq.t("nav.buildings"), "/buildings"}, {rq.buildingName(f.BuildingID), "/buildings/" + f.BuildingID}}
		},
		specs: func(rq *request, _ space.Floor, creating bool) ([]fieldSpec, error) {
			var specs []fieldSpec
			if creating {
				specs = append(specs, fieldSpec{Name: "building_id", Kind: "hidden"})
			}
			return append(specs,
				fieldSpec{Name: "level", Label: k("floor.level"), Kind: "number", Required: true, Help: k("help.level")},
				fieldSpec{Name: "label", Label: k("floor.label"), Kind: "text", Help: k("help.floor_label")},
				fieldSpec{Name: "gross_area", Label: k("floor.gross_area"), Kind: "number", Help: k("help.m2")}), nil
		},
	}.mount(s, mux)

	lister[space.Unit, space.UnitFilter]{
		path: "/units", title: k("unit.list"),
		cols: []colSpec[space.Unit]{
			{k("unit.code"), "code", false, func(rq *request, u space.Unit) cell { return cell{Text: u.Code, Link: "/units/" + u.ID} }},
			{k("unit.park"), "", false, func(rq *request, u space.Unit) cell { return cell{Text: rq.parkName(u.ParkID)} }},
			{k("unit.building"), "", false, func(rq *request, u space.Unit) cell {
				return cell{Text: rq.buildingName(u.BuildingID), Link: "/buildings/" + u.BuildingID}
			}},
			{k("unit.kind"), "kind", false, func(rq *request, u space.Unit) cell {
				return cell{Text: enumLabel(rq.lang, "unit_kind", string(u.Kind))}
			}},
			{k("unit.gross_area"), "gross_area", true, areaCell(func(u space.Unit) measure.Area { return u.GrossArea })},
			{k("unit.list_rent"), "list_rent", true, func(rq *request, u space.Unit) cell {
				return cell{Text: i18n.Price(rq.lang, u.ListRent, "unit.per_m2_day"), Raw: u.ListRent}
			}},
			{k("unit.facilities"), "", false, func(rq *request, u space.Unit) cell { return cell{Text: facilitySummary(rq, u.Facilities), Wrap: true} }},
			{k("unit.leasable"), "", false, func(rq *request, u space.Unit) cell { return yesNo(rq, u.Leasable) }},
		},
		filters: func(rq *request) []fieldSpec {
			if rq.user.Role.IsEnterprise() {
				return nil
			}
			parks, _ := rq.parkOptions(k("filter.all"), false)
			return []fieldSpec{
				{Name: "park_id", Label: k("unit.park"), Kind: "select", Options: parks},
				{Name: "kind", Label: k("unit.kind"), Kind: "select", Options: enumOptions(rq, "unit_kind", space.UnitKinds, k("filter.all"))},
				{Name: "biosafety_level", Label: k("unit.biosafety_level"), Kind: "select", Options: enumOptions(rq, "bsl", space.BiosafetyLevels, k("filter.all"))},
				{Name: "leasable", Label: k("unit.leasable"), Kind: "select", Options: []option{{"", rq.t("filter.all"), false},
					{"true", rq.t("common.yes"), false}, {"false", rq.t("common.no"), false}}},
				{Name: "min_area", Label: k("filter.min_area"), Kind: "number"},
				{Name: "max_area", Label: k("filter.max_area"), Kind: "number"},
				{Name: "on", Label: k("filter.on_date"), Kind: "date"},
				{Name: "q", Label: k("unit.code"), Kind: "text"},
			}
		},
		parse: func(q *httpin.Query) space.UnitFilter {
			return space.UnitFilter{ParkID: q.Str("park_id"), BuildingID: q.Str("building_id"), FloorID: q.Str("floor_id"),
				Kind: space.UnitKind(q.Str("kind")), BiosafetyLevel: q.Str("biosafety_level"), Leasable: q.BoolPtr("leasable"),
				MinArea: q.Area("min_area"), MaxArea: q.Area("max_area"), On: q.Date("on"), Q: q.Str("q")}
		},
		list: sv.Space.ListUnits,
	}.mount(s, mux)
	mux.Handle("GET /units/{id}", s.page(s.unitPage))
	mux.Handle("GET /units/{id}/split", s.page(s.splitForm))
	mux.Handle("POST /units/{id}/split", s.page(s.splitForm))
	mux.Handle("GET /units/merge", s.page(s.mergeForm))
	mux.Handle("POST /units/merge", s.page(s.mergeForm))
	resource[space.Unit]{
		name: "unit", base: "/units", get: sv.Space.GetUnit, create: sv.Space.CreateUnit, update: sv.Space.UpdateUnit, remove: sv.Space.DeleteUnit,
		setID: func(u *space.Unit, id string) { u.ID = id },
		initial: func(rq *request) (space.Unit, error) {
			fl, err := sv.Space.GetFloor(rq.ctx, rq.scope, rq.r.URL.Query().Get("floor_id"))
			if err != nil {
				return space.Unit{}, err
			}
			return space.Unit{FloorID: fl.ID, BuildingID: fl.BuildingID, ParkID: fl.ParkID, Kind: space.KindOffice,
				Leasable: true, ValidFrom: s.clock.Today()}, nil
		},
		detail:      func(u space.Unit) string { return "/units/" + u.ID },
		afterDelete: func(u space.Unit) string { return "/buildings/" + u.BuildingID },
		crumbs: func(rq *request, u space.Unit) []crumb {
			c := []crumb{{rq.t("nav.units"), "/units"}, {rq.buildingName(u.BuildingID), "/buildings/" + u.BuildingID}}
			if u.ID != "" {
				c = append(c, crumb{u.Code, "/units/" + u.ID})
			}
			return c
		},
		specs: func(rq *request, u space.Unit, creating bool) ([]fieldSpec, error) {
			units, err := rq.floorUnits(u.FloorID)
			var specs []fieldSpec
			if creating {
				specs = append(specs, fieldSpec{Name: "floor_id", Kind: "hidden"})
			}
			specs = append(specs,
				fieldSpec{Name: "code", Label: k("unit.code"), Kind: "text", Required: true, Help: k("help.unit_code")},
				fieldSpec{Name: "kind", Label: k("unit.kind"), Kind: "select", Required: true, Options: enumOptions(rq, "unit_kind", space.UnitKinds, "")},
				fieldSpec{Name: "gross_area", Label: k("unit.gross_area"), Kind: "number", Required: true, Help: k("help.m2")},
				fieldSpec{Name: "usable_area", Label: k("unit.usable_area"), Kind: "number", Help: k("help.m2")},
				fieldSpec{Name: "list_rent", Label: k("unit.list_rent"), Kind: "number", Help: k("help.rent")},
				fieldSpec{Name: "property_fee", Label: k("unit.property_fee"), Kind: "number", Help: k("help.fee")},
				fieldSpec{Name: "facilities.biosafety_level", Label: k("unit.biosafety_level"), Kind: "select",
					Options: enumOptions(rq, "bsl", space.BiosafetyLevels, k("common.none"))},
				fieldSpec{Name: "facilities.animal_room", Label: k("unit.animal_room"), Kind: "select",
					Options: enumOptions(rq, "animal_room", space.AnimalRoomGrades, k("common.none"))},
				fieldSpec{Name: "facilities.cleanroom_grade", Label: k("unit.cleanroom_grade"), Kind: "select",
					Options: enumOptions(rq, "cleanroom", space.CleanroomGrades, k("common.none"))},
				fieldSpec{Name: "facilities.floor_load", Label: k("unit.floor_load"), Kind: "number", Help: k("help.kn_m2")},
				fieldSpec{Name: "facilities.ceiling_height", Label: k("unit.ceiling_height"), Kind: "number", Help: k("help.metres")},
				fieldSpec{Name: "facilities.power_kva", Label: k("unit.power_kva"), Kind: "number", Help: k("help.kva")},
				fieldSpec{Name: "facilities.fume_exhaust", Label: k("unit.fume_exhaust"), Kind: "checkbox"},
				fieldSpec{Name: "facilities.pure_water", Label: k("unit.pure_water"), Kind: "checkbox"},
				fieldSpec{Name: "facilities.wastewater_pretreatment", Label: k("unit.wastewater_pretreatment"), Kind: "checkbox"},
				fieldSpec{Name: "leasable", Label: k("unit.leasable"), Kind: "checkbox"},
				fieldSpec{Name: "neighbour_ids", Label: k("unit.neighbours"), Kind: "multiselect", Options: unitOptions(units, u.ID), Help: k("help.multiselect")})
			if creating {
				specs = append(specs, fieldSpec{Name: "valid_from", Label: k("unit.valid_from"), Kind: "date", Help: k("help.valid_from")})
			} else {
				specs = append(specs, fieldSpec{Name: "effective_on", Label: k("unit.effective_on"), Kind: "date", Help: k("help.unit_effective_on")})
			}
			return append(specs, fieldSpec{Name: "note", Label: k("common.note"), Kind: "textarea"}), err
		},
	}.mount(s, mux)
}

func areaCell[T any](get func(T) measure.Area) func(*request, T) cell {
	return func(rq *request, v T) cell {
		a := get(v)
		return cell{Text: i18n.Area(rq.lang, a), Raw: a}
	}
}

func yesNo(rq *request, b bool) cell {
	if b {
		return cell{Text: rq.t("common.yes")}
	}
	return cell{Text: rq.t("common.no")}
}

// facilitySummary is a short line of what a unit offers beyond floor space.
func facilitySummary(rq *request, f space.Facilities) string {
	var parts []string
	if f.BiosafetyLevel != "" {
		parts = append(parts, rq.t("bsl."+f.BiosafetyLevel))
	}
	if f.AnimalRoom != "" {
		parts = append(parts, rq.t("animal_room."+f.AnimalRoom))
	}
	if f.CleanroomGrade != "" {
		parts = append(parts, rq.t("cleanroom."+f.CleanroomGrade))
	}
	if f.FumeExhaust {
		parts = append(parts, rq.t("unit.fume_exhaust"))
	}
	if f.PureWater {
		parts = append(parts, rq.t("unit.pure_water"))
	}
	if f.WastewaterPretreatment {
		parts = append(parts, rq.t("unit.wastewater_pretreatment"))
	}
	if f.FloorLoad > 0 {
		parts = append(parts, f.FloorLoad.String()+" kN/㎡")
	}
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += " · "
		}
		out += p
	}
	if out == "" {
		return "—"
	}
	return out
}

type parkView struct {
	Park         space.Park
	Zones        []space.Zone
	Buildings    []space.Building
	LeasableArea measure.Area
	Nodes        []string
	CanEdit      bool
	CanDelete    bool
	Operates     bool // the caller's scope covers the park's inventory
}

func (s *Server) parkPage(rq *request) error {
	p, err := s.svc.Space.GetPark(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	zones, err := s.svc.Space.ListZones(rq.ctx, rq.scope, space.ZoneFilter{ParkID: p.ID}, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	buildings, err := page.All(func(r page.Request) (page.Page[space.Building], error) {
		return s.svc.Space.ListBuildings(rq.ctx, rq.scope, space.BuildingFilter{ParkID: p.ID}, r)
	}, 10000)
	if err != nil {
		return err
	}
	v := parkView{Park: p, Zones: zones.Items, Buildings: buildings, CanEdit: rq.scope.CanEditSpace() && rq.scope.HasPark(p.ID),
		CanDelete: rq.scope.May(identity.DeleteParks), Operates: rq.scope.HasPark(p.ID)}
	if rq.scope.HasPark(p.ID) {
		if v.LeasableArea, err = s.svc.Space.LeasableArea(rq.ctx, rq.scope, p.ID, civil.Date{}); err != nil {
			return err
		}
	}
	for _, n := range p.LeadingNodeIDs {
		v.Nodes = append(v.Nodes, rq.chainNodeName(n))
	}
	s.render(rq, "park", rq.parkLabel(p), v)
	return nil
}

type floorView struct {
	Floor space.Floor
	Units []unitBox
}

type unitBox struct {
	Unit       space.Unit
	Facilities string
	Tenant     string
	TenantID   string
}

type buildingView struct {
	Building  space.Building
	ParkName  string
	ZoneName  string
	Floors    []floorView
	CanEdit   bool
	CanUnits  bool
	Today     civil.Date
	Occupied  int
	UnitCount int
}

func (s *Server) buildingPage(rq *request) error {
	b, err := s.svc.Space.GetBuilding(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	v := buildingView{Building: b, ParkName: rq.parkName(b.ParkID), Today: s.clock.Today(),
		CanEdit: rq.scope.CanEditSpace() && rq.scope.HasPark(b.ParkID), CanUnits: rq.scope.CanEditUnits() && rq.scope.HasPark(b.ParkID)}
	if b.ZoneID != "" {
		if z, err := s.svc.Space.GetZone(rq.ctx, rq.scope, b.ZoneID); err == nil {
			v.ZoneName = z.NameZh
		}
	}
	if !rq.scope.HasPark(b.ParkID) { // public building information only
		s.render(rq, "building", b.Name, v)
		return nil
	}
	floors, err := s.svc.Space.ListFloors(rq.ctx, rq.scope, space.FloorFilter{BuildingID: b.ID}, page.Request{Limit: page.MaxLimit, Desc: true})
	if err != nil {
		return err
	}
	units, err := page.All(func(r page.Request) (page.Page[space.Unit], error) {
		return s.svc.Space.ListUnits(rq.ctx, rq.scope, space.UnitFilter{BuildingID: b.ID}, r)
	}, 20000)
	if err != nil {
		return err
	}
	tenants, err := s.currentTenants(rq, b.ParkID)
	if err != nil {
		return err
	}
	byFloor := map[string][]unitBox{}
	for _, u := range units {
		box := unitBox{Unit: u, Facilities: facilitySummary(rq, u.Facilities)}
		if e, ok := tenants[u.ID]; ok {
			box.TenantID, box.Tenant = e, rq.enterpriseName(e)
			v.Occupied++
		}
		byFloor[u.FloorID] = append(byFloor[u.FloorID], box)
		v.UnitCount++
	}
	for _, f := range floors.Items {
		v.Floors = append(v.Floors, floorView{Floor: f, Units: byFloor[f.ID]})
	}
	s.render(rq, "building", b.Name, v)
	return nil
}

// currentTenants maps unit id → enterprise id for today: the tenant of a lease in force (§2:
// a unit's status is derived from contracts), else a resident recorded without a lease.
func (s *Server) currentTenants(rq *request, parkID string) (map[string]string, error) {
	today := s.clock.Today()
	out := map[string]string{}
	rs, err := page.All(func(r page.Request) (page.Page[enterprise.Residency], error) {
		return s.svc.Enterprise.ListResidencies(rq.ctx, rq.scope, enterprise.ResidencyFilter{ParkID: parkID, CurrentOn: today}, r)
	}, 100000)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		for _, u := range r.UnitIDs {
			out[u] = r.EnterpriseID
		}
	}
	ks, err := page.All(func(r page.Request) (page.Page[leasing.Contract], error) {
		return s.svc.Leasing.ListContracts(rq.ctx, rq.scope, leasing.Filter{ParkID: parkID, ActiveOn: today}, r)
	}, 100000)
	for _, k := range ks {
		for _, u := range k.Units {
			if !today.Before(u.From) && !today.After(u.To) {
				out[u.UnitID] = k.EnterpriseID
			}
		}
	}
	return out, err
}

type residencyRow struct {
	Residency  enterprise.Residency
	Enterprise string
	ParkName   string
	Units      []string
}

type unitView struct {
	Unit       space.Unit
	ParkName   string
	Building   string
	FloorLabel string
	Neighbours []space.Unit
	History    []space.UnitChange
	Versions   []space.UnitVersion
	Residents  []residencyRow
	CanEdit    bool
	Codes      map[string]string
	// The unit on a day, for its park's staff: status, tenant, contract and next change.
	On       civil.Date
	Letting  *leasing.StackUnit
	DayField []field
}

func (s *Server) unitPage(rq *request) error {
	u, err := s.svc.Space.GetUnit(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	v := unitView{Unit: u, ParkName: rq.parkName(u.ParkID), Building: rq.buildingName(u.BuildingID),
		CanEdit: rq.scope.CanEditUnits() && rq.scope.HasPark(u.ParkID), Codes: map[string]string{}}
	if rq.scope.HasPark(u.ParkID) {
		v.FloorLabel = rq.floorLabel(u.FloorID)
	}
	for _, n := range u.NeighbourIDs {
		if nu, err := s.svc.Space.GetUnit(rq.ctx, rq.scope, n); err == nil {
			v.Neighbours = append(v.Neighbours, nu)
		}
	}
	if v.History, err = s.svc.Space.UnitHistory(rq.ctx, rq.scope, u.ID); err != nil {
		return err
	}
	if v.Versions, err = s.svc.Space.UnitVersions(rq.ctx, rq.scope, u.ID); err != nil {
		return err
	}
	if rq.scope.HasPark(u.ParkID) {
		q := httpin.NewQuery(rq.r.URL.Query())
		v.On = q.Date("on")
		if err := q.Err(); err != nil {
			return err
		}
		if v.On.IsZero() {
			v.On = s.clock.Today()
		}
		letting, ok, err := s.svc.Leasing.UnitOn(rq.ctx, rq.scope, u.ParkID, u.BuildingID, u.ID, v.On)
		if err != nil {
			return err
		}
		if ok {
			v.Letting = &letting
		}
		v.DayField = rq.fields([]fieldSpec{{Name: "on", Label: k("stack.on"), Kind: "date"}}, values{"on": {v.On.String()}})
	}
	for _, ch := range v.History {
		for _, id := range append(append([]string{}, ch.FromIDs...), ch.ToIDs...) {
			v.Codes[id] = rq.unitCode(id)
		}
	}
	rs, err := s.svc.Enterprise.ListResidencies(rq.ctx, rq.scope, enterprise.ResidencyFilter{UnitID: u.ID}, page.Request{Limit: page.MaxLimit, Desc: true})
	if err != nil {
		return err
	}
	for _, r := range rs.Items {
		v.Residents = append(v.Residents, residencyRow{Residency: r, Enterprise: rq.enterpriseName(r.EnterpriseID)})
	}
	s.render(rq, "unit", u.Code, v)
	return nil
}

// splitForm shows and handles the split of a unit into up to four parts from a date.
func (s *Server) splitForm(rq *request) error {
	u, err := s.svc.Space.GetUnit(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	const rows = 4
	specs := []fieldSpec{{Name: "effective_on", Label: k("unit.effective_on"), Kind: "date", Required: true, Help: k("help.effective_on")}}
	for i := range rows {
		p := fmt.Sprintf("parts[%d]", i)
		specs = append(specs,
			fieldSpec{Name: p + ".code", Label: k("split.part_code"), Kind: "text"},
			fieldSpec{Name: p + ".kind", Label: k("unit.kind"), Kind: "select", Options: enumOptions(rq, "unit_kind", space.UnitKinds, k("split.same_kind"))},
			fieldSpec{Name: p + ".gross_area", Label: k("unit.gross_area"), Kind: "number"},
			fieldSpec{Name: p + ".usable_area", Label: k("unit.usable_area"), Kind: "number"})
	}
	vals := values{}
	var saveErr error
	if rq.r.Method == http.MethodPost {
		if vals, err = rq.formValues(); err != nil {
			return err
		}
		req := space.SplitRequest{}
		var f apperr.Fields
		if req.EffectiveOn, err = civil.Parse(first(vals, "effective_on")); err != nil {
			f.Add("effective_on", "bad_date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
		}
		for i := range rows {
			p := fmt.Sprintf("parts[%d]", i)
			code := first(vals, p+".code")
			if code == "" {
				continue
			}
			part := space.UnitPart{Code: code, Kind: space.UnitKind(first(vals, p+".kind"))}
			if part.GrossArea, err = measure.ParseArea(orZero(first(vals, p+".gross_area"))); err != nil {
				f.Add(p+".gross_area", "bad_area", "面积应为不超过两位小数的数字", "area must be a number with at most two decimals")
			}
			if part.UsableArea, err = measure.ParseArea(orZero(first(vals, p+".usable_area"))); err != nil {
				f.Add(p+".usable_area", "bad_area", "面积应为不超过两位小数的数字", "area must be a number with at most two decimals")
			}
			req.Parts = append(req.Parts, part)
		}
		saveErr = f.Err()
		if saveErr == nil {
			if _, saveErr = s.svc.Space.SplitUnit(rq.ctx, rq.scope, u.ID, req); saveErr == nil {
				return rq.redirect("/buildings/" + u.BuildingID)
			}
		}
		if !formError(saveErr) {
			return saveErr
		}
	}
	return s.showCustomForm(rq, rq.t("split.title", u.Code), specs, vals, saveErr,
		[]crumb{{rq.buildingName(u.BuildingID), "/buildings/" + u.BuildingID}, {u.Code, "/units/" + u.ID}})
}

// mergeForm shows the current units of a floor to merge some of them from a date.
func (s *Server) mergeForm(rq *request) error {
	fl, err := s.svc.Space.GetFloor(rq.ctx, rq.scope, rq.r.URL.Query().Get("floor_id"))
	if err != nil {
		return err
	}
	units, err := rq.floorUnits(fl.ID)
	if err != nil {
		return err
	}
	specs := []fieldSpec{
		{Name: "unit_ids", Label: k("merge.units"), Kind: "multiselect", Required: true, Options: unitOptions(units, ""), Help: k("help.multiselect")},
		{Name: "code", Label: k("merge.code"), Kind: "text", Required: true},
		{Name: "kind", Label: k("unit.kind"), Kind: "select", Options: enumOptions(rq, "unit_kind", space.UnitKinds, k("split.same_kind"))},
		{Name: "effective_on", Label: k("unit.effective_on"), Kind: "date", Required: true, Help: k("help.effective_on")},
	}
	vals := values{}
	var saveErr error
	if rq.r.Method == http.MethodPost {
		if vals, err = rq.formValues(); err != nil {
			return err
		}
		var req space.MergeRequest
		if saveErr = httpin.DecodeStrict(toJSON(specs, vals), &req); saveErr == nil {
			if _, saveErr = s.svc.Space.MergeUnits(rq.ctx, rq.scope, req); saveErr == nil {
				return rq.redirect("/buildings/" + fl.BuildingID)
			}
		}
		if !formError(saveErr) {
			return saveErr
		}
	}
	return s.showCustomForm(rq, rq.t("merge.title", fl.Label), specs, vals, saveErr,
		[]crumb{{rq.buildingName(fl.BuildingID), "/buildings/" + fl.BuildingID}})
}

func first(v values, key string) string {
	if vs := v[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// showCustomForm renders a form that is not a plain create/edit of one entity.
func (s *Server) showCustomForm(rq *request, title string, specs []fieldSpec, vals values, err error, crumbs []crumb) error {
	fv := formView{Action: rq.r.URL.RequestURI(), Fields: rq.fields(specs, vals), Crumbs: crumbs}
	if len(crumbs) > 0 {
		fv.CancelURL = crumbs[len(crumbs)-1].Href
	}
	if err != nil {
		fv.Errors, fv.Invalid = rq.applyErrors(fv.Fields, err), true
		rq.w.WriteHeader(httpx.StatusOf(err))
	}
	s.render(rq, "form", title, formPage{Form: fv})
	return nil
}
