package web

import (
	"fmt"
	"strings"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/space"
)

// stackWidth is the SVG width of the widest floor of a building; other floors are drawn to the
// same scale, so box widths compare across floors.
const stackWidth = 1000.0

type stackBox struct {
	X, W     float64
	Code     string
	Class    string
	Href     string
	Title    string
	ShowText bool
}

type stackRow struct {
	Label string
	Area  string
	Boxes []stackBox
}

type stackBuildingView struct {
	Name string
	ID   string
	Rows []stackRow
}

type stackLegend struct {
	Status, Label, Area string
	Count               int
}

type stackView struct {
	Park      string
	ParkID    string
	Filters   []field
	Buildings []stackBuildingView
	Legend    []stackLegend
	On        civil.Date
}

func (s *Server) stackPage(rq *request) error {
	parkID := rq.r.PathValue("id")
	q := httpin.NewQuery(rq.r.URL.Query())
	on := q.Date("on")
	f := leasing.StackFilter{BuildingID: q.Str("building_id"), Kind: q.Str("kind"), Facility: q.Str("facility")}
	if err := q.Err(); err != nil {
		return err
	}
	if on.IsZero() {
		on = s.clock.Today()
	}
	plan, err := s.svc.Leasing.StackPlan(rq.ctx, rq.scope, parkID, on, f)
	if err != nil {
		return err
	}
	v := stackView{Park: rq.parkName(parkID), ParkID: parkID, On: on}
	buildings := []option{{Value: "", Label: rq.t("filter.all")}}
	for _, b := range plan.Buildings {
		buildings = append(buildings, option{Value: b.ID, Label: b.Name})
	}
	vals := values(rq.r.URL.Query())
	vals["on"] = []string{on.String()}
	v.Filters = rq.fields([]fieldSpec{
		{Name: "on", Label: k("stack.on"), Kind: "date"},
		{Name: "building_id", Label: k("unit.building"), Kind: "select", Options: buildings},
		{Name: "kind", Label: k("unit.kind"), Kind: "select", Options: enumOptions(rq, "unit_kind", space.UnitKinds, k("filter.all"))},
		{Name: "facility", Label: k("stack.facility"), Kind: "select", Options: enumOptions(rq, "facility_need",
			[]string{"bsl1", "bsl2", "bsl3", "animal_room", "cleanroom", "fume_exhaust", "pure_water"}, k("filter.all"))},
	}, vals)
	for _, st := range leasing.UnitStatuses {
		v.Legend = append(v.Legend, stackLegend{Status: st, Label: rq.t("unit_status." + st), Area: i18n.Area(rq.lang, plan.Areas[st]),
			Count: plan.Counts[st]})
	}
	for _, b := range plan.Buildings {
		var widest measure.Area
		for _, fl := range b.Floors {
			widest = max(widest, fl.Gross)
		}
		bv := stackBuildingView{Name: b.Name, ID: b.ID}
		for _, fl := range b.Floors {
			row := stackRow{Label: fl.Label, Area: i18n.Area(rq.lang, fl.Gross)}
			x := 0.0
			for _, u := range fl.Units {
				w := stackWidth * float64(u.Gross) / float64(max(widest, 1))
				box := stackBox{X: x, W: max(w-1, 1), Code: u.Code, Class: "st-" + u.Status, Href: "/units/" + u.ID + "?on=" + plan.On.String(), ShowText: w > 42,
					Title: stackTitle(rq, u)}
				row.Boxes = append(row.Boxes, box)
				x += w
			}
			bv.Rows = append(bv.Rows, row)
		}
		v.Buildings = append(v.Buildings, bv)
	}
	s.render(rq, "stack", rq.t("stack.title", v.Park), v)
	return nil
}

// stackTitle is a box's hover text: code, kind, area, facilities, status and who has it until when.
func stackTitle(rq *request, u leasing.StackUnit) string {
	parts := []string{u.Code, enumLabel(rq.lang, "unit_kind", u.Kind), i18n.Area(rq.lang, u.Gross), rq.t("unit_status." + u.Status)}
	for _, f := range u.Facilities {
		parts = append(parts, rq.t("facility_need."+f))
	}
	if u.Tenant != "" {
		parts = append(parts, u.Tenant)
	}
	if !u.Until.IsZero() {
		parts = append(parts, fmt.Sprintf("%s %s", rq.t("stack.until"), u.Until))
	}
	return strings.Join(parts, " · ")
}
