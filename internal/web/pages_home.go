package web

import (
	"net/http"
	"strings"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
)

type homeView struct {
	Parks    []space.Park
	Expiring []qualificationRow
	Names    map[string]string
}

// home: tenants land on their enterprise; everyone else sees their parks and what needs
// attention (qualifications expiring within 90 days).
func (s *Server) home(rq *request) error {
	if rq.user.Role.IsEnterprise() {
		return rq.redirect("/enterprises/" + rq.user.EnterpriseID)
	}
	parks, err := rq.parks()
	if err != nil {
		return err
	}
	v := homeView{Parks: parks, Names: map[string]string{}}
	qs, err := s.store.ListQualifications(rq.ctx, rq.scope, enterprise.QualificationFilter{ExpiringBefore: civil.Today().AddDays(91)},
		page.Request{Sort: "expires_on", Limit: 10})
	if err != nil {
		return err
	}
	for _, q := range qs.Items {
		v.Expiring = append(v.Expiring, qualificationRow{Q: q, Badges: expiryBadge(rq, q.ExpiresOn)})
		v.Names[q.EnterpriseID] = rq.enterpriseName(q.EnterpriseID)
	}
	s.render(rq, "home", rq.t("home.title"), v)
	return nil
}

type searchView struct {
	Q           string
	Parks       []space.Park
	Buildings   []space.Building
	Units       []space.Unit
	Enterprises []enterprise.Enterprise
	Names       map[string]string
}

// search looks for the words in parks, buildings, units and enterprises the user may see.
func (s *Server) search(rq *request) error {
	q := strings.TrimSpace(rq.r.URL.Query().Get("q"))
	v := searchView{Q: q, Names: map[string]string{}}
	if q != "" {
		req := page.Request{Limit: 20}
		parks, err := s.store.ListParks(rq.ctx, rq.scope, space.ParkFilter{Q: q}, req)
		if err != nil {
			return err
		}
		ents, err := s.store.ListEnterprises(rq.ctx, rq.scope, enterprise.Filter{Q: q}, req)
		if err != nil {
			return err
		}
		units, err := s.store.ListUnits(rq.ctx, rq.scope, space.UnitFilter{Q: q}, req)
		if err != nil {
			return err
		}
		v.Parks, v.Enterprises, v.Units = parks.Items, ents.Items, units.Items
		if !rq.user.Role.IsEnterprise() {
			bs, err := s.store.ListBuildings(rq.ctx, rq.scope, space.BuildingFilter{Q: q}, req)
			if err != nil {
				return err
			}
			v.Buildings = bs.Items
		}
		for _, u := range v.Units {
			v.Names[u.BuildingID] = rq.buildingName(u.BuildingID)
			v.Names[u.ParkID] = rq.parkName(u.ParkID)
		}
		for _, b := range v.Buildings {
			v.Names[b.ParkID] = rq.parkName(b.ParkID)
		}
	}
	s.render(rq, "search", rq.t("search.title"), v)
	return nil
}

func (s *Server) routes(mux *http.ServeMux) {
	mux.Handle("GET /login", s.public(s.loginPage))
	mux.Handle("POST /login", s.public(s.loginPost))
	mux.Handle("POST /logout", s.page(s.logout))
	mux.Handle("POST /lang", s.page(s.switchLanguage))
	mux.Handle("GET /{$}", s.page(s.home))
	mux.Handle("GET /search", s.page(s.search))
	mux.Handle("GET /account", s.page(s.accountPage))
	mux.Handle("POST /account", s.page(s.accountPost))
	mux.Handle("POST /account/password", s.page(s.passwordPost))
	mux.Handle("GET /account/tokens", s.page(s.tokensPage))
	mux.Handle("POST /account/tokens", s.page(s.tokensPage))
	mux.Handle("POST /account/tokens/{id}/revoke", s.page(s.revokeToken))
	mux.Handle("GET /reference", s.page(s.referencePage))
	s.spaceRoutes(mux)
	s.enterpriseRoutes(mux)
	s.contractRoutes(mux)
	s.leadRoutes(mux)
	mux.Handle("GET /parks/{id}/stack", s.page(s.stackPage))
	s.adminRoutes(mux)
	mux.Handle("/", s.page(func(rq *request) error { return errNotFound }))
}
