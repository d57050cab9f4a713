package web

import (
	"fmt"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
)

// enumOptions lists stored values with their translated labels ("unit_kind.lab" …); empty adds
// a first "—" choice, or the filter's "all" choice when anyLabel is set.
func enumOptions[T ~string](rq *request, prefix string, vals []T, empty msgKey) []option {
	var out []option
	if empty != "" {
		out = append(out, option{Value: "", Label: rq.t(string(empty))})
	}
	for _, v := range vals {
		if v == "" {
			continue
		}
		out = append(out, option{Value: string(v), Label: rq.t(prefix + "." + string(v))})
	}
	return out
}

// parks are the parks the user sees, sorted by name; cached for the request.
func (rq *request) parks() ([]space.Park, error) {
	ps, err := page.All(func(r page.Request) (page.Page[space.Park], error) {
		r.Sort = "name"
		return rq.srv.svc.Space.ListParks(rq.ctx, rq.scope, space.ParkFilter{}, r)
	}, 5000)
	for _, p := range ps {
		rq.cache["park:"+p.ID] = p.NameZh
	}
	return ps, err
}

// editableParks are the parks whose space the user may change.
func (rq *request) parkOptions(empty msgKey, onlyEditable bool) ([]option, error) {
	ps, err := rq.parks()
	if err != nil {
		return nil, err
	}
	var out []option
	if empty != "" {
		out = append(out, option{Value: "", Label: rq.t(string(empty))})
	}
	for _, p := range ps {
		if onlyEditable && !rq.scope.HasPark(p.ID) {
			continue
		}
		out = append(out, option{Value: p.ID, Label: rq.parkLabel(p)})
	}
	return out, nil
}

func (rq *request) parkLabel(p space.Park) string {
	if rq.lang == "en" && p.NameEn != "" {
		return p.NameEn
	}
	return p.NameZh
}

// name looks an object's display name up once per request.
func (rq *request) name(kind, id string, load func() (string, error)) string {
	if id == "" {
		return "—"
	}
	key := kind + ":" + id
	if n, ok := rq.cache[key]; ok {
		return n
	}
	n, err := load()
	if err != nil {
		n = id
	}
	rq.cache[key] = n
	return n
}

func (rq *request) parkName(id string) string {
	return rq.name("park", id, func() (string, error) {
		p, err := rq.srv.svc.Space.GetPark(rq.ctx, rq.scope, id)
		return rq.parkLabel(p), err
	})
}

func (rq *request) buildingName(id string) string {
	return rq.name("building", id, func() (string, error) {
		b, err := rq.srv.svc.Space.GetBuilding(rq.ctx, rq.scope, id)
		return b.Name, err
	})
}

func (rq *request) floorLabel(id string) string {
	return rq.name("floor", id, func() (string, error) {
		f, err := rq.srv.svc.Space.GetFloor(rq.ctx, rq.scope, id)
		return f.Label, err
	})
}

func (rq *request) unitCode(id string) string {
	return rq.name("unit", id, func() (string, error) {
		u, err := rq.srv.svc.Space.GetUnit(rq.ctx, rq.scope, id)
		return u.Code, err
	})
}

func (rq *request) enterpriseName(id string) string {
	return rq.name("enterprise", id, func() (string, error) {
		e, err := rq.srv.svc.Enterprise.GetEnterprise(rq.ctx, rq.scope, id)
		return e.Name, err
	})
}

func (rq *request) zoneOptions(parkID string) ([]option, error) {
	out := []option{{Value: "", Label: rq.t("common.none")}}
	if parkID == "" {
		return out, nil
	}
	zs, err := rq.srv.svc.Space.ListZones(rq.ctx, rq.scope, space.ZoneFilter{ParkID: parkID}, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, z := range zs.Items {
		out = append(out, option{Value: z.ID, Label: z.NameZh})
	}
	return out, nil
}

// chainNodeOptions lists every industry-chain node as "chain · stage · node".
func (rq *request) chainNodeOptions() ([]option, error) {
	chains, err := rq.srv.svc.Enterprise.Chains(rq.ctx, rq.scope)
	if err != nil {
		return nil, err
	}
	var out []option
	for _, c := range chains {
		for _, s := range c.Segments {
			for _, n := range s.Nodes {
				name, chain := n.NameZh, c.NameZh
				if rq.lang == "en" {
					name, chain = n.NameEn, c.NameEn
				}
				out = append(out, option{Value: n.ID, Label: fmt.Sprintf("%s · %s · %s", chain, rq.t("stage."+s.Stage), name)})
			}
		}
	}
	return out, nil
}

func (rq *request) chainNodeName(id string) string {
	if rq.cache["node-loaded"] == "" {
		opts, _ := rq.chainNodeOptions()
		for _, o := range opts {
			rq.cache["node:"+o.Value] = o.Label
		}
		rq.cache["node-loaded"] = "1"
	}
	if n, ok := rq.cache["node:"+id]; ok {
		return n
	}
	return id
}

// industryOptions lists the GB/T 4754-2017 classes (level "class") by code.
func (rq *request) industryOptions() ([]option, error) {
	classes, err := rq.srv.svc.Enterprise.IndustryClasses(rq.ctx, rq.scope, "", "")
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: rq.t("common.none")}}
	for _, c := range classes {
		if c.Level != "class" {
			continue
		}
		name := c.NameZh
		if rq.lang == "en" {
			name = c.NameEn
		}
		out = append(out, option{Value: c.Code, Label: c.Code + " " + name})
	}
	return out, nil
}

// floorUnits lists the current units of a floor, by code.
func (rq *request) floorUnits(floorID string) ([]space.Unit, error) {
	pg, err := rq.srv.svc.Space.ListUnits(rq.ctx, rq.scope, space.UnitFilter{FloorID: floorID}, page.Request{Limit: page.MaxLimit})
	return pg.Items, err
}

func unitOptions(units []space.Unit, skip string) []option {
	var out []option
	for _, u := range units {
		if u.ID != skip {
			out = append(out, option{Value: u.ID, Label: u.Code})
		}
	}
	return out
}

// roleOptions are the roles the user may hand out.
func (rq *request) roleOptions() []option {
	var roles []identity.Role
	for _, r := range identity.Roles {
		if rq.user.Role == identity.Admin || r.IsEnterprise() {
			roles = append(roles, r)
		}
	}
	return enumOptions(rq, "role", roles, "")
}

// buildingOptions lists a park's buildings for a filter, "all" first.
func (rq *request) buildingOptions(parkID string) ([]option, error) {
	out := []option{{Value: "", Label: rq.t("filter.all")}}
	bs, err := rq.srv.svc.Space.ListBuildings(rq.ctx, rq.scope, space.BuildingFilter{ParkID: parkID}, page.Request{Limit: page.MaxLimit})
	for _, b := range bs.Items {
		out = append(out, option{Value: b.ID, Label: b.Name})
	}
	return out, err
}
